import { startBedrockEmulator, type BedrockEmulator } from '../../tools/bedrock-emulator/server';
import { startStandalone, type RedisTestServer } from '../../tools/redis-servers';
import { leaderThenFollower, modelCallUnderWay, sleep, spawnFirer, type FireResult } from '../support/reliability';

/**
 * Lock renewal across two processes (two containers) on a real redis-server: a model answer that
 * takes four times the lock's TTL. The leader keeps its lock alive (EVAL of a compare-and-extend),
 * so the other container waits for its answer and the model is called once; a leader killed while
 * it holds the lock stops renewing, and its lock still expires so the waiter takes over.
 */
describe('lock renewal (two processes, real redis-server)', () => {
  // A TTL a busy machine's late timers and slow commands cannot outlast between two renewals (every third of it).
  const lockTtlMs = 1500;
  const modelMs = 6000;
  let server: RedisTestServer;
  let emulator: BedrockEmulator;
  let env: Record<string, string>;

  beforeAll(async () => {
    [server, emulator] = await Promise.all([startStandalone(), startBedrockEmulator()]);
    env = {
      ...server.env(),
      BEDROCK_ENDPOINT: emulator.url,
      SEMANTIC_INDEX: 'none',
      CACHE_TIMEOUT_MS: '250',
      CACHE_CONNECT_TIMEOUT_MS: '1000',
      CACHE_LOCK_TTL_MS: String(lockTtlMs),
      FIRE_COUNT: '1',
    };
  });
  afterAll(async () => {
    await Promise.all([server?.stop(), emulator?.close()]);
  });
  beforeEach(() => {
    emulator.reset();
    emulator.latencyMs = modelMs;
  });

  it('makes one model call when the answer takes longer than the lock TTL: the other container gets the leader\'s answer', async () => {
    const settings = { ...env, FIRE_NAMESPACE: 'renewed' };
    const leader = spawnFirer(settings);
    const follower = spawnFirer(settings);
    const admin = server.adminClient();
    try {
      const lockKey = await leaderThenFollower(leader, follower, admin, 'llmcache:v1:renewed:*');
      await sleep(lockTtlMs * 3); // well past the TTL the lock was taken with
      const stillLocked = await admin.get(lockKey);
      const ttlLeft = await admin.pttl(lockKey);

      const [led, followed] = (await Promise.all([leader.done, follower.done])) as [FireResult, FireResult];

      const waiter = followed.results[0]!;
      process.stdout.write(
        `lock renewal: model ${modelMs} ms, lock TTL ${lockTtlMs} ms; after ${lockTtlMs * 3} ms the lock was still held (${ttlLeft} ms left); ` +
          `model calls ${emulator.calls.converse}; the waiter (other process) answered ${waiter.cache}${waiter.coalesced ? ' coalesced' : ''} after ${waiter.at} ms\n`,
      );
      expect(stillLocked).toContain('"lock"');
      expect(ttlLeft).toBeGreaterThan(0);
      expect(ttlLeft).toBeLessThanOrEqual(lockTtlMs);
      expect(emulator.calls.converse).toBe(1);
      expect(led.results[0]).toMatchObject({ cache: 'miss' });
      expect(waiter).toMatchObject({ cache: 'exact', coalesced: true });
      expect(waiter.error).toBeUndefined();
      expect(waiter.at).toBeLessThan(modelMs + 3000); // the leader's answer, not a second generation after it (2 x modelMs)
      await expect(admin.get(lockKey)).resolves.toContain('"v":1'); // the leader's entry replaced its lock
    } finally {
      leader.kill();
      follower.kill();
      admin.disconnect();
    }
  }, 60_000);

  it('lets the waiter take over when the leader is killed: its lock, no longer renewed, expires within the TTL', async () => {
    const settings = { ...env, FIRE_NAMESPACE: 'killed' };
    // The leader's model call outlives the kill, and ends (in the emulator) before the waiter's answer.
    emulator.latencyMs = 5000;
    const leader = spawnFirer(settings);
    const follower = spawnFirer(settings);
    const admin = server.adminClient();
    try {
      const lockKey = await leaderThenFollower(leader, follower, admin, 'llmcache:v1:killed:*');
      // Kill the leader once its model call is under way and it renewed its lock at least once.
      await modelCallUnderWay(emulator);
      await sleep(lockTtlMs);
      leader.kill();
      const killedAt = Date.now();
      emulator.latencyMs = 300;

      const followed = (await follower.done) as FireResult;
      const afterKillMs = Date.now() - killedAt;

      process.stdout.write(`lock renewal: leader killed; the waiter took over and answered ${afterKillMs} ms after the kill (lock TTL ${lockTtlMs} ms, its own model call 300 ms)\n`);
      expect(await leader.done).toBeNull();
      expect(followed.results[0]).toMatchObject({ cache: 'miss' });
      expect(followed.results[0]!.error).toBeUndefined();
      expect(emulator.calls.converse).toBe(2); // the dead leader's call and the waiter's own
      expect(afterKillMs).toBeLessThan(lockTtlMs + 300 + 2000);
      await expect(admin.get(lockKey)).resolves.toContain('"v":1');
    } finally {
      leader.kill();
      follower.kill();
      admin.disconnect();
    }
  }, 60_000);
});
