import { cacheUserAccessString } from '../../lib/config/cache-acl';
import { REDIS_COMMAND_LIST, REDIS_COMMANDS_NOT_GRANTED } from '../../lambda/backends/redis/connection/commands-used';
import { startBedrockEmulator, type BedrockEmulator } from '../../tools/bedrock-emulator/server';
import { startCluster, startStandalone, type RedisTestCluster, type RedisTestServer } from '../../tools/redis-servers';
import { startContainer } from '../support/reliability';

/**
 * `REDIS_COMMANDS_USED` is complete: the runtime serves misses, hits, lock releases and semantic
 * requests as a user granted only those commands on `llmcache:*`, and the server denies nothing
 * but what `REDIS_COMMANDS_NOT_GRANTED` lists as safe to refuse (AUTH needs no grant; ioredis
 * ignores a refused CLIENT SETNAME). FT.* is left out: plain redis-server has no such commands.
 */
const RULES = `~llmcache:* -@all ${REDIS_COMMAND_LIST.filter((c) => !c.startsWith('ft.')).map((c) => `+${c}`).join(' ')}`;

interface AclLogEntry {
  readonly reason: string;
  readonly object: string;
}

/** ACL LOG of one node as `{ reason, object }` records (the reply is a flat field/value list per entry). */
async function aclLog(node: RedisTestServer): Promise<AclLogEntry[]> {
  const admin = node.adminClient();
  try {
    const entries = (await admin.call('ACL', 'LOG')) as unknown[][];
    return entries.map((fields) => {
      const record = new Map<string, unknown>();
      for (let i = 0; i < fields.length; i += 2) record.set(String(fields[i]), fields[i + 1]);
      return { reason: String(record.get('reason')), object: String(record.get('object')) };
    });
  } finally {
    admin.disconnect();
  }
}

describe.each([
  ['standalone', async () => startStandalone({ aclUser: { username: 'llmcache-app', password: 'acl-test-pw', rules: RULES } })],
  ['cluster', async () => startCluster({ aclUser: { username: 'llmcache-app', password: 'acl-test-pw', rules: RULES } })],
])('the runtime as a least-privilege user (%s)', (_label, start) => {
  let target: RedisTestServer | RedisTestCluster;
  let emulator: BedrockEmulator;

  beforeAll(async () => {
    [target, emulator] = await Promise.all([start(), startBedrockEmulator()]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([target?.stop(), emulator?.close()]);
  });

  it('works with exactly the commands it declares, and the server denies only what needs no grant', async () => {
    const container = startContainer({ ...target.env(), BEDROCK_ENDPOINT: emulator.url, SEMANTIC_INDEX: 'auto', CACHE_TIMEOUT_MS: '1000' });
    try {
      const outcomes = [];
      for (const input of [
        { prompt: 'Where is Las Vegas?', mode: 'semantic' },
        { prompt: 'Where is Las Vegas?', mode: 'semantic' },
        { prompt: 'Where is Vegas?', mode: 'semantic' },
        { prompt: 'Where is Reno? [[max_tokens]]', mode: 'standard' }, // not storable: the lock is released by script
        { prompt: 'Where is Reno?', mode: 'standard' },
        { prompt: 'Where is Reno?', mode: 'standard' },
      ]) {
        const response = await container.ask({ namespace: 'acl', ...input });
        outcomes.push(response.cacheSkipped ?? response.cache);
      }
      expect(outcomes.slice(0, 2)).toEqual(['miss', 'exact']);
      expect(outcomes.slice(3)).toEqual(['miss', 'miss', 'exact']);
      expect(outcomes).not.toContain('error');
    } finally {
      container.close();
    }
    const nodes = 'nodes' in target ? target.nodes : [target];
    const denials = (await Promise.all(nodes.map(aclLog))).flat();
    expect(denials.filter((entry) => entry.reason !== 'command' || !Object.keys(REDIS_COMMANDS_NOT_GRANTED).includes(entry.object))).toEqual([]);
  }, 60_000);
});

/** The stacks' own access string for a backend without vector search, on a cluster. */
describe('the runtime as the stacks\' cache user (cluster)', () => {
  let cluster: RedisTestCluster;
  let emulator: BedrockEmulator;

  beforeAll(async () => {
    const rules = cacheUserAccessString(false).split(' ')
      .filter((rule) => rule !== 'on')
      .join(' ');
    [cluster, emulator] = await Promise.all([startCluster({ aclUser: { username: 'llmcache-app', password: 'acl-test-pw', rules } }), startBedrockEmulator()]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([cluster?.stop(), emulator?.close()]);
  });

  it('stores and hits, although the server refuses the CLIENT SETNAME ioredis sends', async () => {
    const container = startContainer({ ...cluster.env(), BEDROCK_ENDPOINT: emulator.url, SEMANTIC_INDEX: 'none', CACHE_TIMEOUT_MS: '1000' });
    try {
      const first = await container.ask({ prompt: 'Where is Las Vegas?', namespace: 'acl', mode: 'standard' });
      const second = await container.ask({ prompt: 'Where is Las Vegas?', namespace: 'acl', mode: 'standard' });
      expect([first.cacheSkipped ?? first.cache, second.cacheSkipped ?? second.cache]).toEqual(['miss', 'exact']);
    } finally {
      container.close();
    }
    const denials = (await Promise.all(cluster.nodes.map(aclLog))).flat();
    expect(denials.map((entry) => entry.object)).toContain('client|setname');
    expect(denials.filter((entry) => entry.object !== 'client|setname')).toEqual([]);
  }, 30_000);
});
