import { startBedrockEmulator, type BedrockEmulator } from '../../tools/bedrock-emulator/server';
import { startStandalone, type RedisTestServer } from '../../tools/redis-servers';
import { leaderThenFollower, lockAt, modelCallUnderWay, sleep, spawnFirer, startContainer, type FireResult } from '../support/reliability';

/**
 * Single flight against a real redis-server: concurrent identical misses make one model call in
 * one process (in-process coalescing) and across processes (the `SET NX PX` lock at the entry's
 * key); a leader that dies holding the lock frees the others when the lock expires, and a leader
 * whose store fails frees them at once. Requests served by another's answer report an exact hit
 * (`coalesced: true`, zero usage); only the one model call reports usage.
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
      expect(responses.every((r) => r.cacheSkipped === undefined)).toBe(true);
      expect(new Set(responses.map((r) => r.text)).size).toBe(1);
      const leaders = responses.filter((r) => r.coalesced !== true);
      expect(leaders).toHaveLength(1);
      expect(leaders[0]!.cache).toBe('miss');
      expect(leaders[0]!.usage.outputTokens).toBeGreaterThan(0);
      const waiters = responses.filter((r) => r.coalesced === true);
      expect(waiters.every((r) => r.cache === 'exact' && r.usage.inputTokens + r.usage.outputTokens === 0)).toBe(true);
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
      // One model call; every other request (in its process, or in the other one through the lock) got its answer.
      expect(all.filter((r) => r.cache === 'miss')).toHaveLength(1);
      expect(all.filter((r) => r.cache === 'exact' && r.coalesced === true)).toHaveLength(49);
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
      const lockKey = await leaderThenFollower(leader, follower, admin, 'llmcache:v1:leader-dies:*');
      // Kill the leader once its model call is under way and the follower has found the lock.
      await modelCallUnderWay(emulator);
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
      expect(followerResults.every((r) => r.error === undefined)).toBe(true);
      // One of the follower's requests called the model; the other 24 shared its answer.
      expect(followerResults.filter((r) => r.cache === 'miss')).toHaveLength(1);
      expect(followerResults.filter((r) => r.cache === 'exact' && r.coalesced === true)).toHaveLength(24);
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
  it('frees the followers in other containers at once when the leader answers but its store fails', async () => {
    const lockWaitMs = 15_000;
    emulator.latencyMs = 1000;
    const settings = { ...env, CACHE_LOCK_WAIT_MS: String(lockWaitMs) };
    const leader = startContainer(settings);
    const follower = startContainer(settings);
    const admin = server.adminClient();
    const ask = { prompt: 'Where is Reno?', namespace: 'store-fails', mode: 'standard' };
    try {
      const leading = leader.ask(ask);
      await lockAt(admin, 'llmcache:v1:store-fails:*');
      // The server now refuses every write that may grow memory (SET: OOM); reads and DEL still work.
      await admin.config('SET', 'maxmemory', '1');
      const started = Date.now();
      const [led, followed] = await Promise.all([leading, follower.ask(ask)]);
      const followerMs = Date.now() - started;

      process.stdout.write(
        `stampede: leader's store refused (OOM); follower answered in ${followerMs} ms with its own model call (wait bound ${lockWaitMs} ms), ` +
          `${emulator.calls.converse} model calls in all\n`,
      );
      expect(led.cache).toBe('miss');
      expect(followed).toMatchObject({ cache: 'miss' });
      expect(emulator.calls.converse).toBe(2);
      // The leader's remaining model time and the follower's own model call (1 s each), with margin; not the 15 s bound.
      expect(followerMs).toBeLessThan(5000);
      await admin.config('SET', 'maxmemory', '0');
      expect(await admin.keys('llmcache:v1:store-fails:*')).toEqual([]); // no lock left behind
    } finally {
      await admin.config('SET', 'maxmemory', '0');
      admin.disconnect();
      leader.close();
      follower.close();
    }
  }, 60_000);
});
