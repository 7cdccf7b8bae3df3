import { FirstConnection } from '../../cache/first-connection';
import type { RuntimeConfig } from '../../core/config';
import type { BackendDeps, BackendFactory, RuntimeBackend } from '../backend';
import { connectClusterNodes } from './cluster/connect-nodes';
import { ShardMap } from './cluster/shard-map';
import { connectionFaultReason } from './connection/connection-fault';
import { connectionFaultHooks } from './connection/fault-hooks';
import { lazyRedisProvider, resetLoadedRedisClient } from './connection/lazy';
import type { RedisCommands, RedisProvider } from './connection/redis-commands';
import { redisIndexResolver } from './index-resolver';
import { purgeNamespace } from './purge/redis-purge';
import { RedisStore } from './redis-store';

/**
 * A Redis-family server (Redis, Valkey, ElastiCache, MemoryDB) through one lazily loaded ioredis
 * client. `shardMap`: the cluster kind's per-shard breakers need to know which shard serves a key.
 */
function createRedisBackend(config: RuntimeConfig, deps: BackendDeps, shardMap?: ShardMap): RuntimeBackend {
  const { observer } = deps;
  // The connection's own errors, classified (auth-failed, tls-failed, network), once per reason.
  const provider = deps.redis ?? lazyRedisProvider(config, connectionFaultHooks((fault) => observer.fault({ operation: 'connect', ...fault })));
  let resolved: RedisCommands | undefined;
  const redis: RedisProvider = async () => {
    const client = await provider();
    shardMap?.track(client);
    resolved = client;
    return client;
  };
  // The hit path's shortcut: the client the provider last resolved, while it reports `ready`.
  // Anything else (first use, a lost connection) goes through the provider, which connects or
  // fails fast; the guard's deadline and breakers apply either way.
  const readyClient = (): RedisCommands | undefined => (resolved !== undefined && (resolved as { status?: string }).status === 'ready' ? resolved : undefined);
  // Module load, credentials, TLS and (cluster) slot discovery and every master's connection, bounded by the connect deadline.
  const first = new FirstConnection(async () => connectClusterNodes(await redis()), config.cacheConnectTimeoutMs);
  return {
    store: new RedisStore(redis, readyClient),
    semanticIndex: redisIndexResolver(config, redis),
    shardOf: shardMap === undefined ? undefined : (key) => shardMap.shardOf(key),
    warmUp: () => {
      first.current()?.catch((error: unknown) => observer.fault({ operation: 'connect', reason: connectionFaultReason(error) ?? 'error', error }));
    },
    connecting: () => first.current(),
    purge: async (namespace, deadline) => purgeNamespace(await redis(), namespace, deadline),
    close: resetLoadedRedisClient,
  };
}

/** `CACHE_BACKEND=redis`: one standalone server (or a replication group's primary endpoint). */
export const redisBackend: BackendFactory = (config, deps) => createRedisBackend(config, deps);

/**
 * `CACHE_BACKEND=redis-cluster`: the cluster protocol (ElastiCache Serverless, MemoryDB, a
 * cluster-mode replication group). Each shard gets its own circuit breaker.
 */
export const redisClusterBackend: BackendFactory = (config, deps) => createRedisBackend(config, deps, new ShardMap());
