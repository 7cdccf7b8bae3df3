import { startBedrockEmulator, type BedrockEmulator } from '../../tools/bedrock-emulator/server';
import { startStandalone, type RedisTestServer } from '../../tools/redis-servers';
import { eventually, sleep } from '../support/reliability';

type Handler = typeof import('../../lambda/handler').handler;
type RedisStoreClass = typeof import('../../lambda/backends/redis/redis-store').RedisStore;
type Closer = () => Promise<void>;

const CACHE_TIMEOUT_MS = 250;
const CONNECT_TIMEOUT_MS = 1000;
const COOL_DOWN_MS = 1000;

/**
 * A fresh container (new module registry: handler, runtime and Redis client built from the
 * environment at import, as Lambda does) whose cache cannot be reached at cold start.
 */
async function coldStart(env: Record<string, string>): Promise<{ handler: Handler; getCalls: () => number; close: Closer }> {
  Object.assign(process.env, env);
  let handler: Handler | undefined;
  let store: RedisStoreClass | undefined;
  let close: Closer | undefined;
  await jest.isolateModulesAsync(async () => {
    // Spy before the handler module builds its runtime.
    ({ RedisStore: store } = await import('../../lambda/backends/redis/redis-store'));
    ({ handler } = await import('../../lambda/handler'));
    const { getRuntime } = await import('../../lambda/runtime');
    close = () => getRuntime().close();
  });
  const get = jest.spyOn((store as RedisStoreClass).prototype, 'get');
  return { handler: handler as Handler, getCalls: () => get.mock.calls.length, close: close as Closer };
}

/** A fresh container as above that also records whether the Bedrock SDK module was ever evaluated. */
async function trackedColdStart(env: Record<string, string>): Promise<{ handler: Handler; bedrockLoaded: () => boolean; close: Closer }> {
  Object.assign(process.env, env);
  let loaded = false;
  let handler: Handler | undefined;
  let close: Closer | undefined;
  await jest.isolateModulesAsync(async () => {
    jest.doMock('@aws-sdk/client-bedrock-runtime', () => {
      loaded = true;
      return jest.requireActual('@aws-sdk/client-bedrock-runtime');
    });
    ({ handler } = await import('../../lambda/handler'));
    const { getRuntime } = await import('../../lambda/runtime');
    close = () => getRuntime().close();
  });
  jest.dontMock('@aws-sdk/client-bedrock-runtime');
  return { handler: handler as Handler, bedrockLoaded: () => loaded, close: close as Closer };
}

interface Answer {
  text?: string;
  cache?: string;
  cacheSkipped?: string;
  coalesced?: boolean;
  error?: unknown;
}

async function timedAsk(handler: Handler, prompt: string): Promise<{ answer: Answer; ms: number }> {
  const started = performance.now();
  const answer = (await handler({ prompt, namespace: 'cold', mode: 'standard' })) as unknown as Answer;
  return { answer, ms: performance.now() - started };
}

describe('cold start answered from the cache', () => {
  let emulator: BedrockEmulator;
  let server: RedisTestServer;
  const saved = { ...process.env };
  const closers: Closer[] = [];

  beforeAll(async () => {
    emulator = await startBedrockEmulator({ latencyMs: 0 });
    server = await startStandalone({ password: 'cold-start-pw' });
  });
  afterAll(async () => {
    for (const closeOne of closers) await closeOne();
    process.env = saved;
    await server?.stop();
    await emulator?.close();
  });

  it('serves a hit as the first request of a fresh container without loading the Bedrock SDK', async () => {
    const env = { ...server.env(), BEDROCK_ENDPOINT: emulator.url, AWS_REGION: 'us-east-1', AWS_MAX_ATTEMPTS: '1', SEMANTIC_INDEX: 'none' };
    // An earlier container stored the answer (its model is a stand-in: no SDK client left open).
    const { createRuntime } = await import('../../lambda/runtime');
    const { loadConfig } = await import('../../lambda/core/config');
    const { parseRequest } = await import('../../lambda/core/request');
    const model = { converse: async () => ({ text: 'In Nevada.', stopReason: 'end_turn', usage: { inputTokens: 5, outputTokens: 3 }, modelId: 'stand-in', latencyMs: 0 }) };
    const writer = createRuntime(loadConfig({ ...process.env, ...env }), { model });
    closers.push(() => writer.close());
    const stored = await writer.cache.answer(parseRequest({ prompt: 'Where is Carson City?', namespace: 'cold', mode: 'standard' }, writer.config));
    expect(stored.cache).toBe('miss');

    const container = await trackedColdStart(env);
    closers.push(container.close);
    const first = await timedAsk(container.handler, 'Where is Carson City?');

    expect(first.answer).toMatchObject({ cache: 'exact', text: 'In Nevada.' });
    expect(emulator.calls.converse).toBe(0);
    expect(container.bedrockLoaded()).toBe(false);
  }, 30_000);
});

describe('cache unreachable at cold start', () => {
  let emulator: BedrockEmulator;
  let server: RedisTestServer;
  const saved = { ...process.env };
  let close: Closer | undefined;

  beforeAll(async () => {
    emulator = await startBedrockEmulator({ latencyMs: 20 });
  });
  afterAll(async () => {
    process.env = saved;
    await emulator?.close();
  });
  beforeEach(async () => {
    emulator.reset();
    server = await startStandalone({ password: 'cold-start-pw' });
  });
  afterEach(async () => {
    await close?.();
    close = undefined;
    jest.restoreAllMocks();
    await server?.stop();
  });

  const runtimeEnv = (): Record<string, string> => ({
    ...server.env(),
    BEDROCK_ENDPOINT: emulator.url,
    AWS_REGION: 'us-east-1',
    AWS_MAX_ATTEMPTS: '1',
    SEMANTIC_INDEX: 'none',
    CACHE_TIMEOUT_MS: String(CACHE_TIMEOUT_MS),
    CACHE_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
    CACHE_BREAKER_COOLDOWN_MS: String(COOL_DOWN_MS),
  });

  it('answers from the model when CACHE_URL points at a closed port, stops calling the cache, and recovers once it is up', async () => {
    await server.kill('SIGKILL'); // nothing listens on its port now
    const container = await coldStart(runtimeEnv());
    close = container.close;

    const first = await timedAsk(container.handler, 'Where is Las Vegas?');
    expect(first.answer).toMatchObject({ cache: 'miss', cacheSkipped: 'error', text: expect.any(String) });
    expect(first.ms).toBeLessThan(CONNECT_TIMEOUT_MS + 1000);
    for (let i = 0; i < 3; i++) await timedAsk(container.handler, 'Where is Las Vegas?');

    // The breaker is open: requests skip the store entirely and pay nothing for it.
    const callsWhenOpen = container.getCalls();
    const skipped = await Promise.all(Array.from({ length: 10 }, () => timedAsk(container.handler, 'Where is Las Vegas?')));
    // Identical concurrent requests share one model call: one miss, the rest answered from it.
    expect(skipped.every((s) => s.answer.cacheSkipped === 'circuit-open' && s.answer.cache === (s.answer.coalesced ? 'exact' : 'miss'))).toBe(true);
    expect(container.getCalls()).toBe(callsWhenOpen);
    expect(Math.max(...skipped.map((s) => s.ms))).toBeLessThan(CACHE_TIMEOUT_MS);

    // The server comes up; after the cool-down a probe reconnects and hits resume.
    await server.restart();
    await eventually(async () => {
      const probe = await timedAsk(container.handler, 'Where is Las Vegas?');
      if (probe.answer.cacheSkipped !== undefined) throw new Error(`still skipped: ${probe.answer.cacheSkipped}`);
    }, 10_000, 200);
    const hit = await timedAsk(container.handler, 'Where is Las Vegas?');
    expect(hit.answer.cache).toBe('exact');
    process.stdout.write(`cold start, closed port: first answer in ${first.ms.toFixed(0)} ms (cacheSkipped ${first.answer.cacheSkipped}); ${emulator.calls.converse} model calls before the hit\n`);
  }, 30_000);

  it('answers within the cache timeout when the server accepts connections but never replies, and recovers once it does', async () => {
    await server.kill('SIGSTOP'); // TCP connects, nothing answers: a hung server
    try {
      const container = await coldStart(runtimeEnv());
      close = container.close;

      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await timedAsk(container.handler, 'Where is Reno?'));

      expect(answers.every((a) => a.answer.cache === 'miss' && a.answer.cacheSkipped !== undefined)).toBe(true);
      expect(answers[0].answer.cacheSkipped).toBe('timeout');
      expect(answers[3].answer.cacheSkipped).toBe('circuit-open');
      // The first request waits for the first connection, at most the connect deadline (plus the
      // model's answer, with margin); later ones get one cache timeout each until the breaker opens.
      expect(answers[0].ms).toBeLessThan(CONNECT_TIMEOUT_MS + 750);
      expect(Math.max(...answers.slice(1).map((a) => a.ms))).toBeLessThan(CACHE_TIMEOUT_MS + 750);
      process.stdout.write(`cold start, hung server: answers in ${answers.map((a) => a.ms.toFixed(0)).join(', ')} ms (${answers.map((a) => a.answer.cacheSkipped).join(', ')})\n`);

      await server.kill('SIGCONT');
      await sleep(COOL_DOWN_MS);
      await eventually(async () => {
        const probe = await timedAsk(container.handler, 'Where is Reno?');
        if (probe.answer.cacheSkipped !== undefined) throw new Error(`still skipped: ${probe.answer.cacheSkipped}`);
      }, 10_000, 200);
      expect((await timedAsk(container.handler, 'Where is Reno?')).answer.cache).toBe('exact');
    } finally {
      await server.kill('SIGCONT');
    }
  }, 30_000);
});
