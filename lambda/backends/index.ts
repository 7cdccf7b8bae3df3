import type { BackendTable } from './backend';
import { memoryBackend } from './memory/memory-backend';
import { redisBackend, redisClusterBackend } from './redis/redis-backend';

export type { BackendDeps, BackendFactory, PurgeResult, RuntimeBackend } from './backend';

/**
 * The runtime's backend units by `CACHE_BACKEND`. None of them loads ioredis until it is used:
 * the Redis units reach the client through `connection/lazy.ts`.
 */
export const BACKENDS: BackendTable = {
  memory: memoryBackend,
  redis: redisBackend,
  'redis-cluster': redisClusterBackend,
};
