import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { lazyChatModel, lazyEmbedder } from './bedrock/lazy';
import { LlmCache } from './cache/llm-cache';
import { CacheGuard } from './cache/guard';
import { CircuitBreaker } from './cache/circuit-breaker';
import { DEFAULT_LOCK_OPTIONS } from './cache/lock-wait';
import { keySlot } from './cache/key-slot';
import { loadConfig, type RuntimeConfig } from './core/config';
import type { ChatModel, Embedder } from './core/types';
import { envNumber } from './core/env';
import type { CacheObserver } from './observability/observer';
import { METRICS_DEFAULTS } from './observability/metric-names';
import { PowertoolsObserver } from './observability/powertools-observer';
import { DEFAULT_TOKEN_PRICE } from './observability/pricing';
import { connectionFaultReason } from './redis/connection-fault';
import { connectionFaultHooks } from './redis/fault-hooks';
import { lazyRedisProvider, resetLoadedRedisClient } from './redis/lazy';
import { MemoryIndex } from './semantic/memory-index';
import { redisIndexResolver } from './semantic/index-resolver';
import { MemoryStore } from './stores/memory-store';
import type { RedisCommands, RedisProvider } from './stores/redis-commands';
import { RedisStore } from './stores/redis-store';

/** One container's cache runtime: config read once, clients created lazily. */
export interface Runtime {
  readonly config: RuntimeConfig;
  readonly cache: LlmCache;
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
  readonly redis?: RedisProvider;
  readonly observer?: CacheObserver;
  readonly env?: NodeJS.ProcessEnv;
}

export function createRuntime(config: RuntimeConfig, overrides: RuntimeOverrides = {}): Runtime {
  const env = overrides.env ?? process.env;
  // The `service` dimension of every metric: the stack sets its own name here, so two stacks in
  // one account never share a dashboard's data (Powertools' default would be "service_undefined").
  const serviceName = env.POWERTOOLS_SERVICE_NAME ?? METRICS_DEFAULTS.serviceName;
  const logger = new Logger({ serviceName });
  const metrics = new Metrics({ namespace: env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_DEFAULTS.namespace, serviceName });
  const price = {
    inputPerMTok: envNumber(env, 'LLM_PRICE_INPUT_PER_MTOK', DEFAULT_TOKEN_PRICE.inputPerMTok, { min: 0 }),
    outputPerMTok: envNumber(env, 'LLM_PRICE_OUTPUT_PER_MTOK', DEFAULT_TOKEN_PRICE.outputPerMTok, { min: 0 }),
  };
  const observer = overrides.observer ?? new PowertoolsObserver(logger, metrics, price);
  const flushMetrics = (): void => {
    if (observer.flush) observer.flush();
    else if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  // The Bedrock SDK and ioredis load on first use (see bedrock/lazy.ts, redis/lazy.ts): a cold
  // start answered from the cache never evaluates the SDK, and the embedded backend never ioredis.
  const model = overrides.model ?? lazyChatModel(config);
  const embedder = overrides.embedder ?? lazyEmbedder(config);
  // Each opening is reported once (metric BreakerOpened and a log line naming the shard).
  const breaker = (partition?: string): CircuitBreaker =>
    new CircuitBreaker({ coolDownMs: config.breakerCoolDownMs, onOpen: () => observer.breakerOpened?.(partition) });
  // A cluster gets one breaker per shard: a failed master switches the cache off for its keys only.
  let cluster: ClusterSlots | undefined;
  const partitionOf = config.backend === 'redis-cluster' ? (key: string): string | undefined => cluster?.slots[keySlot(key)]?.[0] : undefined;
  const guard = new CacheGuard(config.cacheTimeoutMs, breaker(), partitionOf, breaker);
  const lock = { ...DEFAULT_LOCK_OPTIONS, ttlMs: config.lockTtlMs, waitMs: config.lockWaitMs };
  const base = { model, embedder, guard, observer, lock, disabled: config.cacheDisabled };
  if (config.backend === 'memory') {
    const { memoryMaxEntries: maxEntries, memoryMaxBytes: maxBytes } = config;
    const index = config.semanticIndex === 'none' ? null : new MemoryIndex(maxEntries, Date.now, maxBytes);
    const cache = new LlmCache({ ...base, store: new MemoryStore(maxEntries, Date.now, maxBytes), semanticIndex: async () => index });
    return { config, cache, logger, metrics, flushMetrics, warmUp: () => undefined, close: async () => undefined };
  }
  // The connection's own errors, classified (auth-failed, tls-failed, network), once per reason.
  const provider = overrides.redis ?? lazyRedisProvider(config, connectionFaultHooks((fault) => observer.fault({ operation: 'connect', ...fault })));
  let resolved: RedisCommands | undefined;
  const redis: RedisProvider = async () => {
    const client = await provider();
    if (isClusterSlots(client)) cluster = client;
    resolved = client;
    return client;
  };
  // The hit path's shortcut: the client the provider last resolved, while it reports `ready`.
  // Anything else (first use, a lost connection) goes through the provider, which connects or
  // fails fast; the guard's deadline and breakers apply either way.
  const readyClient = (): RedisCommands | undefined => (resolved !== undefined && (resolved as { status?: string }).status === 'ready' ? resolved : undefined);
  const cache = new LlmCache({ ...base, store: new RedisStore(redis, readyClient), semanticIndex: redisIndexResolver(config, redis) });
  const warmUp = (): void => {
    redis().catch((error: unknown) => observer.fault({ operation: 'connect', reason: connectionFaultReason(error) ?? 'error', error }));
  };
  return { config, cache, logger, metrics, flushMetrics, warmUp, close: resetLoadedRedisClient };
}

/** The part of ioredis' `Cluster` the guard reads: the node (`host:port`) serving each slot. */
interface ClusterSlots {
  readonly slots: readonly (readonly string[] | undefined)[];
}

function isClusterSlots(client: unknown): client is ClusterSlots {
  return typeof client === 'object' && client !== null && (client as { isCluster?: unknown }).isCluster === true && Array.isArray((client as { slots?: unknown }).slots);
}

let containerRuntime: Runtime | undefined;

/** The container's runtime, built from `process.env` on first use. Throws `ConfigurationError`. */
export function getRuntime(): Runtime {
  containerRuntime ??= createRuntime(loadConfig(process.env));
  return containerRuntime;
}
