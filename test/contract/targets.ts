import { readFileSync } from 'node:fs';
import Redis, { Cluster } from 'ioredis';
import { startSearchClusterTarget, startSearchTarget, type SearchClusterTarget } from '../../tools/ft-double';
import { connectRedisClient, createRedisClient, resolveCredentials } from '../../lambda/backends/redis/connection';
import { startCluster, startStandalone, type RedisTestCluster, type RedisTestServer } from '../../tools/redis-servers';
import type { ContractTarget } from './cache-contract';

export async function memoryTarget(): Promise<ContractTarget> {
  return { env: { CACHE_BACKEND: 'memory' }, stop: async () => undefined };
}

/** A standalone redis-server (plain with a password, or TLS with an ACL user). */
export async function standaloneTarget(options: { tls: boolean; semanticIndex?: 'auto' | 'client' | 'none' }): Promise<ContractTarget> {
  const server = options.tls
    ? await startStandalone({ tls: true, aclUser: { username: 'llmcache-app', password: 'contract-app-password' } })
    : await startStandalone({ password: 'contract-password' });
  return fromServer(server, { SEMANTIC_INDEX: options.semanticIndex ?? 'auto' });
}

export function fromServer(server: RedisTestServer, extraEnv: Record<string, string>): ContractTarget {
  return {
    env: { ...server.env(), ...extraEnv },
    writeRaw: async (key, value) => {
      const admin = server.adminClient();
      try {
        await admin.set(key, value);
      } finally {
        admin.disconnect();
      }
    },
    keys: (pattern) => keysOn([server], pattern),
    stop: () => server.stop(),
  };
}

/** SCAN MATCH over every one of `servers` as the harness admin (the app user may not see every key). */
export async function keysOn(servers: readonly RedisTestServer[], pattern: string): Promise<string[]> {
  const found: string[] = [];
  for (const server of servers) {
    const admin = server.adminClient();
    try {
      found.push(...(await scanAll(admin, pattern)));
    } finally {
      admin.disconnect();
    }
  }
  return [...new Set(found)];
}

async function scanAll(client: Redis, pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    found.push(...keys);
    cursor = next;
  } while (cursor !== '0');
  return found;
}

/** A 3-master TLS cluster with an ACL user: what ElastiCache Serverless and MemoryDB look like. */
export async function clusterTarget(semanticIndex: 'auto' | 'client' | 'none' = 'auto'): Promise<ContractTarget> {
  const cluster = await startCluster();
  return {
    env: { ...cluster.env(), SEMANTIC_INDEX: semanticIndex },
    writeRaw: (key, value) => setOnCluster(cluster, key, value),
    keys: (pattern) => keysOn(cluster.nodes, pattern),
    stop: () => cluster.stop(),
  };
}

/** SET straight on a test cluster's nodes, as its app user, bypassing the runtime (and any double: it sees the write through keyspace events). */
async function setOnCluster(cluster: RedisTestCluster, key: string, value: string): Promise<void> {
  const node = cluster.nodes[0]!;
  const client = new Cluster([{ host: node.host, port: node.port }], {
    dnsLookup: (address, callback) => callback(null, address),
    redisOptions: {
      username: cluster.username,
      password: cluster.password,
      tls: { ca: readFileSync(cluster.caFile!), servername: 'localhost' },
    },
  });
  try {
    await client.set(key, value);
  } finally {
    client.disconnect();
  }
}

/**
 * A search-capable server: the FT test double over a real redis-server in CI, or a real one
 * (Redis 8, Redis Stack, MemoryDB with vector search) when SEARCH_REDIS_URL is set.
 */
export async function searchTarget(semanticIndex: 'auto' | 'search'): Promise<ContractTarget> {
  const target = await startSearchTarget();
  return {
    env: { ...target.env(), SEMANTIC_INDEX: semanticIndex },
    writeRaw: async (key, value) => {
      const client = target.server ? target.server.adminClient() : new Redis(target.url);
      try {
        await client.set(key, value);
      } finally {
        client.disconnect();
      }
    },
    keys: async (pattern) => {
      if (target.server) return keysOn([target.server], pattern);
      const client = new Redis(target.url);
      try {
        return await scanAll(client, pattern);
      } finally {
        client.disconnect();
      }
    },
    stop: () => target.stop(),
  };
}

/**
 * ElastiCache for Valkey with vector search in cluster mode: a 3-master TLS cluster with an ACL
 * user behind the cluster-mode FT double (valkey-search's coordinator shape), with
 * CACHE_BACKEND=redis-cluster. The runtime's own cluster client (`createRedisClient`, the options
 * production uses) reaches the proxies through ioredis' `natMap`, given to it here only: CLUSTER
 * SLOTS names the real nodes. `search` exposes the double (which proxy answered which FT command).
 */
export async function searchClusterTarget(semanticIndex: 'auto' | 'search'): Promise<ContractTarget & { readonly search: SearchClusterTarget }> {
  const search = await startSearchClusterTarget();
  const clients: Cluster[] = [];
  const natMap = { ...search.double.natMap };
  return {
    search,
    env: { ...search.env(), SEMANTIC_INDEX: semanticIndex },
    overrides: async (config) => {
      const client = createRedisClient(config, await resolveCredentials(config)) as Cluster;
      client.options.natMap = natMap;
      clients.push(client);
      return { redis: () => connectRedisClient(client, config.cacheConnectTimeoutMs) };
    },
    writeRaw: (key, value) => setOnCluster(search.cluster, key, value),
    keys: (pattern) => keysOn(search.cluster.nodes, pattern),
    stop: async () => {
      for (const client of clients) client.disconnect();
      await search.stop();
    },
  };
}
