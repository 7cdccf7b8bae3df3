import type { CacheMode } from './types';
import { ConfigurationError } from './errors';
import { readCacheUrl } from './cache-url';
import { DEFAULT_MEMORY_MAX_BYTES, DEFAULT_MEMORY_MAX_ENTRIES } from './expiring-lru';
import { envBoolean, envEnum, envList, envNumber, envOptional, envString, type Env } from './env';
import { parseNamespaceSource, type NamespaceSource } from './namespace-source';

export type BackendKind = 'memory' | 'redis' | 'redis-cluster';
export type SemanticIndexKind = 'auto' | 'search' | 'client' | 'none';

/** Default chat model: a current Claude Haiku cross-region inference profile. */
export const DEFAULT_MODEL_ID = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';
export const DEFAULT_EMBEDDING_MODEL_ID = 'amazon.titan-embed-text-v2:0';
/** Titan Text Embeddings V2 supports exactly these output sizes. */
export const TITAN_V2_DIMENSIONS = [256, 512, 1024] as const;
/** Largest prompt (UTF-16 code units) a request may carry; larger is `InvalidRequest`. */
export const DEFAULT_MAX_PROMPT_CHARS = 100_000;

/** Everything the runtime reads from its environment, read once per container. */
export interface RuntimeConfig {
  readonly backend: BackendKind;
  /** `CACHE_URL` without credentials (those move to `username`/`password`, see `readCacheUrl`): safe to log. */
  readonly cacheUrl?: string;
  readonly secretArn?: string;
  readonly username?: string;
  readonly password?: string;
  readonly tlsCaFile?: string;
  readonly semanticIndex: SemanticIndexKind;
  readonly mode: CacheMode;
  readonly ttlSeconds: number;
  readonly threshold: number;
  /**
   * Floor of the similarity threshold (`SEMANTIC_MIN_THRESHOLD`): a request's `threshold` may
   * raise the configured one, never go below this. A safety property, not only a tuning knob:
   * threshold 0 matches any prompt in scope. In (0, 1]; default `threshold`.
   */
  readonly minThreshold: number;
  readonly namespace: string;
  /** Where an HTTP event's namespace comes from (`NAMESPACE_FROM`); see `namespace-source.ts`. Default `body`. */
  readonly namespaceFrom: NamespaceSource;
  readonly modelId: string;
  readonly allowedModelIds: readonly string[];
  readonly embeddingModelId: string;
  readonly embeddingDimensions: number;
  readonly bedrockEndpoint?: string;
  readonly region?: string;
  readonly maxTokens: number;
  readonly maxPromptChars: number;
  /** Per-command timeout of cache operations; past it the request fails open. Default 250 ms. */
  readonly cacheTimeoutMs: number;
  /** Connect timeout of the cache client. Default 1000 ms. */
  readonly cacheConnectTimeoutMs: number;
  /** Kill switch: `CACHE_DISABLED=true` serves every request straight from the model. */
  readonly cacheDisabled: boolean;
  /** Expiry of the cross-container single-flight lock (frees waiters if its holder dies). Default 20000 ms. */
  readonly lockTtlMs: number;
  /** Longest a request waits for another container's answer before asking the model itself. Default 20000 ms. */
  readonly lockWaitMs: number;
  /** How long the circuit breaker skips the cache after it opens, before one probe. Default 5000 ms. */
  readonly breakerCoolDownMs: number;
  /**
   * Bound of the embedded backend (`memory`): most entries in the exact store, and most documents
   * in the semantic index, across all namespaces and scopes (`MEMORY_MAX_ENTRIES`). Default 10,000.
   */
  readonly memoryMaxEntries: number;
  /**
   * Estimated heap bytes each of the two embedded structures may hold (`MEMORY_MAX_BYTES`); least
   * recently used out first. Default 64 MiB: both together stay under a quarter of a 512 MB function.
   */
  readonly memoryMaxBytes: number;
}

/** Reads and validates the environment. Throws `ConfigurationError` naming the bad variable. */
export function loadConfig(env: Env = process.env): RuntimeConfig {
  const backend = envEnum<BackendKind>(env, 'CACHE_BACKEND', ['memory', 'redis', 'redis-cluster'], 'memory');
  const cacheUrl = envOptional(env, 'CACHE_URL');
  if (backend !== 'memory' && cacheUrl === undefined) {
    throw new ConfigurationError(`CACHE_URL is required when CACHE_BACKEND=${backend}`);
  }
  if (cacheUrl !== undefined && !/^rediss?:\/\//.test(cacheUrl)) {
    // Never echo the value: a URL may carry credentials, and this message is logged.
    const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:/.exec(cacheUrl)?.[0];
    throw new ConfigurationError(`CACHE_URL is invalid${scheme ? ` (scheme ${scheme})` : ''}: expected redis:// or rediss://host:port`);
  }
  const modelId = envString(env, 'LLM_MODEL_ID', DEFAULT_MODEL_ID);
  const allowed = envList(env, 'LLM_ALLOWED_MODEL_IDS');
  const embeddingDimensions = envNumber(env, 'EMBEDDING_DIMENSIONS', 1024, { integer: true, min: 1 });
  const embeddingModelId = envString(env, 'EMBEDDING_MODEL_ID', DEFAULT_EMBEDDING_MODEL_ID);
  if (embeddingModelId.startsWith('amazon.titan-embed-text-v2') && !(TITAN_V2_DIMENSIONS as readonly number[]).includes(embeddingDimensions)) {
    throw new ConfigurationError(`EMBEDDING_DIMENSIONS=${embeddingDimensions} is invalid for ${embeddingModelId}: expected one of ${TITAN_V2_DIMENSIONS.join(', ')}`);
  }
  const threshold = envNumber(env, 'SEMANTIC_THRESHOLD', 0.9, { min: 0, max: 1 });
  const minThreshold = envNumber(env, 'SEMANTIC_MIN_THRESHOLD', threshold, { min: 0, max: 1 });
  if (minThreshold <= 0) {
    throw new ConfigurationError(`SEMANTIC_MIN_THRESHOLD=${minThreshold} is invalid: expected a number in (0, 1] (0 would let a request match any prompt in its scope)`);
  }
  if (threshold < minThreshold) {
    throw new ConfigurationError(`SEMANTIC_THRESHOLD=${threshold} is below SEMANTIC_MIN_THRESHOLD=${minThreshold}: the default threshold must respect the floor`);
  }
  const namespaceFromRaw = envString(env, 'NAMESPACE_FROM', 'body');
  const namespaceFrom = parseNamespaceSource(namespaceFromRaw);
  if ('problem' in namespaceFrom) throw new ConfigurationError(`NAMESPACE_FROM=${namespaceFromRaw} is invalid: ${namespaceFrom.problem}`);
  return {
    backend,
    ...readCacheUrl(env, cacheUrl),
    secretArn: envOptional(env, 'CACHE_SECRET_ARN'),
    tlsCaFile: envOptional(env, 'CACHE_TLS_CA_FILE'),
    semanticIndex: envEnum<SemanticIndexKind>(env, 'SEMANTIC_INDEX', ['auto', 'search', 'client', 'none'], 'auto'),
    mode: envEnum<CacheMode>(env, 'CACHE_MODE', ['standard', 'semantic', 'off'], 'semantic'),
    ttlSeconds: envNumber(env, 'CACHE_TTL_SECONDS', 86_400, { integer: true, min: 1 }),
    threshold,
    minThreshold,
    namespace: envString(env, 'CACHE_NAMESPACE', 'default'),
    namespaceFrom,
    modelId,
    allowedModelIds: allowed.length > 0 ? [...new Set([modelId, ...allowed])] : [modelId],
    embeddingModelId,
    embeddingDimensions,
    bedrockEndpoint: envOptional(env, 'BEDROCK_ENDPOINT'),
    region: envOptional(env, 'AWS_REGION') ?? envOptional(env, 'AWS_DEFAULT_REGION'),
    maxTokens: envNumber(env, 'LLM_MAX_TOKENS', 512, { integer: true, min: 1, max: 64_000 }),
    maxPromptChars: envNumber(env, 'MAX_PROMPT_CHARS', DEFAULT_MAX_PROMPT_CHARS, { integer: true, min: 1 }),
    cacheTimeoutMs: envNumber(env, 'CACHE_TIMEOUT_MS', 250, { integer: true, min: 1 }),
    cacheConnectTimeoutMs: envNumber(env, 'CACHE_CONNECT_TIMEOUT_MS', 1000, { integer: true, min: 1 }),
    cacheDisabled: envBoolean(env, 'CACHE_DISABLED', false),
    lockTtlMs: envNumber(env, 'CACHE_LOCK_TTL_MS', 20_000, { integer: true, min: 1 }),
    lockWaitMs: envNumber(env, 'CACHE_LOCK_WAIT_MS', 20_000, { integer: true, min: 0 }),
    breakerCoolDownMs: envNumber(env, 'CACHE_BREAKER_COOLDOWN_MS', 5000, { integer: true, min: 1 }),
    memoryMaxEntries: envNumber(env, 'MEMORY_MAX_ENTRIES', DEFAULT_MEMORY_MAX_ENTRIES, { integer: true, min: 1 }),
    memoryMaxBytes: envNumber(env, 'MEMORY_MAX_BYTES', DEFAULT_MEMORY_MAX_BYTES, { integer: true, min: 1024 * 1024 }),
  };
}
