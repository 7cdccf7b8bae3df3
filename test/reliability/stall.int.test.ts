import type Redis from 'ioredis';
import { startBedrockEmulator, type BedrockEmulator } from '../../tools/bedrock-emulator/server';
import { startStandalone, type RedisTestServer } from '../../tools/redis-servers';
import { sleep, startContainer, type TestContainer } from '../support/reliability';

const CACHE_TIMEOUT_MS = 250;
const MODEL_LATENCY_MS = 50;
const STALL_MS = 2000;
/** Scheduling noise on a busy 2-core CI machine; the bound under test is CACHE_TIMEOUT_MS. */
const MARGIN_MS = 250;

/**
 * A stalled cache server (DEBUG SLEEP, CLIENT PAUSE) adds at most the cache timeout to a request:
 * every request in the stall is still answered, from the model.
 */
describe.each([
  ['DEBUG SLEEP', (admin: Redis) => admin.call('DEBUG', 'SLEEP', String(STALL_MS / 1000))],
  ['CLIENT PAUSE', (admin: Redis) => admin.call('CLIENT', 'PAUSE', String(STALL_MS), 'ALL')],
])('cache server stalled with %s', (label, stall) => {
  let server: RedisTestServer;
  let emulator: BedrockEmulator;
  let container: TestContainer;

  beforeAll(async () => {
    [server, emulator] = await Promise.all([startStandalone(), startBedrockEmulator({ latencyMs: MODEL_LATENCY_MS })]);
    container = startContainer({
      ...server.env(),
      BEDROCK_ENDPOINT: emulator.url,
      SEMANTIC_INDEX: 'none',
      CACHE_TIMEOUT_MS: String(CACHE_TIMEOUT_MS),
      CACHE_CONNECT_TIMEOUT_MS: '1000',
      CACHE_BREAKER_COOLDOWN_MS: '700',
    });
  });
  afterAll(async () => {
    container?.close();
    await Promise.all([server?.stop(), emulator?.close()]);
  });

  it('bounds the added latency of every request by the cache timeout', async () => {
    const stored = Array.from({ length: 10 }, (_, i) => `Where is stored city ${i}?`);
    for (const prompt of stored) await container.ask({ prompt, namespace: 'stall', mode: 'standard' });
    // Baseline: what a request costs when the model answers it and the cache is healthy.
    const baseline: number[] = [];
    for (let i = 0; i < 10; i++) {
      const started = performance.now();
      await container.ask({ prompt: `Baseline question ${i}?`, namespace: 'stall', mode: 'standard' });
      baseline.push(performance.now() - started);
    }
    const missMs = Math.max(...baseline);

    const admin = server.adminClient();
    const samples: { latencyMs: number; cache: string; skipped?: string }[] = [];
    const failures: unknown[] = [];
    try {
      const stalled = stall(admin);
      await sleep(20);
      const stallEnds = Date.now() + STALL_MS;
      let n = 0;
      const worker = async (): Promise<void> => {
        while (Date.now() < stallEnds) {
          const i = n++;
          // Half of them would be hits on a healthy cache.
          const prompt = i % 2 === 0 ? stored[i % stored.length] : `Stalled question ${i}?`;
          const started = performance.now();
          try {
            const response = await container.ask({ prompt, namespace: 'stall', mode: 'standard' });
            samples.push({ latencyMs: performance.now() - started, cache: response.cache, skipped: response.cacheSkipped });
          } catch (error) {
            failures.push(error);
          }
          await sleep(10);
        }
      };
      await Promise.all(Array.from({ length: 10 }, worker));
      await stalled;
    } finally {
      admin.disconnect();
    }

    const added = samples.map((s) => Math.max(0, s.latencyMs - missMs)).sort((a, b) => a - b);
    const maxAdded = added[added.length - 1];
    const p50 = added[Math.floor(added.length / 2)];
    process.stdout.write(
      `stall (${label} ${STALL_MS} ms, cache timeout ${CACHE_TIMEOUT_MS} ms): ${samples.length} requests, ${failures.length} failed; ` +
        `added latency over a healthy miss (${missMs.toFixed(0)} ms): max ${maxAdded.toFixed(0)} ms, p50 ${p50.toFixed(0)} ms; ` +
        `skipped ${JSON.stringify(samples.reduce<Record<string, number>>((acc, s) => ({ ...acc, [s.skipped ?? 'none']: (acc[s.skipped ?? 'none'] ?? 0) + 1 }), {}))}\n`,
    );
    expect(failures).toEqual([]);
    expect(samples.length).toBeGreaterThan(20);
    expect(samples.some((s) => s.skipped === 'timeout')).toBe(true);
    expect(maxAdded).toBeLessThan(CACHE_TIMEOUT_MS + MARGIN_MS);

    // Once the stall is over, the stored entries hit again (after the breaker's cool-down).
    await sleep(800);
    let hit = false;
    for (let i = 0; i < 20 && !hit; i++) {
      hit = (await container.ask({ prompt: stored[0], namespace: 'stall', mode: 'standard' })).cache === 'exact';
      if (!hit) await sleep(100);
    }
    expect(hit).toBe(true);
  }, 60_000);
});

/**
 * One request at a time, as a Lambda container serves them, while the server refuses to answer
 * writes (`CLIENT PAUSE WRITE`, what Redis does during a failover): the lookup succeeds, then the
 * lock and the store would each wait for the timeout. A request pays the timeout at most once.
 */
describe('cache server pausing writes, one request at a time', () => {
  let server: RedisTestServer;
  let emulator: BedrockEmulator;
  let container: TestContainer;

  beforeAll(async () => {
    [server, emulator] = await Promise.all([startStandalone(), startBedrockEmulator({ latencyMs: MODEL_LATENCY_MS })]);
    container = startContainer({
      ...server.env(),
      BEDROCK_ENDPOINT: emulator.url,
      SEMANTIC_INDEX: 'none',
      CACHE_TIMEOUT_MS: String(CACHE_TIMEOUT_MS),
      CACHE_CONNECT_TIMEOUT_MS: '1000',
    });
  });
  afterAll(async () => {
    container?.close();
    await Promise.all([server?.stop(), emulator?.close()]);
  });

  it('adds at most one cache timeout to a miss when writes stall', async () => {
    const baseline: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      await container.ask({ prompt: `Write baseline ${i}?`, namespace: 'pause-write', mode: 'standard' });
      baseline.push(performance.now() - started);
    }
    const missMs = Math.max(...baseline);
    const admin = server.adminClient();
    const samples: { latencyMs: number; skipped?: string }[] = [];
    try {
      await admin.call('CLIENT', 'PAUSE', String(STALL_MS), 'WRITE');
      const stallEnds = Date.now() + STALL_MS - 600;
      for (let i = 0; Date.now() < stallEnds; i++) {
        const started = performance.now();
        const response = await container.ask({ prompt: `Paused write question ${i}?`, namespace: 'pause-write', mode: 'standard' });
        samples.push({ latencyMs: performance.now() - started, skipped: response.cacheSkipped });
      }
    } finally {
      await admin.call('CLIENT', 'UNPAUSE').catch(() => undefined);
      admin.disconnect();
    }
    const maxAdded = Math.max(...samples.map((s) => s.latencyMs - missMs));
    process.stdout.write(
      `stall (CLIENT PAUSE WRITE, sequential, cache timeout ${CACHE_TIMEOUT_MS} ms): ${samples.length} requests; max added latency ${maxAdded.toFixed(0)} ms; ` +
        `skipped ${JSON.stringify(samples.map((s) => s.skipped ?? 'none'))}\n`,
    );
    expect(samples.length).toBeGreaterThan(0);
    expect(samples[0].skipped).toBe('timeout');
    expect(maxAdded).toBeLessThan(CACHE_TIMEOUT_MS + MARGIN_MS);
  }, 30_000);
});
