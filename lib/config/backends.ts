/** The cache backends a user can deploy, one stack each. */
export const BACKEND_IDS = ['redis-stack', 'elasticache-serverless', 'memorydb', 'memorydb-vector', 'elasticache-valkey-search'] as const;

/** A backend id as given with `-c backend=<id>`. */
export type BackendId = (typeof BACKEND_IDS)[number];

/** Stack name of each backend; `npm run invoke` and the README use the same names. */
export const STACK_NAMES: Readonly<Record<BackendId, string>> = {
  'redis-stack': 'LlmCache-RedisStack',
  'elasticache-serverless': 'LlmCache-ElastiCacheServerless',
  memorydb: 'LlmCache-MemoryDb',
  'memorydb-vector': 'LlmCache-MemoryDbVector',
  'elasticache-valkey-search': 'LlmCache-ElastiCacheValkeySearch',
};

/** Narrows an arbitrary string to a backend id. */
export function isBackendId(value: string): value is BackendId {
  return (BACKEND_IDS as readonly string[]).includes(value);
}
