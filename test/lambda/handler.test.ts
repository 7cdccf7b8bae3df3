import type { BedrockEmulator } from '../../tools/bedrock-emulator/server';
import { startBedrockEmulator } from '../../tools/bedrock-emulator/server';

type Handler = typeof import('../../lambda/handler').handler;

const ALLOWED = 'us.anthropic.claude-haiku-4-5-20251001-v1:0,amazon.nova-micro-v1:0';

/** End to end through `handler`: events in, contract JSON out, the real SDK against the emulator. */
describe('handler', () => {
  let emulator: BedrockEmulator;
  let handler: Handler;
  const saved = { ...process.env };

  beforeAll(async () => {
    emulator = await startBedrockEmulator();
    Object.assign(process.env, {
      CACHE_BACKEND: 'memory',
      BEDROCK_ENDPOINT: emulator.url,
      AWS_REGION: 'us-east-1',
      LLM_ALLOWED_MODEL_IDS: ALLOWED,
      AWS_MAX_ATTEMPTS: '1',
    });
    ({ handler } = await import('../../lambda/handler'));
  });

  afterAll(async () => {
    process.env = saved;
    await emulator.close();
  });

  beforeEach(() => emulator.reset());

  const urlEvent = (body: string | undefined, isBase64Encoded = false): unknown => ({
    version: '2.0',
    rawPath: '/',
    headers: { 'content-type': 'application/json' },
    requestContext: { http: { method: 'POST', path: '/' } },
    body,
    isBase64Encoded,
  });

  it('tells the story: miss, then exact hit, then semantic hit', async () => {
    const namespace = 'story';

    const first = (await handler({ prompt: 'Where is Las Vegas?', namespace })) as unknown as Record<string, unknown>;
    const second = (await handler({ prompt: 'Where is Las Vegas?', namespace })) as unknown as Record<string, unknown>;
    const third = (await handler({ prompt: 'Where is Vegas?', namespace })) as unknown as Record<string, unknown>;

    expect([first.cache, second.cache, third.cache]).toEqual(['miss', 'exact', 'semantic']);
    expect(third.text).toBe(first.text);
    expect(third.similarity).toBeGreaterThanOrEqual(0.9);
    expect(emulator.calls.converse).toBe(1);
    expect(emulator.calls.embed).toBe(2);
  });

  it('answers a Function URL event with status 200 and the response JSON in the body', async () => {
    const result = (await handler(urlEvent(JSON.stringify({ prompt: 'Where is Reno?', namespace: 'url' })))) as unknown as { statusCode: number; body: string };

    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ cache: 'miss', modelId: expect.any(String) });
  });

  it('reads a base64-encoded Function URL body', async () => {
    const body = Buffer.from(JSON.stringify({ prompt: 'Where is Boise?', namespace: 'b64' })).toString('base64');

    const result = (await handler(urlEvent(body, true))) as unknown as { statusCode: number; body: string };

    expect(result.statusCode).toBe(200);
  });

  it.each([
    ['a body that is not JSON', '{"prompt": '],
    ['an empty body', undefined],
    ['a request without a prompt', JSON.stringify({ mode: 'standard' })],
  ])('answers %s in a Function URL event with 400 InvalidRequest', async (_label, body) => {
    const result = (await handler(urlEvent(body))) as unknown as { statusCode: number; body: string };

    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body).error.code).toBe('InvalidRequest');
  });

  it('returns an InvalidRequest error object for bad direct input instead of throwing', async () => {
    const result = await handler({ prompt: 'hi', threshold: 2 });

    expect(result).toEqual({ error: { code: 'InvalidRequest', message: expect.stringContaining('threshold') } });
    expect(emulator.calls.converse).toBe(0);
  });

  it('accepts a model id from the allowed list and refuses any other', async () => {
    const allowed = (await handler({ prompt: 'Where is Elko?', modelId: 'amazon.nova-micro-v1:0' })) as unknown as Record<string, unknown>;
    const refused = (await handler({ prompt: 'Where is Elko?', modelId: 'anthropic.claude-opus-4-1' })) as unknown as Record<string, unknown>;

    expect(allowed.modelId).toBe('amazon.nova-micro-v1:0');
    expect(refused).toEqual({ error: { code: 'InvalidRequest', message: expect.stringContaining('not allowed') } });
  });

  it('maps throttling to a retryable ModelThrottled error (429) and caches nothing', async () => {
    emulator.failNext(1, 'ThrottlingException', { operation: 'converse' });
    const event = urlEvent(JSON.stringify({ prompt: 'Where is Carson City?', namespace: 'throttle', mode: 'standard' }));

    const failed = (await handler(event)) as unknown as { statusCode: number; body: string };
    const retried = (await handler(event)) as unknown as { statusCode: number; body: string };

    expect(failed.statusCode).toBe(429);
    expect(JSON.parse(failed.body).error).toMatchObject({ code: 'ModelThrottled', retryable: true });
    expect(JSON.parse(retried.body).cache).toBe('miss');
    expect(emulator.calls.converse).toBe(2);
  });

  it('bypasses the cache in mode off', async () => {
    await handler({ prompt: 'Where is Ely?', namespace: 'off' });

    const result = (await handler({ prompt: 'Where is Ely?', namespace: 'off', mode: 'off' })) as unknown as Record<string, unknown>;

    expect(result.cache).toBe('bypass');
    expect(emulator.calls.converse).toBe(2);
  });
});
