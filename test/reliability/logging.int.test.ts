import { promptDigest } from '../../lambda/core/keys';
import { startBedrockEmulator, type BedrockEmulator } from '../../tools/bedrock-emulator/server';
import { startStandalone, type RedisTestServer } from '../../tools/redis-servers';

type Handler = typeof import('../../lambda/handler').handler;

const SECRET = 'Zq9-distinctive-cache-secret-7781';
const PROMPT = 'Tell me about the purple elephant named Quibbleworth';
const PROMPT_WORD = 'Quibbleworth';

/**
 * Everything the function logs (Powertools at DEBUG, console, stdout, stderr) during a miss, a
 * hit, a cache fault, a model error and invalid requests: no prompt, no answer, no secret; the
 * prompt's digest instead.
 */
describe('logs', () => {
  let emulator: BedrockEmulator;
  let server: RedisTestServer;
  let handler: Handler;
  let close: () => Promise<void>;
  let runtime: import('../../lambda/runtime').Runtime;
  const saved = { ...process.env };
  const captured: string[] = [];
  const restore: (() => void)[] = [];

  beforeAll(async () => {
    [emulator, server] = await Promise.all([startBedrockEmulator(), startStandalone({ password: SECRET })]);
    Object.assign(process.env, {
      ...server.env(),
      BEDROCK_ENDPOINT: emulator.url,
      AWS_REGION: 'us-east-1',
      AWS_MAX_ATTEMPTS: '1',
      SEMANTIC_INDEX: 'none',
      CACHE_MODE: 'standard',
      CACHE_TIMEOUT_MS: '250',
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
      POWERTOOLS_DEV: 'false',
    });
    expect(process.env.CACHE_PASSWORD).toBe(SECRET);
    // Capture every way text leaves the process before the logger is created.
    for (const stream of [process.stdout, process.stderr]) {
      const original = stream.write.bind(stream);
      stream.write = ((chunk: unknown, ...rest: unknown[]) => {
        captured.push(String(chunk));
        return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof stream.write;
      restore.push(() => (stream.write = original as typeof stream.write));
    }
    for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
      const spy = jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        captured.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
      });
      restore.push(() => spy.mockRestore());
    }
    await jest.isolateModulesAsync(async () => {
      ({ handler } = await import('../../lambda/handler'));
      const { getRuntime } = await import('../../lambda/runtime');
      runtime = getRuntime();
      close = () => getRuntime().close();
    });
  });

  afterAll(async () => {
    restore.forEach((undo) => undo());
    process.env = saved;
    await close?.();
    await Promise.all([emulator?.close(), server?.stop()]);
  });

  it('carry digests and sizes, never prompts, answers or secrets', async () => {
    const miss = (await handler({ prompt: PROMPT })) as unknown as { text: string; cache: string };
    const hit = (await handler({ prompt: PROMPT })) as unknown as { text: string; cache: string };
    expect([miss.cache, hit.cache]).toEqual(['miss', 'exact']);
    const answer = miss.text;
    expect(answer.length).toBeGreaterThan(10);

    await handler({ prompt: `${PROMPT} [[error:ThrottlingException]]` }); // a model error
    await handler({ prompt: PROMPT, maxTokens: 'lots' }); // invalid request
    await handler({ prompt: PROMPT, [PROMPT_WORD]: SECRET }); // invalid: unknown field carrying a value
    await handler({ requestContext: { http: {} }, body: `{"prompt": "${PROMPT}", ` }); // a body that is not JSON
    await server.kill('SIGKILL');
    const faulted = (await handler({ prompt: `${PROMPT} again` })) as unknown as { cacheSkipped?: string };
    expect(faulted.cacheSkipped).toBeDefined();

    const logs = captured.join('\n');
    expect(logs).toContain('answered'); // the capture works: the logger wrote through it
    expect(logs).toContain('cache operation failed open');
    expect(logs).toContain(promptDigest(PROMPT));
    expect(logs).not.toContain(PROMPT_WORD);
    expect(logs).not.toContain(SECRET);
    // The answer the emulator built (an echo of the prompt) and any long piece of it.
    expect(logs).not.toContain(answer);
    expect(logs).not.toContain(answer.slice(0, 24));
  });

  /** The Powertools JSON lines written since `before` whose message is `message`. */
  const logLines = (before: number, message: string): Record<string, unknown>[] =>
    captured
      .slice(before)
      .join('\n')
      .split('\n')
      .filter((line) => line.startsWith('{') && line.includes(`"message":"${message}"`))
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  it('keep the message of a masked InternalError: the caller sees "internal error", the log the detail', async () => {
    const before = captured.length;
    jest.spyOn(runtime.cache, 'answer').mockRejectedValueOnce(new TypeError('Cannot read properties of undefined (reading "vector")'));

    const result = (await handler({ prompt: PROMPT })) as unknown as { error: { code: string; message: string } };

    expect(result.error).toEqual({ code: 'InternalError', message: 'internal error' });
    const [line] = logLines(before, 'request failed');
    expect(line).toMatchObject({ level: 'ERROR', error: { code: 'InternalError', detail: 'Cannot read properties of undefined (reading "vector")', cause: 'TypeError' } });
    expect(captured.slice(before).join('\n')).not.toContain('reserved key');
  });

  it("keep a model error's full message from Bedrock in the log", async () => {
    const before = captured.length;
    const bedrockMessage = 'User: arn:aws:sts::111122223333:assumed-role/cache-fn/x is not authorized to perform: bedrock:InvokeModel';
    emulator.failNext(1, 'AccessDeniedException', { operation: 'converse', message: bedrockMessage });

    const result = (await handler({ prompt: `${PROMPT} (model error)`, mode: 'off' })) as unknown as { error: { code: string } };

    expect(result.error.code).toBe('ModelAccessDenied');
    const [line] = logLines(before, 'request failed');
    expect(line).toMatchObject({ level: 'ERROR', error: { code: 'ModelAccessDenied' } });
    expect(JSON.stringify(line?.error)).toContain(bedrockMessage);
    expect(captured.slice(before).join('\n')).not.toContain('reserved key');
  });

  it('log why a request was invalid, without the text the caller chose', async () => {
    const before = captured.length;

    await handler({ prompt: PROMPT, modelId: `${PROMPT_WORD}-model` });

    const [line] = logLines(before, 'invalid request');
    expect(line).toMatchObject({ level: 'INFO', error: { code: 'InvalidRequest', detail: expect.stringContaining('"modelId" "…" is not allowed') } });
    expect(captured.slice(before).join('\n')).not.toContain(PROMPT_WORD);
  });

  it('never echo a secret written into a rejected CACHE_URL, in the logs or the response', async () => {
    const before = captured.length;
    const env = { ...process.env };
    process.env.CACHE_URL = `https://admin:${SECRET}@cache.example:6379`;
    let broken: Handler | undefined;
    try {
      await jest.isolateModulesAsync(async () => {
        ({ handler: broken } = await import('../../lambda/handler'));
      });
      const result = (await (broken as Handler)({ prompt: PROMPT })) as unknown as { error: { code: string; message: string } };

      expect(result.error.code).toBe('ConfigurationError');
      expect(result.error.message).toContain('CACHE_URL');
      expect(JSON.stringify(result)).not.toContain(SECRET);
      const logs = captured.slice(before).join('\n');
      expect(logs).toContain('CACHE_URL');
      expect(logs).not.toContain(SECRET);
    } finally {
      process.env = env;
    }
  });
});
