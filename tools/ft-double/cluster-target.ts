import { readFileSync } from 'node:fs';
import { getTestCa, startCluster, type RedisTestCluster } from '../redis-servers';
import { runtimeEnv } from '../redis-servers/standalone';
import { startFtClusterDouble, type FtClusterDouble } from './cluster-double';

/**
 * What ElastiCache for Valkey with vector search in cluster mode looks like to a client, for
 * integration suites: a real 3-master TLS cluster with an ACL user, each master behind a proxy of
 * the cluster-mode FT double (TLS to the client with the same test CA, TLS to the node).
 */
export interface SearchClusterTarget {
  readonly cluster: RedisTestCluster;
  readonly double: FtClusterDouble;
  /**
   * Runtime environment: CACHE_BACKEND=redis-cluster, CACHE_URL `rediss://127.0.0.1:<proxy of
   * node 0>`, the app user's credentials and CACHE_TLS_CA_FILE. The client must also be given
   * `double.natMap`: CLUSTER SLOTS names the real nodes.
   */
  env(): Record<string, string>;
  /** Stops the double, then the cluster. Idempotent. */
  stop(): Promise<void>;
}

/** Starts a 3-master TLS cluster (ACL user `llmcache-app`) and the cluster-mode FT double in front of it. */
export async function startSearchClusterTarget(): Promise<SearchClusterTarget> {
  const cluster = await startCluster();
  try {
    const ca = getTestCa();
    const backendTls = { ca: readFileSync(ca.caFile), servername: 'localhost' };
    const double = await startFtClusterDouble({
      nodes: cluster.nodes.map((node) => ({ host: node.host, port: node.port, username: cluster.admin.username, password: cluster.admin.password, tls: backendTls })),
      serverTls: { cert: readFileSync(ca.certFile), key: readFileSync(ca.keyFile) },
    });
    const url = `rediss://${double.proxies[0].host}:${double.proxies[0].port}`;
    let stopped: Promise<void> | undefined;
    return {
      cluster,
      double,
      env: () => runtimeEnv('redis-cluster', url, { username: cluster.username, password: cluster.password, caFile: cluster.caFile }),
      stop: () => (stopped ??= double.stop().finally(() => cluster.stop())),
    };
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}
