/**
 * What Bedrock refuses in a Converse / ConverseStream request, and in a Titan Text Embeddings V2
 * InvokeModel body: each check returns the `ValidationException` message Bedrock answers, or
 * undefined. The emulator is as strict as the strictest model the project allows: a model id it
 * does not know gets `STRICTEST_MODEL_RULES`. Sources are in docs/aws-facts.md ("Bedrock"); where
 * AWS documents the rule but not the wording, the message is the one users report from Bedrock,
 * marked "reported" below; "emulator wording" marks a refusal whose text no source gives.
 */
import { CHAT_MODELS, foundationModelOf, STRICTEST_MODEL_RULES, type ChatModelRules } from '../../lambda/settings/chat-models';

/**
 * Titan Text Embeddings V2 output sizes and input limits (Bedrock user guide, "Amazon Titan Text
 * Embeddings models"; the body's fields: "Amazon Titan Embeddings Text", V2 Request).
 */
export const TITAN_V2_DIMENSIONS: readonly number[] = [256, 512, 1024];
/** Titan V2 accepts at most this many characters of `inputText`. */
export const TITAN_V2_MAX_INPUT_CHARS = 50_000;
/**
 * ... and at most this many tokens (counted here by `estimateTokens`, about 4 characters each, so
 * the emulator refuses from about 32,769 characters; real Titan averages 4.7 characters per token
 * in English).
 */
export const TITAN_V2_MAX_INPUT_TOKENS = 8_192;
/** The fields of a Titan Text Embeddings V2 request body. */
const TITAN_V2_FIELDS: ReadonlySet<string> = new Set(['inputText', 'dimensions', 'normalize', 'embeddingTypes']);

/** ~4 characters per token, at least 1 for non-empty text. */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.max(1, Math.ceil(text.length / 4));
}

/** The rules of the model behind `modelId`; the strictest for a model the table does not list. */
export function emulatedModelRules(modelId: string): ChatModelRules {
  return CHAT_MODELS[foundationModelOf(modelId)] ?? STRICTEST_MODEL_RULES;
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** AWS's input-constraint wording (the service framework's, for any API; emulator wording for Bedrock). */
function constraint(value: unknown, path: string, rule: string): string {
  return `1 validation error detected: Value '${String(value)}' at '${path}' failed to satisfy constraint: Member must ${rule}`;
}

/** The first refusal of a Converse / ConverseStream body for `modelId`, or undefined when Bedrock would take it. */
export function converseProblem(modelId: string, body: Record<string, unknown>): string | undefined {
  return inferenceProblem(body.inferenceConfig) ?? conversationProblem(body.messages) ?? systemProblem(body.system) ?? modelRuleProblem(emulatedModelRules(modelId), body.inferenceConfig);
}

/** `InferenceConfiguration`: maxTokens >= 1, temperature and topP in [0, 1] (Bedrock API Reference). */
function inferenceProblem(config: unknown): string | undefined {
  if (!isRecord(config)) return undefined;
  const { maxTokens, temperature, topP } = config;
  if (maxTokens !== undefined && (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1)) {
    return constraint(maxTokens, 'inferenceConfig.maxTokens', 'have value greater than or equal to 1');
  }
  for (const [name, value] of [['temperature', temperature], ['topP', topP]] as const) {
    if (value === undefined) continue;
    if (typeof value !== 'number' || value < 0) return constraint(value, `inferenceConfig.${name}`, 'have value greater than or equal to 0');
    if (value > 1) return constraint(value, `inferenceConfig.${name}`, 'have value less than or equal to 1');
  }
  return undefined;
}

/**
 * The conversation: at least one message, starting with `user`, roles alternating, ending with
 * `user`, every message with content, no blank text block.
 */
function conversationProblem(messages: unknown): string | undefined {
  // Reported (dify#12340, kibana#246393).
  const startWithUser = 'A conversation must start with a user message. Try again with a conversation that starts with a user message.';
  if (!Array.isArray(messages) || messages.length === 0) return startWithUser;
  for (const [index, message] of messages.entries()) {
    const role = isRecord(message) ? message.role : undefined;
    if (role !== 'user' && role !== 'assistant') return constraint(role, `messages.${index}.member.role`, 'satisfy enum value set: [assistant, user]');
    if (index === 0 && role !== 'user') return startWithUser;
    if (index > 0 && role === (messages[index - 1] as { role?: unknown }).role) {
      // Reported (semantic-kernel#10277, langchain-aws#130).
      return 'A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.';
    }
    const content = isRecord(message) ? message.content : undefined;
    if (!Array.isArray(content) || content.length === 0) {
      // Emulator wording, after the blank-text refusal below.
      return `The content field in the Message object at messages.${index} is empty. Add a ContentBlock object to the content field and try again.`;
    }
    for (const [blockIndex, block] of content.entries()) {
      if (isRecord(block) && 'text' in block && (typeof block.text !== 'string' || block.text.trim() === '')) {
        // Reported (continuedev/continue#9767, aws/bedrock-agentcore-sdk-python#185).
        return `The text field in the ContentBlock object at messages.${index}.content.${blockIndex} is blank. Add text to the text field, and try again.`;
      }
    }
  }
  if ((messages[messages.length - 1] as { role?: unknown }).role !== 'user') {
    // Reported from Claude models newer than 4.5 (an assistant prefill); stricter than Haiku and
    // Sonnet 4.5, which accept one. The runtime never sends it (its last message is the question).
    return 'The model returned the following errors: This model does not support assistant message prefill. The conversation must end with a user message.';
  }
  return undefined;
}

/** A blank system prompt (emulator wording, after the blank-text refusal above). */
function systemProblem(system: unknown): string | undefined {
  if (!Array.isArray(system)) return undefined;
  for (const [index, block] of system.entries()) {
    if (isRecord(block) && 'text' in block && (typeof block.text !== 'string' || block.text.trim() === '')) {
      return `The text field in the SystemContentBlock object at system.${index} is blank. Add text to the text field, and try again.`;
    }
  }
  return undefined;
}

/** The model's own rules: its max output tokens, one of temperature and topP. */
function modelRuleProblem(rules: ChatModelRules, config: unknown): string | undefined {
  if (!isRecord(config)) return undefined;
  const { maxTokens, temperature, topP } = config;
  if (typeof maxTokens === 'number' && maxTokens > rules.maxOutputTokens) {
    // Reported (vercel/ai#2772, with Claude 3.5 Sonnet's 4096).
    return `The maximum tokens you requested exceeds the model limit of ${rules.maxOutputTokens}. Try again with a maximum tokens value that is lower than ${rules.maxOutputTokens}.`;
  }
  if (rules.samplers === 'one' && temperature !== undefined && topP !== undefined) {
    // Reported on Converse and ConverseStream with Claude Haiku 4.5 (aws-samples/bedrock-access-gateway#191).
    return 'The model returned the following errors: `temperature` and `top_p` cannot both be specified for this model. Please use only one.';
  }
  return undefined;
}

/**
 * A Titan Text Embeddings V2 body: only its documented fields, a non-empty `inputText` within
 * 50,000 characters and 8,192 (estimated) tokens, `dimensions` 256, 512 or 1024, a boolean
 * `normalize`, `embeddingTypes` a list of "float" and/or "binary". Messages in the JSON-schema
 * form Bedrock reports for InvokeModel bodies.
 */
export function titanV2Problem(body: Record<string, unknown>): string | undefined {
  const extra = Object.keys(body).filter((key) => !TITAN_V2_FIELDS.has(key));
  if (extra.length > 0) {
    // Reported (aws-samples/serverless-pdf-chat#35, BerriAI/litellm#30314).
    return `Malformed input request: ${extra.map((key) => `#: extraneous key [${key}] is not permitted`).join(', ')}, please reformat your input and try again.`;
  }
  const { inputText, normalize } = body;
  const dimensions = body.dimensions ?? 1024;
  if (typeof inputText !== 'string' || inputText.length === 0) return 'Malformed input request: #/inputText: expected minLength: 1';
  if (inputText.length > TITAN_V2_MAX_INPUT_CHARS) {
    return `Malformed input request: #/inputText: expected maxLength: ${TITAN_V2_MAX_INPUT_CHARS}, actual: ${inputText.length}`;
  }
  const tokens = estimateTokens(inputText);
  if (tokens > TITAN_V2_MAX_INPUT_TOKENS) {
    // Reported (aws-samples/amazon-bedrock-workshop#136).
    return `400 Bad Request: Too many input tokens. Max input tokens: ${TITAN_V2_MAX_INPUT_TOKENS}, request input token count: ${tokens} `;
  }
  if (typeof dimensions !== 'number' || !TITAN_V2_DIMENSIONS.includes(dimensions)) {
    return `Malformed input request: #/dimensions: ${String(dimensions)} is not a valid enum value (${TITAN_V2_DIMENSIONS.join(', ')})`;
  }
  if (normalize !== undefined && typeof normalize !== 'boolean') {
    // Emulator wording, in the JSON-schema form of the refusals above.
    return `Malformed input request: #/normalize: expected type: Boolean, found: ${typeof normalize}, please reformat your input and try again.`;
  }
  const types = body.embeddingTypes;
  if (types !== undefined && (!Array.isArray(types) || types.length === 0 || !types.every((type) => type === 'float' || type === 'binary'))) {
    // Emulator wording: the page allows a list of "float", "binary" or both.
    return 'Malformed input request: #/embeddingTypes: expected a list of "float", "binary" or both, please reformat your input and try again.';
  }
  return undefined;
}
