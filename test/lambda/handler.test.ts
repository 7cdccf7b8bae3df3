import type { BedrockEmulator } from '../../tools/bedrock-emulator/server';
import { startBedrockEmulator } from '../../tools/bedrock-emulator/server';
import { iamNamespace } from '../../lambda/caller-namespace';
import { iamUrlEvent, urlEvent } from '../support/function-url';

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

  it('refuses temperature and topP together with InvalidRequest, before any model call', async () => {
    const result = await handler({ prompt: 'Where is Las Vegas?', temperature: 0, topP: 1, namespace: 'samplers' });

    expect(result).toEqual({ error: { code: 'InvalidRequest', message: expect.stringMatching(/not both: .*Claude Haiku 4\.5/) } });
    expect(emulator.calls.converse).toBe(0);
    expect(emulator.calls.embed).toBe(0);
  });

  it('answers a request with only topP, which the emulator takes as Bedrock does', async () => {
    const result = (await handler({ prompt: 'Where is Las Vegas?', topP: 0.9, namespace: 'top-p' })) as unknown as Record<string, unknown>;

    expect(result).toMatchObject({ cache: 'miss' });
    expect(emulator.calls).toMatchObject({ converse: 1, errors: 0 });
  });

  it('answers a Function URL event whose maxTokens is above the model\'s max output with 400 InvalidRequest, before any call', async () => {
    const result = (await handler(urlEvent(JSON.stringify({ prompt: 'Where is Las Vegas?', maxTokens: 64_001 })))) as unknown as { statusCode: number; body: string };

    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body).error).toMatchObject({ code: 'InvalidRequest', message: expect.stringContaining('above the 64000 output tokens') });
    expect(emulator.calls.converse).toBe(0);
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

  it('refuses a threshold below the floor, so a probe cannot take any answer in a namespace', async () => {
    const secret = (await handler({ prompt: 'What is our Q3 acquisition target?', namespace: 'tenant-a' })) as unknown as Record<string, unknown>;

    const probe = await handler({ prompt: 'hello', namespace: 'tenant-a', threshold: 0 });

    expect(secret.cache).toBe('miss');
    expect(probe).toEqual({ error: { code: 'InvalidRequest', message: expect.stringContaining('below the floor 0.9') } });
    expect(emulator.calls.converse).toBe(1);
  });

  it('refuses a blank system prompt before calling the model', async () => {
    const result = (await handler(urlEvent(JSON.stringify({ prompt: 'Where is Tonopah?', system: '  ' })))) as unknown as { statusCode: number; body: string };

    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body).error).toMatchObject({ code: 'InvalidRequest', message: expect.stringContaining('"system" must not be blank') });
    expect(emulator.calls.converse).toBe(0);
  });

  describe('with NAMESPACE_FROM=iam-principal', () => {
    let bound: Handler;
    const answer = async (event: unknown): Promise<{ statusCode: number; body: Record<string, unknown> }> => {
      const result = (await bound(event)) as unknown as { statusCode: number; body: string };
      return { statusCode: result.statusCode, body: JSON.parse(result.body) as Record<string, unknown> };
    };

    beforeAll(async () => {
      process.env.NAMESPACE_FROM = 'iam-principal';
      try {
        await jest.isolateModulesAsync(async () => {
          ({ handler: bound } = await import('../../lambda/handler'));
        });
      } finally {
        delete process.env.NAMESPACE_FROM;
      }
    });

    it('refuses a Function URL event without an IAM caller with 403 Unauthorized', async () => {
      const result = await answer(iamUrlEvent(undefined, { prompt: 'Where is Austin?' }));

      expect(result.statusCode).toBe(403);
      expect(result.body.error).toMatchObject({ code: 'Unauthorized' });
      expect(emulator.calls.converse).toBe(0);
    });

    it("keeps each IAM caller's answers to that caller, whatever namespace the body names", async () => {
      const alice = 'arn:aws:iam::111122223333:user/alice';
      const bob = 'arn:aws:iam::111122223333:user/bob';

      const first = await answer(iamUrlEvent(alice, { prompt: 'Where is Austin?' }));
      const other = await answer(iamUrlEvent(bob, { prompt: 'Where is Austin?' }));
      const again = await answer(iamUrlEvent(alice, { prompt: 'Where is Austin?' }));
      const chosen = await answer(iamUrlEvent(bob, { prompt: 'Where is Austin?', namespace: 'default' }));

      expect([first.body.cache, other.body.cache, again.body.cache]).toEqual(['miss', 'miss', 'exact']);
      expect(chosen.statusCode).toBe(400);
      expect(emulator.calls.converse).toBe(2);
    });

    it("lets an IAM caller invalidate and purge only in its own namespace (400 for another's, as a request naming it)", async () => {
      const alice = 'arn:aws:iam::111122223333:user/alice';
      const bob = 'arn:aws:iam::111122223333:user/bob';
      await answer(iamUrlEvent(alice, { prompt: 'Where is Tulsa?' }));
      const hit = await answer(iamUrlEvent(alice, { prompt: 'Where is Tulsa?' }));
      const entryId = hit.body.entryId as string;

      const byId = await answer(iamUrlEvent(bob, { action: 'invalidate', entryId }));
      const byRequest = await answer(iamUrlEvent(bob, { action: 'invalidate', prompt: 'Where is Tulsa?', namespace: iamNamespace(alice) }));
      const purge = await answer(iamUrlEvent(bob, { action: 'purge', namespace: iamNamespace(alice) }));
      const reject = await answer(iamUrlEvent(bob, { action: 'reject', entryId, prompt: 'Where is Tulsa, Oklahoma?' }));
      const still = await answer(iamUrlEvent(alice, { prompt: 'Where is Tulsa?' }));
      const own = await answer(iamUrlEvent(alice, { action: 'invalidate', entryId }));
      const gone = await answer(iamUrlEvent(alice, { prompt: 'Where is Tulsa?' }));

      expect(hit.body).toMatchObject({ cache: 'exact', entryId: expect.any(String) });
      for (const refused of [byId, byRequest, purge, reject]) {
        expect(refused.statusCode).toBe(400);
        expect(refused.body.error).toMatchObject({ code: 'InvalidRequest', message: expect.stringContaining("not the caller's namespace") });
      }
      expect(still.body.cache).toBe('exact');
      expect(own).toEqual({ statusCode: 200, body: { invalidated: 1 } });
      expect(gone.body.cache).toBe('miss');
    });

    it('puts an IAM caller\'s invalidate by request in its own namespace when the body names none', async () => {
      const carol = 'arn:aws:iam::111122223333:user/carol';
      await answer(iamUrlEvent(carol, { prompt: 'Where is Tacoma?' }));

      const result = await answer(iamUrlEvent(carol, { action: 'invalidate', prompt: 'Where is Tacoma?' }));

      expect(result).toEqual({ statusCode: 200, body: { invalidated: 1 } });
    });

    it("serves an operator's direct invoke in the namespace it names (operator input: only operators can invoke directly)", async () => {
      const stored = (await bound({ prompt: 'Where is Dallas?', namespace: 'tenant-direct' })) as unknown as Record<string, unknown>;
      const elsewhere = (await bound({ prompt: 'Where is Dallas?', namespace: 'tenant-other' })) as unknown as Record<string, unknown>;

      expect([stored.cache, elsewhere.cache]).toEqual(['miss', 'miss']);
      expect(emulator.calls.converse).toBe(2);
    });

    it('cannot tell a direct event shaped like a Function URL event from a real one, and it gains its sender nothing over a plain operator invoke', async () => {
      const alice = 'arn:aws:iam::111122223333:user/alice';
      await answer(iamUrlEvent(alice, { prompt: 'Where is Waco?' }));

      // What the reproduction sent: Invoke with a payload that imitates a URL event and names alice.
      const forged = await answer(iamUrlEvent(alice, { prompt: 'Where is Waco?' }));
      // What any direct invoker (an operator: tenants hold no unconditioned lambda:InvokeFunction) may send anyway.
      const plain = (await bound({ prompt: 'Where is Waco?', namespace: iamNamespace(alice) })) as unknown as Record<string, unknown>;

      expect([forged.body.cache, plain.cache]).toEqual(['exact', 'exact']);
      expect(emulator.calls.converse).toBe(1);
    });
  });

  describe('actions', () => {
    it('invalidates the entry a hit named, by direct invoke: the next ask calls the model', async () => {
      await handler({ prompt: 'Where is Fresno?', namespace: 'actions' });
      const hit = (await handler({ prompt: 'Where is Fresno?', namespace: 'actions' })) as unknown as Record<string, unknown>;

      const result = await handler({ action: 'invalidate', entryId: hit.entryId });
      const next = (await handler({ prompt: 'Where is Fresno?', namespace: 'actions' })) as unknown as Record<string, unknown>;

      expect(result).toEqual({ invalidated: 1 });
      expect(next.cache).toBe('miss');
      expect(emulator.calls.converse).toBe(2);
    });

    it('answers a Function URL action with status 200 and the result in the body', async () => {
      const result = (await handler(urlEvent({ action: 'invalidate', prompt: 'Never asked', namespace: 'actions' }))) as unknown as { statusCode: number; body: string };

      expect(result.statusCode).toBe(200);
      expect(JSON.parse(result.body)).toEqual({ invalidated: 0 });
    });

    it('refuses a malformed entryId with 400 InvalidRequest', async () => {
      const result = (await handler(urlEvent({ action: 'invalidate', entryId: 'not-an-id' }))) as unknown as { statusCode: number; body: string };

      expect(result.statusCode).toBe(400);
      expect(JSON.parse(result.body).error).toMatchObject({ code: 'InvalidRequest', message: expect.stringContaining('"entryId"') });
    });

    it('refuses a purge with 403 PurgeDisabled while CACHE_ALLOW_PURGE is not true, and removes nothing', async () => {
      await handler({ prompt: 'Where is Modesto?', namespace: 'kept' });

      const result = (await handler(urlEvent({ action: 'purge', namespace: 'kept' }))) as unknown as { statusCode: number; body: string };
      const after = (await handler({ prompt: 'Where is Modesto?', namespace: 'kept' })) as unknown as Record<string, unknown>;

      expect(result.statusCode).toBe(403);
      expect(JSON.parse(result.body).error).toMatchObject({ code: 'PurgeDisabled', message: expect.stringContaining('CACHE_ALLOW_PURGE') });
      expect(after.cache).toBe('exact');
    });

    it('purges a namespace with CACHE_ALLOW_PURGE=true', async () => {
      let allowed: Handler | undefined;
      process.env.CACHE_ALLOW_PURGE = 'true';
      try {
        await jest.isolateModulesAsync(async () => {
          ({ handler: allowed } = await import('../../lambda/handler'));
        });
      } finally {
        delete process.env.CACHE_ALLOW_PURGE;
      }
      await allowed!({ prompt: 'Where is Merced?', namespace: 'purged' });
      await allowed!({ prompt: 'Where is Visalia?', namespace: 'purged' });

      const result = await allowed!({ action: 'purge', namespace: 'purged' }, { awsRequestId: 'r-1', getRemainingTimeInMillis: () => 30_000 } as never);
      const after = (await allowed!({ prompt: 'Where is Merced?', namespace: 'purged' })) as unknown as Record<string, unknown>;

      expect(result).toEqual({ purged: 2 });
      expect(after.cache).toBe('miss');
    });
  });

  it('bypasses the cache in mode off', async () => {
    await handler({ prompt: 'Where is Ely?', namespace: 'off' });

    const result = (await handler({ prompt: 'Where is Ely?', namespace: 'off', mode: 'off' })) as unknown as Record<string, unknown>;

    expect(result.cache).toBe('bypass');
    expect(emulator.calls.converse).toBe(2);
  });
});
