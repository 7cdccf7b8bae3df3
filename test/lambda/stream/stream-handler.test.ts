import type { HttpResponseMetadata, ResponseStream, StreamingHandler } from '../../../lambda/stream-response';
import { CUT_AFTER_DELTAS } from '../../../tools/bedrock-emulator/converse-stream';
import { startBedrockEmulator, type BedrockEmulator } from '../../../tools/bedrock-emulator/server';
import { iamNamespace } from '../../../lambda/caller-namespace';
import { iamUrlEvent, urlEvent } from '../../support/function-url';

type Module = typeof import('../../../lambda/stream-handler');

/** A response stream that records the metadata it was opened with (each prelude) and every chunk written. */
class RecordingStream implements ResponseStream {
  metadata: HttpResponseMetadata | undefined;
  preludes: HttpResponseMetadata[] = [];
  chunks: string[] = [];
  ended = false;
  write(chunk: string): boolean {
    if (this.ended) throw new Error('write after end');
    this.chunks.push(chunk);
    return true;
  }
  end(): void {
    this.ended = true;
  }
  events(): Array<Record<string, unknown>> {
    return this.chunks.join('').trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

describe('stream handler (Function URL, response streaming)', () => {
  let emulator: BedrockEmulator;
  let mod: Module;
  let handler: StreamingHandler;
  const saved = { ...process.env };

  beforeAll(async () => {
    emulator = await startBedrockEmulator();
    Object.assign(process.env, { CACHE_BACKEND: 'memory', BEDROCK_ENDPOINT: emulator.url, AWS_REGION: 'us-east-1', AWS_MAX_ATTEMPTS: '1' });
    mod = await import('../../../lambda/stream-handler');
    handler = mod.createStreamHandler({
      platform: {
        httpResponseStream: (stream, metadata) => {
          (stream as RecordingStream).metadata = metadata;
          (stream as RecordingStream).preludes.push(metadata);
          return stream;
        },
      },
    });
  });

  afterAll(async () => {
    process.env = saved;
    await emulator.close();
  });

  beforeEach(() => emulator.reset());

  it('streams a miss as NDJSON with status 200, then replays it as an exact hit', async () => {
    const first = new RecordingStream();
    await handler(urlEvent({ prompt: 'Where is Las Vegas?', namespace: 'stream-handler' }), first);
    expect(first.metadata).toEqual({ statusCode: 200, headers: { 'content-type': 'application/x-ndjson' } });
    expect(first.ended).toBe(true);
    const events = first.events();
    expect(events[0]).toMatchObject({ type: 'start', cache: 'miss' });
    expect(events.at(-1)).toMatchObject({ type: 'end', stopReason: 'end_turn' });
    expect(events.filter((event) => event.type === 'delta').length).toBeGreaterThan(2);

    const second = new RecordingStream();
    await handler(urlEvent({ prompt: 'Where is Las Vegas?', namespace: 'stream-handler' }), second);
    expect(second.events().map((event) => [event.type, event.cache])).toEqual([
      ['start', 'exact'],
      ['delta', undefined],
      ['end', undefined],
    ]);
    expect(emulator.calls.converseStream).toBe(1);
  });

  it('answers bad input with HTTP 400 and one error event', async () => {
    const stream = new RecordingStream();
    await handler(urlEvent('{"prompt": 42}'), stream);
    expect(stream.metadata?.statusCode).toBe(400);
    expect(stream.events()).toEqual([{ type: 'error', error: { code: 'InvalidRequest', message: expect.any(String) } }]);
    expect(stream.ended).toBe(true);
  });

  it('answers temperature and topP together with HTTP 400 InvalidRequest, before any ConverseStream call', async () => {
    const stream = new RecordingStream();
    await handler(urlEvent({ prompt: 'Where is Las Vegas?', temperature: 0, topP: 1 }), stream);
    expect(stream.metadata?.statusCode).toBe(400);
    expect(stream.events()).toEqual([{ type: 'error', error: { code: 'InvalidRequest', message: expect.stringContaining('not both') } }]);
    expect(emulator.calls.converseStream).toBe(0);
  });

  it('answers a body that is not JSON with HTTP 400', async () => {
    const stream = new RecordingStream();
    await handler(urlEvent('not json'), stream);
    expect(stream.metadata?.statusCode).toBe(400);
    expect(stream.events()[0]).toMatchObject({ type: 'error', error: { code: 'InvalidRequest' } });
  });

  it('gives a model refusal its status (429 for throttling) before any text', async () => {
    const stream = new RecordingStream();
    await handler(urlEvent({ prompt: 'busy [[error:ThrottlingException]]' }), stream);
    expect(stream.metadata?.statusCode).toBe(429);
    expect(stream.events()).toEqual([{ type: 'error', error: { code: 'ModelThrottled', message: expect.any(String), retryable: true } }]);
  });

  it('ends a stream cut mid-way with an error event after the deltas (status already 200)', async () => {
    const stream = new RecordingStream();
    await handler(urlEvent({ prompt: 'cut [[cut]]', namespace: 'stream-handler' }), stream);
    expect(stream.metadata?.statusCode).toBe(200);
    expect(stream.events().map((event) => event.type)).toEqual(['start', ...Array<string>(CUT_AFTER_DELTAS).fill('delta'), 'error']);
  });

  it('accepts a direct InvokeWithResponseStream payload (the request as the event)', async () => {
    const stream = new RecordingStream();
    await handler({ prompt: 'Where is Reno?', namespace: 'stream-handler' }, stream);
    expect(stream.events()[0]).toMatchObject({ type: 'start', cache: 'miss' });
  });

  it('writes the HTTP prelude for a Function URL event only: a direct InvokeWithResponseStream caller gets plain NDJSON', async () => {
    const url = new RecordingStream();
    const direct = new RecordingStream();

    await handler(urlEvent({ prompt: 'Where is Elko?', namespace: 'prelude' }), url);
    await handler({ prompt: 'Where is Elko?', namespace: 'prelude' }, direct);

    expect(url.preludes).toEqual([{ statusCode: 200, headers: { 'content-type': 'application/x-ndjson' } }]);
    expect(direct.preludes).toEqual([]);
    expect(direct.chunks[0]!.startsWith('{"type":"start"')).toBe(true);
    expect(direct.events().map((event) => event.type)).toEqual(['start', 'delta', 'end']);
    expect(direct.ended).toBe(true);
  });

  it("answers a direct caller's bad input with the error event alone, no prelude", async () => {
    const direct = new RecordingStream();

    await handler({ prompt: 42 }, direct);

    expect(direct.preludes).toEqual([]);
    expect(direct.events()).toEqual([{ type: 'error', error: { code: 'InvalidRequest', message: expect.any(String) } }]);
    expect(direct.ended).toBe(true);
  });

  it('refuses an action with one InvalidRequest event saying where actions go', async () => {
    const stream = new RecordingStream();

    await handler(urlEvent({ action: 'invalidate', prompt: 'Where is Las Vegas?', namespace: 'stream-handler' }), stream);

    expect(stream.metadata?.statusCode).toBe(400);
    expect(stream.events()).toEqual([{ type: 'error', error: { code: 'InvalidRequest', message: expect.stringContaining('non-streaming Function URL') } }]);
  });

  it('the exported handler runs without the awslambda global (local runs)', async () => {
    const stream = new RecordingStream();
    await mod.handler({ prompt: 'Where is Reno?', namespace: 'stream-handler' }, stream);
    expect(stream.events()[0]).toMatchObject({ type: 'start', cache: 'exact' });
  });

  describe('with NAMESPACE_FROM=iam-principal', () => {
    let bound: StreamingHandler;
    const alice = 'arn:aws:iam::111122223333:user/alice';
    const bob = 'arn:aws:sts::111122223333:assumed-role/TenantB/session-1';
    const send = async (event: unknown): Promise<RecordingStream> => {
      const stream = new RecordingStream();
      await bound(event, stream);
      return stream;
    };
    const cacheOf = (stream: RecordingStream): unknown => stream.events()[0]?.cache;

    beforeAll(async () => {
      process.env.NAMESPACE_FROM = 'iam-principal';
      try {
        await jest.isolateModulesAsync(async () => {
          const isolated = await import('../../../lambda/stream-handler');
          bound = isolated.createStreamHandler({ platform: { httpResponseStream: (stream, metadata) => Object.assign(stream, { metadata }) } });
        });
      } finally {
        delete process.env.NAMESPACE_FROM;
      }
    });

    it('refuses a Function URL event without an IAM caller: 403 and one Unauthorized event, no model call', async () => {
      const stream = await send(iamUrlEvent(undefined, { prompt: 'Where is Provo?' }));

      expect(stream.metadata?.statusCode).toBe(403);
      expect(stream.events()).toEqual([{ type: 'error', error: { code: 'Unauthorized', message: expect.any(String) } }]);
      expect(emulator.calls.converseStream).toBe(0);
    });

    it("keeps each IAM caller's answers to that caller, and refuses a body namespace that is not the caller's with 400", async () => {
      const first = await send(iamUrlEvent(alice, { prompt: 'Where is Provo?' }));
      const other = await send(iamUrlEvent(bob, { prompt: 'Where is Provo?' }));
      const again = await send(iamUrlEvent(alice, { prompt: 'Where is Provo?' }));
      const chosen = await send(iamUrlEvent(bob, { prompt: 'Where is Provo?', namespace: iamNamespace(alice) }));

      expect([first, other, again].map(cacheOf)).toEqual(['miss', 'miss', 'exact']);
      expect(chosen.metadata?.statusCode).toBe(400);
      expect(chosen.events()).toEqual([{ type: 'error', error: { code: 'InvalidRequest', message: expect.stringContaining("is not the caller's namespace") } }]);
      expect(emulator.calls.converseStream).toBe(2);
    });

    it("refuses every action, its caller's own or another namespace's: 400 InvalidRequest, nothing removed", async () => {
      await send(iamUrlEvent(alice, { prompt: 'Where is Orem?' }));
      const hit = await send(iamUrlEvent(alice, { prompt: 'Where is Orem?' }));
      const entryId = hit.events()[0]?.entryId;

      const own = await send(iamUrlEvent(alice, { action: 'invalidate', entryId }));
      const other = await send(iamUrlEvent(bob, { action: 'purge', namespace: iamNamespace(alice) }));
      const still = await send(iamUrlEvent(alice, { prompt: 'Where is Orem?' }));

      expect(entryId).toEqual(expect.stringMatching(/^e1\./));
      for (const refused of [own, other]) {
        expect(refused.metadata?.statusCode).toBe(400);
        expect(refused.events()).toEqual([{ type: 'error', error: { code: 'InvalidRequest', message: expect.any(String) } }]);
      }
      expect(cacheOf(still)).toBe('exact');
    });

    it("serves an operator's direct InvokeWithResponseStream in the namespace it names (operator input), with no prelude", async () => {
      const stored = await send({ prompt: 'Where is Ogden?', namespace: 'operator-a' });
      const elsewhere = await send({ prompt: 'Where is Ogden?', namespace: 'operator-b' });

      expect([stored, elsewhere].map(cacheOf)).toEqual(['miss', 'miss']);
      expect(stored.metadata).toBeUndefined();
    });

    it('cannot tell a direct event shaped like a Function URL event from a real one, and it gains its sender nothing over a plain operator invoke', async () => {
      await send(iamUrlEvent(alice, { prompt: 'Where is Moab?' }));

      // What the reproduction sent: InvokeWithResponseStream with a payload that imitates a URL event and names alice.
      const forged = await send(iamUrlEvent(alice, { prompt: 'Where is Moab?' }));
      // What any direct invoker (an operator: tenants hold no unconditioned lambda:InvokeFunction) may send anyway.
      const plain = await send({ prompt: 'Where is Moab?', namespace: iamNamespace(alice) });

      expect([forged, plain].map(cacheOf)).toEqual(['exact', 'exact']);
      expect(emulator.calls.converseStream).toBe(1);
    });
  });
});
