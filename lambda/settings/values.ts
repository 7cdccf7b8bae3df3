import type { CacheMode } from '../core/types';

/**
 * Values the settings table and the request parser share, each defined once. No aws-cdk-lib
 * import: this module is part of the Lambda bundle and of the CDK app alike.
 */

/** Default chat model: Claude Haiku 4.5 through the `us.` cross-region inference profile. */
export const DEFAULT_MODEL_ID = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';
/** Default embedding model: Titan Text Embeddings V2. */
export const DEFAULT_EMBEDDING_MODEL_ID = 'amazon.titan-embed-text-v2:0';
/** Titan Text Embeddings V2 supports exactly these output sizes. */
export const TITAN_V2_DIMENSIONS = [256, 512, 1024] as const;

/**
 * Embedding models whose output sizes are known, with those sizes. The stacks deploy only these
 * (synth refuses others); the runtime checks the size of a listed model and trusts any other.
 */
export const EMBEDDING_MODELS: Readonly<Record<string, readonly number[]>> = {
  [DEFAULT_EMBEDDING_MODEL_ID]: TITAN_V2_DIMENSIONS,
};

/** Cache modes the configuration (`CACHE_MODE`, the default of a request) may name. */
export const CACHE_MODES = ['standard', 'semantic', 'off'] as const satisfies readonly CacheMode[];

/**
 * Modes a request may name: the configurable ones and `refresh` (call the model, replace the entry).
 * Not a default: a deployment that refreshed every request would pay a model call each time and
 * never serve an answer from its cache.
 */
export const REQUEST_MODES = [...CACHE_MODES, 'refresh'] as const satisfies readonly CacheMode[];

/**
 * Levels of the same-question check, loosest first: `off`, `on` (the rules, a substituted content
 * word needs the substitution bar), `strict` (no substituted content word at all). A request may
 * name a level at or above the configured one, never below.
 */
export const SEMANTIC_CHECK_LEVELS = ['off', 'on', 'strict'] as const;
export type SemanticCheckLevel = (typeof SEMANTIC_CHECK_LEVELS)[number];

/** Namespaces become part of keys: a conservative charset keeps keys, ACL patterns and logs safe. */
export const NAMESPACE_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
/** `NAMESPACE_PATTERN` in words, for messages and the README. */
export const NAMESPACE_RULE = '1-64 characters of letters, digits, ".", "_" or "-"';

/**
 * Longest TTL, of the configured default and of a request's `ttlSeconds` alike: one year. A
 * request could already store an entry that long, so a lower limit on the default (synth once
 * allowed 30 days) protected nothing; one year still refuses a mistyped "forever".
 */
export const MAX_TTL_SECONDS = 365 * 24 * 3600;

/**
 * Similarity thresholds (configured, floor and per request): cosine similarity in (0, 1]. 0 is
 * excluded because it would match any prompt in the scope.
 */
export const THRESHOLD_RANGE = { minExclusive: 0, max: 1 } as const;

/**
 * Largest `maxTokens` accepted for any model: 128,000, the largest max output of a Claude model on
 * Bedrock (the Claude Haiku 5.5 model card). Each listed model caps it lower (`CHAT_MODELS` in
 * `chat-models.ts`: 64,000 for Claude Haiku 4.5 and Sonnet 4.5).
 */
export const MAX_TOKENS_LIMIT = 128_000;
/** Largest prompt (UTF-16 code units) a request may carry; larger is `InvalidRequest`. */
export const DEFAULT_MAX_PROMPT_CHARS = 100_000;

/** CloudWatch Logs retention periods accepted here (a subset of what the service allows). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 180, 365] as const;
