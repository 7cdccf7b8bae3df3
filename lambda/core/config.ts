import type { CacheMode } from './types';
import type { SemanticCheckLevel } from '../settings/values';
import { ConfigurationError } from './errors';
import { readCacheUrl } from './cache-url';
import { envOptional, envSetting, type Env } from './env';
import { parseNamespaceSource, type NamespaceSource } from './namespace-source';
import type { TokenPrice } from '../observability/pricing';
import { dimensionsProblem, floorProblem, maxTokensProblems } from '../settings/checks';
import { RUNTIME_SETTINGS } from '../settings/runtime-settings';
import { SHARED_SETTINGS } from '../settings/table';

/** The value type of a settings row. */
type ValueOf<S> = S extends { readonly default: infer T } ? T : never;

export type BackendKind = ValueOf<typeof RUNTIME_SETTINGS.backend>;
export type SemanticIndexKind = ValueOf<typeof RUNTIME_SETTINGS.semanticIndex>;

/**
 * Everything the runtime reads from its environment, read once per container. Each field's
 * variable, default, valid values and meaning are one row of the settings table
 * (`lambda/settings`), the rows the stacks' CDK context is checked against too.
 */
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
  /** The same-question check's level (`SEMANTIC_CHECK`); a request may raise it, never lower it. Default `on`. */
  readonly semanticCheck: SemanticCheckLevel;
  readonly namespace: string;
  /** Where an HTTP event's namespace comes from (`NAMESPACE_FROM`); see `namespace-source.ts`. Default `body`. */
  readonly namespaceFrom: NamespaceSource;
  /** Whether the `purge` action may run (`CACHE_ALLOW_PURGE=true`). Default false: a purge is `PurgeDisabled`. */
  readonly allowPurge: boolean;
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
  /** Connect timeout of the cache client, and how long a new container's first request waits for the first connection. Default 1000 ms. */
  readonly cacheConnectTimeoutMs: number;
  /** How long a semantic request waits for its container's first read of a scope (client-side index). Default 3000 ms. */
  readonly semanticPrepareTimeoutMs: number;
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
  /** `service` dimension of every metric and log line (`POWERTOOLS_SERVICE_NAME`). Default `bedrock-llm-cache`. */
  readonly serviceName: string;
  /** CloudWatch metrics namespace (`POWERTOOLS_METRICS_NAMESPACE`). Default `BedrockLlmCache`. */
  readonly metricsNamespace: string;
  /** Price feeding the cost-saved metric (`LLM_PRICE_INPUT_PER_MTOK`, `LLM_PRICE_OUTPUT_PER_MTOK`). */
  readonly price: TokenPrice;
  /** Client-side semantic index: most documents per scope (`SEMANTIC_CLIENT_MAX_ENTRIES`). Default 10,000. */
  readonly clientIndexMaxEntries: number;
  /** Client-side semantic index: most scopes per container (`SEMANTIC_CLIENT_MAX_SCOPES`). Default 16. */
  readonly clientIndexMaxScopes: number;
}

/** Reads and validates the environment. Throws `ConfigurationError` naming the bad variable. */
export function loadConfig(env: Env = process.env): RuntimeConfig {
  const S = SHARED_SETTINGS;
  const R = RUNTIME_SETTINGS;
  const backend = envSetting(env, R.backend);
  const cacheUrl = envSetting(env, R.cacheUrl);
  if (backend !== 'memory' && cacheUrl === undefined) {
    throw new ConfigurationError(`CACHE_URL is required when CACHE_BACKEND=${backend}`);
  }
  if (cacheUrl !== undefined && !/^rediss?:\/\//.test(cacheUrl)) {
    // Never echo the value: a URL may carry credentials, and this message is logged.
    const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:/.exec(cacheUrl)?.[0];
    throw new ConfigurationError(`CACHE_URL is invalid${scheme ? ` (scheme ${scheme})` : ''}: expected redis:// or rediss://host:port`);
  }
  const modelId = envSetting(env, S.modelId);
  const embeddingModelId = envSetting(env, S.embeddingModelId);
  const embeddingDimensions = envSetting(env, S.embeddingDimensions);
  const dimensions = dimensionsProblem(embeddingModelId, embeddingDimensions, 'EMBEDDING_DIMENSIONS');
  if (dimensions !== undefined) throw new ConfigurationError(dimensions);
  const threshold = envSetting(env, S.semanticThreshold);
  const minThreshold = envSetting(env, S.semanticMinThreshold, threshold);
  const floor = floorProblem(threshold, minThreshold, { threshold: 'SEMANTIC_THRESHOLD', floor: 'SEMANTIC_MIN_THRESHOLD' });
  if (floor !== undefined) throw new ConfigurationError(floor);
  const allowedModelIds = [...new Set([modelId, ...envSetting(env, S.allowedModelIds)])];
  const maxTokens = envSetting(env, S.maxTokens);
  const tooMany = maxTokensProblems(maxTokens, allowedModelIds, 'LLM_MAX_TOKENS');
  if (tooMany.length > 0) throw new ConfigurationError(tooMany.join('; '));
  const namespaceFrom = parseNamespaceSource(envSetting(env, S.namespaceFrom));
  if ('problem' in namespaceFrom) throw new ConfigurationError(`NAMESPACE_FROM: ${namespaceFrom.problem}`);
  return {
    backend,
    ...readCacheUrl(env, cacheUrl),
    secretArn: envSetting(env, R.secretArn),
    tlsCaFile: envSetting(env, R.tlsCaFile),
    semanticIndex: envSetting(env, R.semanticIndex),
    mode: envSetting(env, S.cacheMode),
    ttlSeconds: envSetting(env, S.ttlSeconds),
    threshold,
    minThreshold,
    semanticCheck: envSetting(env, S.semanticCheck),
    namespace: envSetting(env, S.namespace),
    namespaceFrom,
    allowPurge: envSetting(env, S.allowPurge),
    modelId,
    allowedModelIds,
    embeddingModelId,
    embeddingDimensions,
    bedrockEndpoint: envSetting(env, R.bedrockEndpoint),
    region: envSetting(env, R.region) ?? envOptional(env, 'AWS_DEFAULT_REGION'),
    maxTokens,
    maxPromptChars: envSetting(env, R.maxPromptChars),
    cacheTimeoutMs: envSetting(env, R.cacheTimeoutMs),
    cacheConnectTimeoutMs: envSetting(env, R.cacheConnectTimeoutMs),
    semanticPrepareTimeoutMs: envSetting(env, R.semanticPrepareTimeoutMs),
    cacheDisabled: envSetting(env, R.cacheDisabled),
    lockTtlMs: envSetting(env, R.lockTtlMs),
    lockWaitMs: envSetting(env, R.lockWaitMs),
    breakerCoolDownMs: envSetting(env, R.breakerCoolDownMs),
    memoryMaxEntries: envSetting(env, R.memoryMaxEntries),
    memoryMaxBytes: envSetting(env, R.memoryMaxBytes),
    serviceName: envSetting(env, R.serviceName),
    metricsNamespace: envSetting(env, R.metricsNamespace),
    price: { inputPerMTok: envSetting(env, R.priceInputPerMTok), outputPerMTok: envSetting(env, R.priceOutputPerMTok) },
    clientIndexMaxEntries: envSetting(env, R.clientIndexMaxEntries),
    clientIndexMaxScopes: envSetting(env, R.clientIndexMaxScopes),
  };
}
