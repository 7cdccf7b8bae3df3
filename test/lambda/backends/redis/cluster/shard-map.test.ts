import { EventEmitter } from 'node:events';
import { keySlot } from '../../../../../lambda/backends/redis/cluster/key-slot';
import { ShardMap } from '../../../../../lambda/backends/redis/cluster/shard-map';

/** A cluster client as the shard map sees it: ioredis' documented events and `call`. */
class FakeCluster extends EventEmitter {
  status = 'wait';
  readonly calls: string[][] = [];
  constructor(public reply: () => Promise<unknown>) {
    super();
  }
  call(...args: string[]): Promise<unknown> {
    this.calls.push(args);
    return this.reply();
  }
}

const THREE_MASTERS = [
  [0, 5460, ['10.0.0.1', 6379, 'id-a'], ['10.0.1.1', 6379, 'id-a2']],
  [5461, 10922, ['10.0.0.2', 6379, 'id-b']],
  [10923, 16383, ['10.0.0.3', 6380, 'id-c']],
];

/** A key whose hash slot falls in [first, last]. */
function keyIn(first: number, last: number): string {
  for (let i = 0; ; i++) {
    const slot = keySlot(`k${i}`);
    if (slot >= first && slot <= last) return `k${i}`;
  }
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('ShardMap', () => {
  it('knows no shard before CLUSTER SLOTS answered, then the master of each slot range', async () => {
    const client = new FakeCluster(async () => THREE_MASTERS);
    const map = new ShardMap();
    map.track(client);

    expect(map.shardOf(keyIn(0, 5460))).toBeUndefined();
    expect(client.calls).toEqual([]);

    client.status = 'ready';
    client.emit('ready');
    await flush();

    expect(client.calls).toEqual([['CLUSTER', 'SLOTS']]);
    expect(map.shardOf(keyIn(0, 5460))).toBe('10.0.0.1:6379');
    expect(map.shardOf(keyIn(5461, 10922))).toBe('10.0.0.2:6379');
    expect(map.shardOf(keyIn(10923, 16383))).toBe('10.0.0.3:6380');
    // Keys of one hash tag share a slot, so a scope's keys share a shard.
    expect(map.shardOf('a:{scope}:1')).toBe(map.shardOf('b:{scope}:2'));
  });

  it('reads at once when the client is already ready, and again when a node joins or leaves', async () => {
    let reply: unknown = THREE_MASTERS;
    const client = new FakeCluster(async () => reply);
    client.status = 'ready';
    const map = new ShardMap();
    map.track(client);
    await flush();
    expect(map.shardOf(keyIn(5461, 10922))).toBe('10.0.0.2:6379');

    // Failover: the replica of the second shard is now its master.
    reply = [THREE_MASTERS[0], [5461, 10922, ['10.0.1.2', 6379, 'id-b2']], THREE_MASTERS[2]];
    client.emit('+node');
    await flush();

    expect(map.shardOf(keyIn(5461, 10922))).toBe('10.0.1.2:6379');
    expect(client.calls).toHaveLength(2);
  });

  it('keeps the last known master of a slot a reply leaves out, and keeps the map when a read fails', async () => {
    let reply: () => Promise<unknown> = async () => THREE_MASTERS;
    const client = new FakeCluster(() => reply());
    client.status = 'ready';
    const map = new ShardMap();
    map.track(client);
    await flush();

    reply = async () => [THREE_MASTERS[0], THREE_MASTERS[2]];
    client.emit('-node');
    await flush();
    expect(map.shardOf(keyIn(5461, 10922))).toBe('10.0.0.2:6379');

    reply = () => Promise.reject(new Error('Command timed out'));
    client.emit('-node');
    await flush();
    expect(map.shardOf(keyIn(0, 5460))).toBe('10.0.0.1:6379');
  });

  it('runs one read at a time: events during a read ask for exactly one more', async () => {
    let release: (() => void) | undefined;
    const client = new FakeCluster(() => new Promise((resolve) => (release = () => resolve(THREE_MASTERS))));
    client.status = 'ready';
    const map = new ShardMap();
    map.track(client);
    map.track(client);
    client.emit('+node');
    client.emit('+node');
    client.emit('-node');
    expect(client.calls).toHaveLength(1);

    release?.();
    await flush();
    expect(client.calls).toHaveLength(2);
    release?.();
    await flush();
    expect(client.calls).toHaveLength(2);
  });

  it('stays empty for a client without events or one that is not a cluster', async () => {
    const map = new ShardMap();
    map.track({ get: async () => null });
    const standalone = new FakeCluster(() => Promise.reject(new Error('ERR This instance has cluster support disabled')));
    standalone.status = 'ready';
    map.track(standalone);
    await flush();

    expect(map.shardOf('any')).toBeUndefined();
  });
});
