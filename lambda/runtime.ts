import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { CacheActions } from './actions/cache-actions';
import { BACKENDS, type RuntimeBackend } from './backends';
import type { RedisProvider } from './backends/redis/connection/redis-commands';
import { lazyChatModel, lazyEmbedder } from './bedrock/lazy';
import { LlmCache } from './cache/llm-cache';
import { CacheGuard } from './cache/guard';
import { CircuitBreaker } from './cache/circuit-breaker';
import { DEFAULT_LOCK_OPTIONS } from './cache/entry-lock';
import { loadConfig, type RuntimeConfig } from './core/config';
import type { ChatModel, Embedder } from './core/types';
import type { CacheObserver } from './observability/observer';
import { PowertoolsObserver } from './observability/powertools-observer';

/** One container's cache runtime: config read once, clients created lazily. */
export interface Runtime {
  readonly config: RuntimeConfig;
  readonly cache: LlmCache;
  /**
   * The backend under the cache: the actions (invalidate, purge) reach its store, index and
   * `purge` directly. Its calls are not guarded: the caller bounds and reports them.
   */
  readonly backend: RuntimeBackend;
  /** Takes answers back: invalidate, reject, purge (the direct-invoke and Function URL handler only). */
  readonly actions: CacheActions;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Publishes the metrics recorded since the last flush; the handler calls it at the end of each invocation. */
  flushMetrics(): void;
  /** Starts connecting to the cache in the background (Lambda init), without waiting or failing. */
  warmUp(): void;
  /** Closes the cache connection (local tools and tests; a Lambda container never needs it). */
  close(): Promise<void>;
}

/** Parts a caller may supply instead of the defaults (tests, or a user's own function). */
export interface RuntimeOverrides {
  readonly model?: ChatModel;
  readonly embedder?: Embedder;
  /** The Redis client of a Redis backend (ignored by the embedded one). */
  readonly redis?: RedisProvider;
  readonly observer?: CacheObserver;
}

export function createRuntime(config: RuntimeConfig, overrides: RuntimeOverrides = {}): Runtime {
  // The `service` dimension of every metric: the stack sets its own name (POWERTOOLS_SERVICE_NAME),
  // so two stacks in one account never share a dashboard's data.
  const logger = new Logger({ serviceName: config.serviceName });
  const metrics = new Metrics({ namespace: config.metricsNamespace, serviceName: config.serviceName });
  const observer = overrides.observer ?? new PowertoolsObserver(logger, metrics, config.price);
  const flushMetrics = (): void => {
    if (observer.flush) observer.flush();
    else if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  // The Bedrock SDK and ioredis load on first use (see bedrock/lazy.ts, backends/redis/connection/lazy.ts):
  // a cold start answered from the cache never evaluates the SDK, and the embedded backend never ioredis.
  const model = overrides.model ?? lazyChatModel(config);
  const embedder = overrides.embedder ?? lazyEmbedder(config);
  const backend = BACKENDS[config.backend](config, { observer, redis: overrides.redis });
  // Each opening is reported once (metric BreakerOpened and a log line naming the shard).
  const breaker = (partition?: string): CircuitBreaker =>
    new CircuitBreaker({ coolDownMs: config.breakerCoolDownMs, onOpen: () => observer.breakerOpened?.(partition) });
  // A backend with shards (a cluster) gets one breaker per shard: a failed master switches the
  // cache off for its keys only.
  // A cold container's first operations wait for the first connection (connect deadline), then get their own.
  const guard = new CacheGuard(config.cacheTimeoutMs, breaker(), backend.shardOf, breaker, backend.connecting);
  const lock = { ...DEFAULT_LOCK_OPTIONS, ttlMs: config.lockTtlMs, waitMs: config.lockWaitMs };
  const cache = new LlmCache({
    model, embedder, guard, observer, lock, disabled: config.cacheDisabled, semanticPrepareTimeoutMs: config.semanticPrepareTimeoutMs,
    store: backend.store, semanticIndex: backend.semanticIndex,
  });
  const actions = new CacheActions({ backend, guard, observer, allowPurge: config.allowPurge });
  return { config, cache, backend, actions, logger, metrics, flushMetrics, warmUp: () => backend.warmUp(), close: () => backend.close() };
}

let containerRuntime: Runtime | undefined;

/** The container's runtime, built from `process.env` on first use. Throws `ConfigurationError`. */
export function getRuntime(): Runtime {
  containerRuntime ??= createRuntime(loadConfig(process.env));
  return containerRuntime;
}
