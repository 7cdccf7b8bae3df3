import type { RuntimeConfig } from '../../../core/config';
import type { RedisCommands, RedisProvider } from './redis-commands';
import { connectRedisClient, createRedisClient, type ClientHooks, type RedisClient } from './connection';
import { resolveCredentials } from './credentials';

export { clusterRetryBudget, connectRedisClient, createRedisClient, isCluster, parseCacheUrl, reconnectDelay, tlsOptions, type CacheEndpoint, type ClientHooks, type RedisClient } from './connection';
export { connectionFaultHooks } from './fault-hooks';
export { connectionFaultReason, describeConnectionFault, redactCredentials, type ConnectionFaultReason } from './connection-fault';
export { parseSecret, resetCredentialsCache, resolveCredentials, setSecretsManagerClient, type RedisCredentials } from './credentials';

let containerClient: Promise<RedisClient> | undefined;

/**
 * The container's one client, created on first call (credentials first: they may come from
 * Secrets Manager), never in the request path again. Does not connect; see `redisProvider`.
 * A failed creation (e.g. Secrets Manager unreachable) is retried on the next call.
 */
export function getRedisClient(config: RuntimeConfig, hooks?: ClientHooks): Promise<RedisClient> {
  if (containerClient === undefined) {
    const created = resolveCredentials(config).then((credentials) => createRedisClient(config, credentials, hooks));
    containerClient = created;
    created.catch(() => {
      if (containerClient === created) containerClient = undefined;
    });
  }
  return containerClient;
}

/** Disconnects and forgets the container's client (tests). */
export async function resetRedisClient(): Promise<void> {
  const current = containerClient;
  containerClient = undefined;
  if (current) (await current.catch(() => undefined))?.disconnect();
}

/**
 * What the Redis-backed stores and indexes take: resolves the container's client once it is
 * connected (the first call starts the connection, bounded by `cacheConnectTimeoutMs`).
 */
export function redisProvider(config: RuntimeConfig, hooks?: ClientHooks): RedisProvider {
  return async (): Promise<RedisCommands> => connectRedisClient(await getRedisClient(config, hooks), config.cacheConnectTimeoutMs);
}
