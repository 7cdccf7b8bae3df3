import type { RedisCommands } from '../connection/redis-commands';

/**
 * Whether the server runs vector search, found with `FT._LIST` (answered by Redis with the query
 * engine, MemoryDB with vector search and valkey-search). Never `MODULE LIST`: MemoryDB and
 * ElastiCache restrict it, which is what breaks other semantic caches there.
 */
export async function hasVectorSearch(redis: RedisCommands): Promise<boolean> {
  try {
    await redis.call('FT._LIST');
    return true;
  } catch (error) {
    if (isUnknownCommand(error)) return false;
    throw error;
  }
}

export function isUnknownCommand(error: unknown): boolean {
  return error instanceof Error && /unknown command|command not allowed|not supported/i.test(error.message);
}
