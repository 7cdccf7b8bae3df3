import { startBedrockEmulator, type BedrockEmulator } from '../../tools/bedrock-emulator/server';
import { startStandalone, type RedisTestServer } from '../support/redis';
import { eventually, sleep, spawnFirer, startContainer, type FireResult } from '../support/reliability';

/**
 * Single flight against a real redis-server: concurrent identical misses make one model call in
 * one process (in-process coalescing) and across processes (the `SET NX PX` lock at the entry's
 * key); a leader that dies holding the lock frees the others when the lock expires.
 */
describe('stampede', () => {
  let server: RedisTestServer;
  let emulator: BedrockEmulator;
  let env: Record<string, string>;

  beforeAll(async () => {
    [server, emulator] = await Promise.all([startStandalone(), startBedrockEmulator({ latencyMs: 300 })]);
    env = { ...server.env(), BEDROCK_ENDPOINT: emulator.url, SEMANTIC_INDEX: 'none', CACHE_TIMEOUT_MS: '250', CACHE_CONNECT_TIMEOUT_MS: '1000' };
  });
  afterAll(async () => {
    await Promise.all([server?.stop(), emulator?.close()]);
  });
  beforeEach(() => {
    emulator.reset();
    emulator.latencyMs = 300;
  });

  it('makes one model call for 50 concurrent identical misses in one process', async () => {
    const container = startContainer(env);
    try {
      const responses = await Promise.all(Array.from({ length: 50 }, () => container.ask({ prompt: 'Where is Las Vegas?', namespace: 'one-process', mode: 'standard' })));

      process.stdout.write(`stampede: one process, 50 concurrent identical misses -> ${emulator.calls.converse} model call(s)\n`);
      expect(emulator.calls.converse).toBe(1);
      expect(responses.every((r) => r.cache === 'miss' && r.cacheSkipped === undefined)).toBe(true);
      expect(new Set(responses.map((r) => r.text)).size).toBe(1);
      expect(responses.filter((r) => r.coalesced !== true)).toHaveLength(1);
      const repeat = await container.ask({ prompt: 'Where is Las Vegas?', namespace: 'one-process', mode: 'standard' });
      expect(repeat.cache).toBe('exact');
    } finally {
      container.close();
    }
  });

  it('makes one model call for 2 x 25 concurrent identical misses in two processes', async () => {
    const firers = [0, 1].map(() => spawnFirer({ ...env, FIRE_COUNT: '25', FIRE_NAMESPACE: 'two-processes' }));
    try {
      await Promise.all(firers.map((f) => f.ready));
      firers.forEach((f) => f.go());
      const results = (await Promise.all(firers.map((f) => f.done))) as FireResult[];

      const all = results.flatMap((r) => r.results);
      process.stdout.write(
        `stampede: two processes, 2 x 25 concurrent identical misses -> ${emulator.calls.converse} model call(s); ` +
          `outcomes ${JSON.stringify(all.reduce<Record<string, number>>((acc, r) => ({ ...acc, [String(r.cache ?? 'error')]: (acc[String(r.cache ?? 'error')] ?? 0) + 1 }), {}))}\n`,
      );
      expect(all).toHaveLength(50);
      expect(all.filter((r) => r.error !== undefined || r.cacheSkipped !== undefined)).toEqual([]);
      expect(emulator.calls.converse).toBe(1);
      // The second process got the leader's stored answer while it waited on the lock.
      expect(all.filter((r) => r.cache === 'exact')).toHaveLength(25);
    } finally {
      firers.forEach((f) => f.kill());
    }
  }, 60_000);

  it('lets the others call the model once the lock of a leader that died expires; nobody waits forever', async () => {
    const lockTtlMs = 1500;
    emulator.latencyMs = 4000; // the leader is still waiting for the model when it is killed
    const settings = { ...env, CACHE_LOCK_TTL_MS: String(lockTtlMs), CACHE_LOCK_WAIT_MS: '20000', FIRE_COUNT: '25', FIRE_NAMESPACE: 'leader-dies' };
    const leader = spawnFirer(settings);
    const follower = spawnFirer(settings);
    const admin = server.adminClient();
    try {
      await Promise.all([leader.ready, follower.ready]);
      leader.go();
      // The leader holds the lock once a lock marker sits at the entry's key.
      const lockKey = await eventually(async () => {
        const keys = await admin.keys('llmcache:v1:leader-dies:*');
        const values = await Promise.all(keys.map((k) => admin.get(k)));
        const index = values.findIndex((v) => v !== null && v.includes('"lock"'));
        if (index < 0) throw new Error('no lock yet');
        return keys[index];
      }, 10_000, 20);
      follower.go();
      await sleep(200); // the follower finds the lock and starts waiting
      leader.kill();
      const killedAt = Date.now();
      emulator.latencyMs = 300;

      const result = await follower.done;
      const leaderResult = await leader.done;

      expect(leaderResult).toBeNull(); // it died without answering
      expect(result).not.toBeNull();
      const followerResults = (result as FireResult).results;
      const waitedAfterKill = Date.now() - killedAt;
      process.stdout.write(
        `stampede: leader killed holding the lock (ttl ${lockTtlMs} ms); follower's 25 requests answered ${waitedAfterKill} ms after the kill with ` +
          `${emulator.calls.converse - 1} model call(s) of their own\n`,
      );
      expect(followerResults).toHaveLength(25);
      expect(followerResults.every((r) => r.cache === 'miss' && r.error === undefined)).toBe(true);
      // The leader's call (still running in the emulator) and the follower's one call after the expiry.
      expect(emulator.calls.converse).toBe(2);
      // Bounded by the lock's expiry, one model call and generous margin; far below the 20 s wait bound.
      expect(waitedAfterKill).toBeLessThan(lockTtlMs + 300 + 3000);
      await expect(admin.get(lockKey)).resolves.toContain('"v":1'); // the follower stored its answer
    } finally {
      leader.kill();
      follower.kill();
      admin.disconnect();
    }
  }, 60_000);
});
