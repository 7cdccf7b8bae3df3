import { keySlot } from '../../../../../lambda/backends/redis/cluster/key-slot';
import { ShardMap } from '../../../../../lambda/backends/redis/cluster/shard-map';
import { connectRedisClient, createRedisClient, type RedisClient } from '../../../../../lambda/backends/redis/connection';
import { loadConfig } from '../../../../../lambda/core/config';
import { startCluster, type RedisTestCluster } from '../../../../../tools/redis-servers';
import { eventually } from '../../../../support/reliability';

/** The shard map against a real 3-master cluster: it names the node that owns each key's slot. */
describe('ShardMap on a real cluster', () => {
  let cluster: RedisTestCluster;
  let client: RedisClient | undefined;

  beforeAll(async () => {
    cluster = await startCluster({ masters: 3, tls: false });
  }, 60_000);
  afterAll(async () => {
    client?.disconnect();
    await cluster?.stop();
  });

  it('maps every key to the master whose slot range holds it, from the cache user', async () => {
    const config = loadConfig(cluster.env());
    client = createRedisClient(config, { username: config.username, password: config.password });
    await connectRedisClient(client, 5000);
    const map = new ShardMap();
    map.track(client);
    await eventually(
      async () => {
        if (map.shardOf('probe') === undefined) throw new Error('the shard map has not loaded the slots yet');
      },
      5000,
      20,
    );

    for (let i = 0; i < 200; i++) {
      const key = `llmcache:k:${i}`;
      const owner = cluster.slotRanges.findIndex(([first, last]) => keySlot(key) >= first && keySlot(key) <= last);
      const node = cluster.nodes[owner]!;
      expect(map.shardOf(key)).toBe(`${node.host}:${node.port}`);
    }
  });
});
