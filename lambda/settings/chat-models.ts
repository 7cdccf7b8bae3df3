import { MAX_TOKENS_LIMIT } from './values';

/**
 * What each chat model takes, from the model's documentation; each row's sources are in
 * docs/aws-facts.md ("Bedrock", model request rules). Bedrock refuses a request that breaks one of
 * these rules, so the runtime refuses it first (`InvalidRequest`, no call) and the local emulator
 * refuses it as Bedrock does. No aws-cdk-lib or SDK import: the request parser, the stacks'
 * config check and the emulator all read this one table.
 */
export interface ChatModelRules {
  /** The model's name, for messages. */
  readonly name: string;
  /** Largest `maxTokens` (Converse `inferenceConfig.maxTokens`) the model takes: its documented max output tokens. */
  readonly maxOutputTokens: number;
  /**
   * `one`: `temperature` or `topP`, never both (Bedrock user guide, "Anthropic Claude Messages API",
   * Request and Response, Warning). Every model this project allows is held to it, listed or not.
   */
  readonly samplers: 'one';
}

/** Listed chat models, by foundation-model id (an inference profile's id names the same model after its prefix). */
export const CHAT_MODELS: Readonly<Record<string, ChatModelRules>> = {
  'anthropic.claude-haiku-4-5-20251001-v1:0': { name: 'Claude Haiku 4.5', maxOutputTokens: 64_000, samplers: 'one' },
  'anthropic.claude-sonnet-4-5-20250929-v1:0': { name: 'Claude Sonnet 4.5', maxOutputTokens: 64_000, samplers: 'one' },
};

/**
 * An allowed model the table does not list: `temperature` or `topP`, never both (the rule of every
 * listed model; newer Claude models are reported to refuse both too, and a model that took both
 * loses nothing when sent one), and `maxTokens` up to the request limit (`MAX_TOKENS_LIMIT`): a
 * value above the model's own maximum is then refused by Bedrock, answered as `ModelValidation`.
 */
export const UNLISTED_MODEL_RULES: ChatModelRules = { name: 'a model this function does not list', maxOutputTokens: MAX_TOKENS_LIMIT, samplers: 'one' };

/**
 * The strictest rules of any listed model and of the unlisted default: what the local emulator
 * applies to a model id it does not know, so it refuses everything any allowed model refuses.
 */
export const STRICTEST_MODEL_RULES: ChatModelRules = {
  name: 'the strictest allowed model',
  maxOutputTokens: Math.min(UNLISTED_MODEL_RULES.maxOutputTokens, ...Object.values(CHAT_MODELS).map((rules) => rules.maxOutputTokens)),
  samplers: 'one',
};

/** Geography prefixes of Bedrock inference profiles (`us.anthropic...`), supported by the stacks or not. */
export const INFERENCE_PROFILE_PREFIXES: readonly string[] = ['us', 'eu', 'apac', 'ca', 'jp', 'au', 'us-gov', 'global'];

const FOUNDATION_MODEL_ID = /^[a-z0-9-]+\.[A-Za-z0-9._:-]+$/;

/**
 * The foundation model behind a model id: the id itself, an inference profile's id without its
 * geography prefix (`us.`, `eu.`, `apac.`, `global.`, ...), or the last part of a foundation-model
 * or inference-profile ARN.
 */
export function foundationModelOf(modelId: string): string {
  const id = modelId.startsWith('arn:') ? modelId.slice(modelId.lastIndexOf('/') + 1) : modelId;
  const dot = id.indexOf('.');
  const tail = id.slice(dot + 1);
  return dot > 0 && INFERENCE_PROFILE_PREFIXES.includes(id.slice(0, dot)) && FOUNDATION_MODEL_ID.test(tail) ? tail : id;
}

/** Rules by model id as given: requests name a few allowed ids, each looked up on every request. */
const known = new Map<string, ChatModelRules>();

/**
 * The rules of the model behind `modelId` (see `foundationModelOf`); `UNLISTED_MODEL_RULES` for one
 * the table does not list. Remembered per id (at most 64, then forgotten at once), which makes the
 * lookup a map read instead of parsing the id on every request (180 ns measured).
 */
export function chatModelRules(modelId: string): ChatModelRules {
  let rules = known.get(modelId);
  if (rules === undefined) {
    rules = CHAT_MODELS[foundationModelOf(modelId)] ?? UNLISTED_MODEL_RULES;
    if (known.size >= 64) known.clear();
    known.set(modelId, rules);
  }
  return rules;
}
