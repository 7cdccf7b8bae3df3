import { parseMessages, type Conversation } from './conversation';
import { InvalidRequestError } from './errors';
import { isRecord, quoteName, text } from './fields';
import type { RuntimeConfig } from './config';
import type { CacheMode, CacheRequest, Sampling } from './types';
import { chatModelRules, type ChatModelRules } from '../settings/chat-models';
import { REQUEST_MODES, MAX_TOKENS_LIMIT, MAX_TTL_SECONDS, NAMESPACE_PATTERN, NAMESPACE_RULE, SEMANTIC_CHECK_LEVELS, THRESHOLD_RANGE, type SemanticCheckLevel } from '../settings/values';

export const REQUEST_FIELDS: ReadonlySet<string> = new Set(['prompt', 'messages', 'system', 'mode', 'modelId', 'maxTokens', 'temperature', 'topP', 'ttlSeconds', 'threshold', 'semanticCheck', 'namespace']);

/** The settings `parseRequest` needs: defaults and limits from the environment. */
export type RequestDefaults = Pick<
  RuntimeConfig,
  'mode' | 'modelId' | 'allowedModelIds' | 'ttlSeconds' | 'threshold' | 'minThreshold' | 'semanticCheck' | 'namespace' | 'maxTokens' | 'maxPromptChars'
>;

/**
 * Validates a caller's request and fills in defaults. Throws `InvalidRequestError` with a
 * message naming the field; never anything else.
 *
 * `boundNamespace` is the namespace derived from the caller's identity when the function binds
 * namespaces to callers (`NAMESPACE_FROM`): it replaces the default, and a body `namespace` that
 * differs from it is refused (not silently ignored), so a caller learns that it cannot choose.
 */
export function parseRequest(input: unknown, defaults: RequestDefaults, boundNamespace?: string): CacheRequest {
  if (!isRecord(input)) {
    throw new InvalidRequestError('request must be a JSON object with a "prompt" string or a "messages" array');
  }
  const body = input;
  const unknown = Object.keys(body).filter((key) => !REQUEST_FIELDS.has(key));
  if (unknown.length > 0) {
    throw new InvalidRequestError(`unknown field(s): ${unknown.slice(0, 5).map(quoteName).join(', ')}; allowed: ${[...REQUEST_FIELDS].join(', ')}`);
  }
  const conversation = conversationOf(body, defaults.maxPromptChars);
  const modelId = text(body.modelId, 'modelId', 256) ?? defaults.modelId;
  if (!defaults.allowedModelIds.includes(modelId)) {
    throw new InvalidRequestError(`"modelId" ${quoteName(modelId)} is not allowed; allowed: ${defaults.allowedModelIds.join(', ')}`);
  }
  const mode = body.mode ?? defaults.mode;
  if (typeof mode !== 'string' || !(REQUEST_MODES as readonly string[]).includes(mode)) {
    throw new InvalidRequestError(`"mode" must be one of ${REQUEST_MODES.join(', ')}`);
  }
  const requested = text(body.namespace, 'namespace', 64);
  if (boundNamespace !== undefined && requested !== undefined && requested !== boundNamespace) {
    throw new InvalidRequestError(`"namespace" ${quoteName(requested)} is not the caller's namespace: this function binds the namespace to the caller's identity; omit the field`);
  }
  const namespace = boundNamespace ?? requested ?? defaults.namespace;
  if (!NAMESPACE_PATTERN.test(namespace)) {
    throw new InvalidRequestError(`"namespace" must be ${NAMESPACE_RULE}`);
  }
  // A blank system prompt would change the key and scope, and Bedrock rejects blank text blocks.
  const system = text(body.system, 'system', defaults.maxPromptChars);
  if (system !== undefined && system.trim() === '') {
    throw new InvalidRequestError('"system" must not be blank; omit it to send no system prompt');
  }
  const rules = chatModelRules(modelId);
  const maxTokens = modelMaxTokens(body.maxTokens, modelId, rules) ?? defaults.maxTokens;
  const sampling = samplingOf(body, modelId, rules);
  const ttlSeconds = number(body.ttlSeconds, 'ttlSeconds', { min: 1, max: MAX_TTL_SECONDS, integer: true }) ?? defaults.ttlSeconds;
  const minimumSimilarity = threshold(body.threshold, defaults);
  const semanticCheck = checkLevel(body.semanticCheck, defaults);
  const { prompt, promptBlocks, history } = conversation;
  // One object literal of a fixed shape per sampling setting (no spread): it is read on every
  // request's hot path, and a spread of a varying source leaves V8 a slow dictionary-mode object
  // (10 us instead of 0.2 us).
  return sampling.topP !== undefined
    ? { prompt, promptBlocks, history, system, mode: mode as CacheMode, modelId, maxTokens, topP: sampling.topP, ttlSeconds, threshold: minimumSimilarity, semanticCheck, namespace }
    : { prompt, promptBlocks, history, system, mode: mode as CacheMode, modelId, maxTokens, temperature: sampling.temperature, ttlSeconds, threshold: minimumSimilarity, semanticCheck, namespace };
}

/**
 * A request's `maxTokens`: an integer from 1 to the model's documented max output tokens
 * (`ChatModelRules.maxOutputTokens`; `MAX_TOKENS_LIMIT` for a model the table does not list).
 * Undefined when absent (the default applies; start-up checked it against every allowed model).
 */
function modelMaxTokens(value: unknown, modelId: string, rules: ChatModelRules): number | undefined {
  const maxTokens = number(value, 'maxTokens', { min: 1, max: MAX_TOKENS_LIMIT, integer: true });
  if (maxTokens !== undefined && maxTokens > rules.maxOutputTokens) {
    throw new InvalidRequestError(`"maxTokens" ${maxTokens} is above the ${rules.maxOutputTokens} output tokens ${quoteName(modelId)} (${rules.name}) takes`);
  }
  return maxTokens;
}

/**
 * The sampling setting to send: `temperature` or `topP`, never both (the model's `samplers` rule:
 * Bedrock refuses both for Claude Sonnet 4.5 and Haiku 4.5, and this function holds every model to
 * it). Neither gives `temperature: 0` (repeatable answers, which a cache wants); `topP` alone is
 * sent alone; both is `InvalidRequest` naming the model and the rule.
 */
function samplingOf(body: Record<string, unknown>, modelId: string, rules: ChatModelRules): Sampling {
  const temperature = number(body.temperature, 'temperature', { min: 0, max: 1 });
  const topP = number(body.topP, 'topP', { min: 0, max: 1 });
  if (temperature !== undefined && topP !== undefined && rules.samplers === 'one') {
    throw new InvalidRequestError(
      `send "temperature" or "topP", not both: ${quoteName(modelId)} (${rules.name}) takes only one of the two (Bedrock refuses both for Claude Sonnet 4.5 and Haiku 4.5)`,
    );
  }
  return topP !== undefined ? { topP } : { temperature: temperature ?? 0 };
}

/**
 * A request may raise the threshold, never lower it below the floor (`SEMANTIC_MIN_THRESHOLD`).
 * The range check admits 0 so that a request's 0 is answered with the floor it breaks (the floor
 * is above 0: `THRESHOLD_RANGE` excludes 0).
 */
function threshold(value: unknown, defaults: RequestDefaults): number {
  const requested = number(value, 'threshold', { min: THRESHOLD_RANGE.minExclusive, max: THRESHOLD_RANGE.max });
  if (requested === undefined) return defaults.threshold;
  if (requested < defaults.minThreshold) {
    throw new InvalidRequestError(`"threshold" ${requested} is below the floor ${defaults.minThreshold}: a request may raise the similarity threshold, never lower it`);
  }
  return requested;
}

/**
 * A request may make the same-question check stricter (`on`, `strict`), never looser than the
 * configured level (`SEMANTIC_CHECK`), as with the threshold's floor.
 */
function checkLevel(value: unknown, defaults: RequestDefaults): SemanticCheckLevel {
  if (value === undefined || value === null) return defaults.semanticCheck;
  const levels: readonly string[] = SEMANTIC_CHECK_LEVELS;
  if (typeof value !== 'string' || !levels.includes(value)) throw new InvalidRequestError(`"semanticCheck" must be one of ${SEMANTIC_CHECK_LEVELS.join(', ')}`);
  if (levels.indexOf(value) < levels.indexOf(defaults.semanticCheck)) {
    throw new InvalidRequestError(`"semanticCheck" ${value} is looser than the configured ${defaults.semanticCheck}: a request may make the same-question check stricter, never looser`);
  }
  return value as SemanticCheckLevel;
}

/**
 * The turns of a request: a `prompt` is a conversation of one user turn (the same Converse
 * request, so the same key as that one message sent in `messages`). Null counts as absent.
 */
function conversationOf(body: Record<string, unknown>, maxChars: number): Conversation {
  const hasMessages = body.messages !== undefined && body.messages !== null;
  if (hasMessages && body.prompt !== undefined && body.prompt !== null) {
    throw new InvalidRequestError('send either "prompt" or "messages", not both');
  }
  if (hasMessages) return parseMessages(body.messages, maxChars);
  const prompt = text(body.prompt, 'prompt', maxChars);
  if (prompt === undefined || prompt.trim() === '') throw new InvalidRequestError('"prompt" is required and must be a non-empty string (or send "messages")');
  return { prompt, history: [] };
}

function number(value: unknown, name: string, range: { min: number; max: number; integer?: boolean }): number | undefined {
  if (value === undefined || value === null) return undefined;
  const kind = range.integer ? 'an integer' : 'a number';
  if (typeof value !== 'number' || !Number.isFinite(value) || (range.integer === true && !Number.isInteger(value))) {
    throw new InvalidRequestError(`"${name}" must be ${kind} from ${range.min} to ${range.max}`);
  }
  if (value < range.min || value > range.max) {
    throw new InvalidRequestError(`"${name}" must be ${kind} from ${range.min} to ${range.max}; got ${value}`);
  }
  return value;
}
