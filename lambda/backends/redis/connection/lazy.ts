/**
 * The runtime's door to the Redis client: evaluates this folder's index (and with it ioredis) on
 * first use, so the embedded backend never loads ioredis. On a Redis backend the first use is the
 * init-phase warm-up, so the load still happens during init, before the first request.
 */
import type { RuntimeConfig } from '../../../core/config';
import type { RedisCommands, RedisProvider } from './redis-commands';
import type { ClientHooks } from './connection';

type RedisModule = typeof import('./index');

let loading: Promise<RedisModule> | undefined;

function loadRedis(): Promise<RedisModule> {
  loading ??= import('./index');
  return loading;
}

/** `redisProvider(config, hooks)` from `./index`, loaded on the first call. */
export function lazyRedisProvider(config: RuntimeConfig, hooks?: ClientHooks): RedisProvider {
  let provider: RedisProvider | undefined;
  return async (): Promise<RedisCommands> => {
    provider ??= (await loadRedis()).redisProvider(config, hooks);
    return provider();
  };
}

/** `resetRedisClient()` when the client module was ever loaded; nothing to close otherwise. */
export async function resetLoadedRedisClient(): Promise<void> {
  if (loading !== undefined) await (await loading).resetRedisClient();
}
