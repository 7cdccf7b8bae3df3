import { keySlot } from '../../../../../lambda/backends/redis/cluster/key-slot';
import type { RedisCommands } from '../../../../../lambda/backends/redis/connection/redis-commands';
import { purgeNamespace } from '../../../../../lambda/backends/redis/purge/redis-purge';
import { UNLINK_ENTRIES } from '../../../../../lambda/backends/redis/purge/unlink-groups';

const id = (n: number): string => n.toString(16).padStart(64, '0');
const SCOPE = 'dc5e99a9ca1c2eec207e248757dfb66e24f8615c3a7c2a9f87bcb1deee6e4b8f';

/**
 * A fake server (or one cluster master): SCAN hands out its keys `count` at a time, ignoring MATCH
 * (a real MATCH also lets foreign keys through, see key-layout.test.ts); EVAL and UNLINK remove.
 */
class FakeNode {
  readonly scans: string[] = [];
  /** The key order of the walk under way: like a real cursor, a deletion never makes it skip a key. */
  private order: string[] = [];
  constructor(readonly keys: Map<string, string>) {}

  async call(command: string, ...args: (string | number)[]): Promise<unknown> {
    if (command !== 'scan') throw new Error(`unexpected ${command}`);
    const cursor = Number(args[0]);
    const count = Number(args[4]);
    this.scans.push(String(args[2]));
    if (cursor === 0) this.order = [...this.keys.keys()].sort();
    const next = cursor + count >= this.order.length ? 0 : cursor + count;
    return [String(next), this.order.slice(cursor, cursor + count).filter((key) => this.keys.has(key))];
  }
}

/** The client a purge deletes through: records each command's keys. */
function fakeClient(data: Map<string, string>, nodes?: FakeNode[]): RedisCommands & { commands: { command: string; keys: string[] }[] } {
  const commands: { command: string; keys: string[] }[] = [];
  const standalone = new FakeNode(data);
  const client = {
    commands,
    isCluster: nodes !== undefined,
    nodes: () => nodes,
    eval: async (script: string, numKeys: number, ...keys: (string | number | Buffer)[]) => {
      expect(script).toBe(UNLINK_ENTRIES);
      const own = keys.slice(0, numKeys).map(String);
      commands.push({ command: 'eval', keys: own });
      let entries = 0;
      let removed = 0;
      for (const key of own) {
        const value = data.get(key);
        if (value === undefined) continue;
        data.delete(key);
        removed++;
        if (!value.startsWith('{"lock":')) entries++;
      }
      return [entries, removed];
    },
    call: async (command: string, ...keys: (string | number | Buffer)[]) => {
      if (command === 'scan') return standalone.call(command, ...(keys as (string | number)[]));
      commands.push({ command, keys: keys.map(String) });
      let removed = 0;
      for (const key of keys.map(String)) if (data.delete(key)) removed++;
      return removed;
    },
  };
  return client as unknown as RedisCommands & { commands: { command: string; keys: string[] }[] };
}

function namespaceKeys(namespace: string, entries: number): [string, string][] {
  const keys: [string, string][] = [];
  for (let i = 0; i < entries; i++) {
    keys.push([`llmcache:v1:${namespace}:${id(i)}`, '{"v":1}']);
    keys.push([`llmcache:cv:v2:m:8:${namespace}:{${SCOPE}}:d:${id(i)}`, 'vector']);
  }
  keys.push([`llmcache:v1:${namespace}:${id(entries)}`, '{"lock":"t"}']);
  keys.push([`llmcache:cv:v2:m:8:${namespace}:{${SCOPE}}:log`, 'stream']);
  return keys;
}

describe('purgeNamespace', () => {
  it('walks a standalone server in batches and removes only the namespace, counting entries apart from locks', async () => {
    const data = new Map([...namespaceKeys('a', 5), ...namespaceKeys('8', 3), ['other:key', 'x']]);
    const client = fakeClient(data);

    const result = await purgeNamespace(client, 'a', undefined, { count: 4 });

    expect(result).toEqual({ entries: 5, keys: 12, complete: true });
    expect([...data.keys()].filter((key) => key.includes(':a:'))).toEqual([]);
    expect(data.size).toBe(8 + 1);
    expect(client.commands.length).toBeGreaterThan(2); // one batch at a time, never the whole list
  });

  it('walks every master of a cluster and keeps each multi-key command inside one hash slot', async () => {
    const all = namespaceKeys('a', 40);
    const shards = [new Map<string, string>(), new Map<string, string>(), new Map<string, string>()];
    for (const [key, value] of all) shards[Math.floor(keySlot(key) / 5462)]!.set(key, value);
    const data = new Map(all);
    const nodes = shards.map((shard) => new FakeNode(shard));
    const client = fakeClient(data, nodes);

    const result = await purgeNamespace(client, 'a', undefined, { count: 10 });

    expect(result).toEqual({ entries: 40, keys: 82, complete: true });
    expect(data.size).toBe(0);
    for (const node of nodes) expect(node.scans.length).toBeGreaterThan(0);
    for (const { keys } of client.commands) expect(new Set(keys.map(keySlot)).size).toBe(1);
    // The client index scope's keys share their hash tag, so they go together.
    expect(client.commands.some(({ command, keys }) => command === 'unlink' && keys.length > 1)).toBe(true);
  });

  it('stops before the next SCAN once the deadline has passed, and a rerun finishes', async () => {
    const data = new Map(namespaceKeys('a', 10));
    const client = fakeClient(data);
    let clock = 0;
    const now = (): number => clock++;

    const stopped = await purgeNamespace(client, 'a', 2, { count: 3, now });
    const rerun = await purgeNamespace(client, 'a', undefined, { count: 3 });

    expect(stopped.complete).toBe(false);
    expect(stopped.keys).toBe(6);
    expect(rerun.complete).toBe(true);
    expect(stopped.keys + rerun.keys).toBe(22);
    expect(stopped.entries + rerun.entries).toBe(10);
  });

  it('fails rather than report a complete purge when the cluster client knows no master', async () => {
    const client = fakeClient(new Map(namespaceKeys('a', 1)), []);

    await expect(purgeNamespace(client, 'a')).rejects.toThrow('knows no master');
  });

  it('refuses a namespace with glob characters before sending anything', async () => {
    const client = fakeClient(new Map(namespaceKeys('a', 1)));

    await expect(purgeNamespace(client, 'a*')).rejects.toMatchObject({ code: 'InvalidRequest' });
    expect(client.commands).toEqual([]);
  });
});
