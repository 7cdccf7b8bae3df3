import type { RedisCommands } from '../connection/redis-commands';

/** One server a purge walks with SCAN (a standalone client, or one master's own connection). */
export interface ScanTarget {
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
}

/** The part of an ioredis `Cluster` this needs, duck-typed so the runtime can call it without evaluating ioredis. */
interface ClusterLike {
  readonly isCluster?: boolean;
  nodes?(role: 'master'): readonly ScanTarget[];
}

/**
 * Where SCAN must run to see every key. SCAN walks the keys of the server it is sent to only, so
 * on a cluster each master the client sees is walked through its own connection (ioredis
 * `Cluster.nodes('master')`, from the client's current slot map); a standalone client is the one
 * server. `cluster` tells the caller to keep each multi-key command within one hash slot.
 */
export function scanTargets(client: RedisCommands): { targets: readonly ScanTarget[]; cluster: boolean } {
  const candidate = client as unknown as ClusterLike;
  if (candidate.isCluster === true && typeof candidate.nodes === 'function') {
    const masters = candidate.nodes('master');
    // No slot map (yet): walking nothing would report a purge that removed nothing as complete.
    if (masters.length === 0) throw new Error('purge: the cluster client knows no master');
    return { targets: masters, cluster: true };
  }
  return { targets: [client], cluster: false };
}
