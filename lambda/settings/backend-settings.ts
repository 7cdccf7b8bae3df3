import { int, oneOf, str, type Setting } from './parse';

/**
 * ElastiCache node types vector search does not run on as this stack configures it (ElastiCache
 * guide, "Search features and limits"; docs/aws-facts.md): data-tiering (`*gd`) nodes, and the
 * micro/small burstable types, which need a larger memory reserve. The settings row and the
 * construct (`assertSearchCapable`) both test these.
 */
export const SEARCH_DATA_TIERING_NODE = /^cache\.[a-z]+\d+[a-z]*gd\./;
export const SEARCH_SMALL_BURSTABLE_NODE = /^cache\.t\d+g?\.(?:micro|small)$/;

/** An ElastiCache node type name, with neither of the exclusions above (each as a lookahead). */
const SEARCH_NODE_TYPE = new RegExp(`^(?!${SEARCH_DATA_TIERING_NODE.source.slice(1)})(?!${SEARCH_SMALL_BURSTABLE_NODE.source.slice(1)})cache\\.[a-z]+\\d+[a-z]*\\.[a-z0-9]+$`);

/**
 * Per-backend settings (CDK context only: the function learns its backend's connection, never
 * its size), keyed by backend id.
 */
export interface BackendSettings {
  readonly 'redis-stack': { readonly instanceType: string; readonly imageTag: string; readonly volumeGiB: number };
  readonly 'elasticache-serverless': { readonly maxStorageGb: number; readonly maxEcpuPerSecond: number };
  readonly memorydb: { readonly nodeType: string; readonly shards: number; readonly replicasPerShard: number };
  readonly 'memorydb-vector': { readonly nodeType: string; readonly shards: number; readonly replicasPerShard: number };
  readonly 'elasticache-valkey-search': { readonly nodeType: string; readonly shards: number; readonly replicasPerShard: number; readonly engineVersion: string };
}

/** A backend id, as the per-backend settings know them. */
export type BackendSettingsId = keyof BackendSettings;

type RowsOf<T> = { readonly [K in keyof T]: Setting<T[K]> };

/** One MemoryDB replica count for both MemoryDB stacks (context key `memoryDbReplicasPerShard`). */
const memoryDbReplicasPerShard = int(
  { context: 'memoryDbReplicasPerShard', default: 1, doc: 'MemoryDB replicas per shard, both MemoryDB backends (one gives Multi-AZ failover)' },
  { min: 0, max: 5 },
);

/** The row behind each per-backend field; context keys are the ones users already pass with `-c`. */
export const BACKEND_SETTINGS: { readonly [Id in BackendSettingsId]: RowsOf<BackendSettings[Id]> } = {
  'redis-stack': {
    instanceType: str(
      { context: 'redisInstanceType', default: 't4g.small', doc: 'Graviton instance type of the Redis EC2 host' },
      { pattern: /^[a-z]+\d+g[a-z]*\.[a-z0-9]+$/, expected: 'a Graviton type such as t4g.small, m7g.large or r7g.large' },
    ),
    imageTag: str(
      { context: 'redisImageTag', default: '8.2.2', doc: 'exact tag of the official Redis image' },
      { pattern: /^\d+\.\d+\.\d+(-[a-z0-9.]+)?$/, expected: 'an exact version tag such as 8.2.2 (never latest)' },
    ),
    volumeGiB: int({ context: 'redisVolumeGiB', default: 16, doc: 'root volume of the Redis EC2 host in GiB' }, { min: 8, max: 1024 }),
  },
  'elasticache-serverless': {
    maxStorageGb: int({ context: 'elastiCacheMaxStorageGb', default: 5, doc: 'ElastiCache Serverless data storage ceiling in GB (caps cost)' }, { min: 1, max: 5000 }),
    maxEcpuPerSecond: int(
      { context: 'elastiCacheMaxEcpuPerSecond', default: 5000, doc: 'ElastiCache Serverless ECPU-per-second ceiling (caps cost)' },
      { min: 1000, max: 15_000_000 },
    ),
  },
  memorydb: {
    nodeType: str(
      { context: 'memoryDbNodeType', default: 'db.t4g.small', doc: 'MemoryDB node type' },
      { pattern: /^db\.[a-z0-9]+\.[a-z0-9]+$/, expected: 'a MemoryDB node type such as db.t4g.small or db.r7g.large' },
    ),
    shards: int({ context: 'memoryDbShards', default: 1, doc: 'MemoryDB shard count' }, { min: 1, max: 500 }),
    replicasPerShard: memoryDbReplicasPerShard,
  },
  'memorydb-vector': {
    nodeType: str(
      { context: 'memoryDbVectorNodeType', default: 'db.t4g.small', doc: 'MemoryDB node type of the vector-search cluster' },
      { pattern: /^db\.(r6g|r7g|t4g)\.[a-z0-9]+$/, expected: 'an R6g, R7g or T4g node type (the ones MemoryDB vector search supports)' },
    ),
    shards: int(
      { context: 'memoryDbVectorShards', default: 1, doc: 'shards of the vector-search cluster' },
      { allowed: [1], why: 'MemoryDB vector search supports exactly one shard' },
    ),
    replicasPerShard: memoryDbReplicasPerShard,
  },
  'elasticache-valkey-search': {
    nodeType: str(
      { context: 'valkeySearchNodeType', default: 'cache.r7g.large', doc: 'node type of the ElastiCache for Valkey cluster with vector search' },
      {
        pattern: SEARCH_NODE_TYPE,
        expected: 'an ElastiCache node type such as cache.r7g.large (no data-tiering *gd types, no t*.micro or t*.small)',
      },
    ),
    shards: int({ context: 'valkeySearchShards', default: 1, doc: 'shards (node groups) of the Valkey vector-search cluster (90 is the default quota)' }, { min: 1, max: 90 }),
    replicasPerShard: int({ context: 'valkeySearchReplicasPerShard', default: 1, doc: 'replicas per shard of the Valkey vector-search cluster' }, { min: 0, max: 5 }),
    engineVersion: oneOf({ context: 'valkeySearchEngineVersion', default: '8.2', doc: 'Valkey engine version of the vector-search cluster' }, ['8.2']),
  },
};

/** Each backend row once (the MemoryDB replica row serves two backends). */
export function backendRows(): readonly Setting<unknown>[] {
  const rows = Object.values(BACKEND_SETTINGS).flatMap((group) => Object.values(group) as Setting<unknown>[]);
  return [...new Set(rows)];
}
