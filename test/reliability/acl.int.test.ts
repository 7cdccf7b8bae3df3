import { cacheUserAccessString } from '../../lib/config/cache-acl';
import { REDIS_COMMAND_LIST } from '../../lambda/redis/commands-used';
import { startBedrockEmulator, type BedrockEmulator } from '../../tools/bedrock-emulator/server';
import { startCluster, startStandalone, type RedisTestCluster, type RedisTestServer } from '../support/redis';
import { startContainer } from '../support/reliability';

/**
 * `REDIS_COMMANDS_USED` is complete: the runtime serves misses, hits, lock releases and semantic
 * requests as a user granted only those commands on `llmcache:*`, and the server denies nothing.
 * (FT.* is left out: plain redis-server has no such commands to grant.)
 */
const RULES = `~llmcache:* -@all ${REDIS_COMMAND_LIST.filter((c) => !c.startsWith('ft.')).map((c) => `+${c}`).join(' ')}`;

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

  it('works with exactly the commands it declares, and the server logs no denial', async () => {
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
    for (const node of nodes) {
      const admin = node.adminClient();
      try {
        expect(await admin.call('ACL', 'LOG')).toEqual([]);
      } finally {
        admin.disconnect();
      }
    }
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

  it('stores and hits', async () => {
    const container = startContainer({ ...cluster.env(), BEDROCK_ENDPOINT: emulator.url, SEMANTIC_INDEX: 'none', CACHE_TIMEOUT_MS: '1000' });
    try {
      const first = await container.ask({ prompt: 'Where is Las Vegas?', namespace: 'acl', mode: 'standard' });
      const second = await container.ask({ prompt: 'Where is Las Vegas?', namespace: 'acl', mode: 'standard' });
      expect([first.cacheSkipped ?? first.cache, second.cacheSkipped ?? second.cache]).toEqual(['miss', 'exact']);
    } finally {
      container.close();
    }
  }, 30_000);
});
