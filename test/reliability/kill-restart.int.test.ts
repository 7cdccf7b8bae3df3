import type { CacheResponse } from '../../lambda/core/types';
import { startBedrockEmulator, type BedrockEmulator } from '../../tools/bedrock-emulator/server';
import { startStandalone, type RedisTestServer } from '../../tools/redis-servers';
import { eventually, sleep, startContainer, type TestContainer } from '../support/reliability';

const TOTAL_REQUESTS = 400;
const CONCURRENCY = 20;
const PROMPTS = Array.from({ length: 25 }, (_, i) => `Where is city number ${i}?`);

/**
 * The cache server is SIGKILLed in the middle of a load of concurrent requests and restarted:
 * every request is still answered (fail open), and hits resume on the restarted (empty) server.
 */
describe('cache server killed and restarted under load', () => {
  let server: RedisTestServer;
  let emulator: BedrockEmulator;
  let container: TestContainer;

  beforeAll(async () => {
    [server, emulator] = await Promise.all([startStandalone({ password: 'kill-test-pw' }), startBedrockEmulator({ latencyMs: 20 })]);
    container = startContainer({
      ...server.env(),
      BEDROCK_ENDPOINT: emulator.url,
      SEMANTIC_INDEX: 'none',
      CACHE_TIMEOUT_MS: '250',
      CACHE_CONNECT_TIMEOUT_MS: '1000',
      CACHE_BREAKER_COOLDOWN_MS: '1000',
    });
  });
  afterAll(async () => {
    container?.close();
    await Promise.all([server?.stop(), emulator?.close()]);
  });

  it('answers every request while the server is killed and restarted, then hits again', async () => {
    let sent = 0;
    const failures: unknown[] = [];
    const outcomes: Record<string, number> = {};
    const phases: Record<string, Record<string, number>> = { before: {}, down: {}, after: {} };
    let phase: 'before' | 'down' | 'after' = 'before';
    const deadline = Date.now() + 60_000; // about 7 s on a quiet machine; a busy one needs far longer

    const worker = async (): Promise<void> => {
      while (sent < TOTAL_REQUESTS && Date.now() < deadline) {
        const prompt = PROMPTS[sent % PROMPTS.length];
        sent += 1;
        try {
          const response: CacheResponse = await container.ask({ prompt, namespace: 'kill', mode: 'standard' });
          const key = response.cacheSkipped ? `${response.cache}/${response.cacheSkipped}` : response.cache;
          outcomes[key] = (outcomes[key] ?? 0) + 1;
          phases[phase][response.cache] = (phases[phase][response.cache] ?? 0) + 1;
        } catch (error) {
          failures.push(error);
        }
        await sleep(250); // paced so the load spans the kill, the outage and the recovery
      }
    };
    const faults = (async () => {
      await eventually(async () => {
        if (sent < TOTAL_REQUESTS / 4) throw new Error('load not under way yet');
      }, 40_000, 5); // 7 s on a quiet machine; far longer when the machine is busy with other work
      await server.kill('SIGKILL');
      phase = 'down';
      await sleep(1000);
      await server.restart();
      phase = 'after';
    })();

    await Promise.all([...Array.from({ length: CONCURRENCY }, worker), faults]);

    process.stdout.write(
      `kill-restart: ${sent} requests sent, ${failures.length} failed; outcomes ${JSON.stringify(outcomes)}; by phase ${JSON.stringify(phases)}\n`,
    );
    expect(sent).toBe(TOTAL_REQUESTS);
    expect(failures).toEqual([]);
    expect(phases.before.exact ?? 0).toBeGreaterThan(0);
    // Hits resumed during the load, after the restart and the breaker's cool-down.
    expect(phases.after.exact ?? 0).toBeGreaterThan(0);
    // The server really went away mid-load: some requests skipped the cache.
    expect(Object.keys(outcomes).some((key) => key.includes('/'))).toBe(true);

    // The restarted server is empty: a request is stored again, and its repeat is a hit.
    const fresh = { prompt: 'Where is the restarted city?', namespace: 'kill', mode: 'standard' };
    await eventually(async () => {
      const first = await container.ask(fresh);
      if (first.cacheSkipped !== undefined) throw new Error(`cache still skipped: ${first.cacheSkipped}`);
    }, 15_000, 200);
    const repeat = await container.ask(fresh);
    expect(repeat.cache).toBe('exact');
    const earlier = await container.ask({ prompt: PROMPTS[0], namespace: 'kill', mode: 'standard' });
    expect(earlier.cacheSkipped).toBeUndefined();
  }, 120_000);
});
