import { entryRefOfRequest } from '../../lambda/actions/request-entry';
import { loadConfig } from '../../lambda/core/config';
import { encodeEntry, toEntry } from '../../lambda/core/entry';
import { encodeEntryId } from '../../lambda/core/entry-id';
import { exactKeyOf } from '../../lambda/core/keys';
import { parseRequest } from '../../lambda/core/request';
import { invalidateLocally } from '../../scripts/invalidate-local';
import { startStandalone, type RedisTestServer } from '../../tools/redis-servers';

const ANSWER = { text: 'In Nevada.', stopReason: 'end_turn', usage: { inputTokens: 1, outputTokens: 2 }, modelId: 'm', latencyMs: 5 };

/** `npm run invalidate -- --redis-url ...`: the handler in this process, on a real redis-server with a password. */
describe('invalidateLocally', () => {
  let server: RedisTestServer;
  const saved = { ...process.env };

  beforeAll(async () => {
    server = await startStandalone({ password: 'invalidate-password' });
  });

  afterAll(async () => {
    await server.stop();
  });

  beforeEach(() => {
    // The credentials the way a local run passes them; exact entries only (no index on the server to set up).
    Object.assign(process.env, { CACHE_PASSWORD: 'invalidate-password', SEMANTIC_INDEX: 'none' });
  });

  afterEach(() => {
    process.env = { ...saved };
  });

  /** Stores an entry for `prompt` in `namespace` with the admin client; returns its key and entry id. */
  async function store(prompt: string, namespace: string): Promise<{ key: string; entryId: string }> {
    const ref = entryRefOfRequest(parseRequest({ prompt, namespace }, loadConfig({ CACHE_BACKEND: 'memory' })));
    const key = exactKeyOf(namespace, ref.id);
    const admin = server.adminClient();
    try {
      await admin.set(key, encodeEntry(toEntry(ANSWER, ref.scope, Date.now())));
    } finally {
      admin.disconnect();
    }
    return { key, entryId: encodeEntryId(ref) };
  }

  async function exists(key: string): Promise<boolean> {
    const admin = server.adminClient();
    try {
      return (await admin.exists(key)) === 1;
    } finally {
      admin.disconnect();
    }
  }

  /** Each run loads the handler afresh, as each `npm run invalidate` process does. */
  async function run(action: Record<string, unknown>): Promise<Record<string, unknown>> {
    let result: Record<string, unknown> = {};
    await jest.isolateModulesAsync(async () => {
      result = await invalidateLocally({ kind: 'local', redisUrl: server.url, client: 'redis' }, action);
    });
    return result;
  }

  it('invalidates an entry by its entry id', async () => {
    const { key, entryId } = await store('Where is Las Vegas?', 'cli-a');

    expect(await run({ action: 'invalidate', entryId })).toEqual({ invalidated: 1 });
    expect(await exists(key)).toBe(false);
  });

  it('invalidates an entry by its prompt and namespace', async () => {
    const { key } = await store('Where is Reno?', 'cli-b');

    expect(await run({ action: 'invalidate', prompt: 'Where is Reno?', namespace: 'cli-b' })).toEqual({ invalidated: 1 });
    expect(await exists(key)).toBe(false);
  });

  it('purges a namespace (allowed locally) and leaves another one', async () => {
    const purged = await store('Where is Elko?', 'cli-c');
    const kept = await store('Where is Elko?', 'cli-d');

    expect(await run({ action: 'purge', namespace: 'cli-c' })).toEqual({ purged: 1 });
    expect([await exists(purged.key), await exists(kept.key)]).toEqual([false, true]);
  });
});
