/** The part of an ioredis `Cluster` this needs, duck-typed so the runtime can call it without evaluating ioredis. */
interface ClusterLike {
  readonly isCluster?: boolean;
  nodes?(role: 'master'): readonly { readonly status: string; connect(): Promise<void> }[];
}

/**
 * Connects a cluster client's master nodes that are not connected yet. ioredis creates each
 * node's connection lazily, on the first command sent to it, so a new container's first commands
 * to each shard would pay TLS, AUTH and the ready check inside their operation deadline: measured
 * under a 512 MB function's CPU share, that timed a first semantic lookup out. The first
 * connection (`FirstConnection`) runs this, under the connect deadline. A node that fails is left
 * to its own shard's breaker; a standalone client is left as it is.
 */
export async function connectClusterNodes(client: unknown): Promise<void> {
  const cluster = client as ClusterLike;
  if (cluster.isCluster !== true || typeof cluster.nodes !== 'function') return;
  const waiting = cluster.nodes('master').filter((node) => node.status === 'wait');
  await Promise.allSettled(waiting.map((node) => node.connect()));
}
