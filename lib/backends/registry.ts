import type { BackendId } from '../config/backends';
import type { BackendUnit } from './cache-backend';
import { ELASTICACHE_SERVERLESS_UNIT } from './elasticache-serverless-backend';
import { ELASTICACHE_VALKEY_SEARCH_UNIT } from './elasticache-valkey-search-backend';
import { MEMORYDB_UNIT } from './memorydb-backend';
import { MEMORYDB_VECTOR_UNIT } from './memorydb-vector-backend';
import { REDIS_STACK_UNIT } from './redis-stack-backend';

/**
 * Every backend id's unit. The stack looks its backend up here and never compares ids: a new
 * backend is its own file (construct and unit) plus one line here and its id in
 * `lib/config/backends.ts`.
 */
export const BACKEND_UNITS: Readonly<Record<BackendId, BackendUnit>> = {
  'redis-stack': REDIS_STACK_UNIT,
  'elasticache-serverless': ELASTICACHE_SERVERLESS_UNIT,
  memorydb: MEMORYDB_UNIT,
  'memorydb-vector': MEMORYDB_VECTOR_UNIT,
  'elasticache-valkey-search': ELASTICACHE_VALKEY_SEARCH_UNIT,
};
