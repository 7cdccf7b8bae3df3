import { readFileSync } from 'node:fs';
import Redis, { Cluster } from 'ioredis';
import { startSearchClusterTarget, type SearchClusterTarget } from '../../tools/ft-double';
import { sleep } from '../support/reliability';

/** The cluster-mode double (valkey-search coordinator shape) over a real 3-master TLS cluster. */
describe('FT test double, cluster mode', () => {
  let target: SearchClusterTarget;
  let cluster: Cluster;
  const proxies: Redis[] = [];
  const PREFIX = 'llmcache:cdoc:';
  const vec = (x: number, y: number): Buffer => Buffer.from(new Float32Array([x, y]).buffer);
  /** Keys spread over every master: a key per shard, found by asking the double's slot map. */
  const keysPerShard = (): string[] => {
    const found: string[] = [];
    for (let i = 0; found.length < 3 && i < 1000; i++) {
      const key = `${PREFIX}${i}`;
      if (found.every((other) => target.double.shardOf(other) !== target.double.shardOf(key))) found.push(key);
    }
    return found;
  };

  beforeAll(async () => {
    target = await startSearchClusterTarget();
    const ca = readFileSync(target.cluster.caFile!);
    const redisOptions = { username: target.cluster.username, password: target.cluster.password, tls: { ca } };
    cluster = new Cluster([target.double.proxies[0]], { natMap: { ...target.double.natMap }, redisOptions, dnsLookup: (address, callback) => callback(null, address) });
    for (const proxy of target.double.proxies) proxies.push(new Redis({ ...proxy, ...redisOptions }));
    await proxies[1].call('FT.CREATE', 'cidx', 'ON', 'HASH', 'PREFIX', '1', PREFIX, 'SCHEMA', 'tag', 'TAG', 'v', 'VECTOR', 'FLAT', '6', 'TYPE', 'FLOAT32', 'DIM', '2', 'DISTANCE_METRIC', 'L2');
  });

  afterAll(async () => {
    cluster?.disconnect();
    for (const proxy of proxies) proxy.disconnect();
    await target?.stop();
  });

  it('maps every master CLUSTER SLOTS names to its own proxy', async () => {
    const slots = (await cluster.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];

    expect(slots).toHaveLength(3);
    const mapped = slots.map(([, , [host, port]]) => target.double.natMap[`${host}:${port}`]);
    expect(new Set(mapped.map((proxy) => proxy?.port))).toEqual(new Set(target.double.proxies.map((proxy) => proxy.port)));
  });

  it('makes an index created through one proxy exist on every proxy', async () => {
    const lists = await Promise.all(proxies.map((proxy) => proxy.call('FT._LIST')));

    expect(lists).toEqual([['cidx'], ['cidx'], ['cidx']]);
    await expect(proxies[2].call('FT.CREATE', 'cidx', 'ON', 'HASH', 'SCHEMA', 'tag', 'TAG')).rejects.toThrow(/already exists/i);
  });

  it('answers FT.SEARCH on any proxy with the documents of every shard, each read from its own master', async () => {
    const keys = keysPerShard();
    expect(keys).toHaveLength(3);
    await Promise.all(keys.map((key, i) => cluster.hset(key, 'tag', 'a', 'v', vec(i, 0))));

    for (const proxy of proxies) {
      const reply = (await proxy.call('FT.SEARCH', 'cidx', '@tag:{a}=>[KNN 3 @v $B]', 'PARAMS', '2', 'B', vec(0, 0), 'DIALECT', '2')) as unknown[];
      expect(reply[0]).toBe(3);
      // KNN results come back in document order, as RediSearch answers: ranked here by score
      const hits = [1, 3, 5].map((i) => ({ key: reply[i], fields: reply[i + 1] as string[] }));
      hits.sort((a, b) => Number(a.fields[1]) - Number(b.fields[1]));
      expect(hits.map((hit) => hit.key)).toEqual(keys);
      expect(hits[0]!.fields).toEqual(['__v_score', '0', 'tag', 'a', 'v', vec(0, 0).toString('latin1')]);
    }
  });

  it('sees deletes and expiries on every master (keyspace notifications from each)', async () => {
    const keys = keysPerShard();
    await cluster.del(keys[1]!);
    await cluster.pexpire(keys[2]!, 1);
    await sleep(50);
    await cluster.exists(keys[2]!); // the read reclaims the expired key on its master

    const reply = (await proxies[0].call('FT.SEARCH', 'cidx', '*', 'DIALECT', '2')) as unknown[];
    expect(reply[0]).toBe(1);
    expect(reply[1]).toBe(keys[0]);
  });

  it("passes non-FT commands to the proxy's own node: MOVED names the owner's proxy", async () => {
    const key = keysPerShard()[1]!;
    const owner = target.double.shardOf(key);
    const other = (owner + 1) % 3;

    const error = await proxies[other]!.get(key).catch((caught: Error) => caught);

    const proxy = target.double.proxies[owner]!;
    expect(String(error)).toMatch(new RegExp(`MOVED \\d+ ${proxy.host}:${proxy.port}$`));
  });

  it('counts the FT commands each proxy answered', () => {
    const calls = target.double.ftCalls();

    expect(calls[1]!['FT.CREATE']).toBe(1);
    expect(calls[2]!['FT.CREATE']).toBe(1);
    expect(calls.map((counts) => counts['FT.SEARCH'] ?? 0)).toEqual([2, 1, 1]);
  });
});
