/**
 * A caller that goes away mid-stream, with real Node Writables as the response stream: one the
 * caller's departure destroys while a write waits for `drain` (a destroyed Writable never drains),
 * and one whose write fails. The request must end when the model's stream ends (not hang until the
 * function times out), the answer must be stored, and an identical request waiting on it in the
 * same container must get it.
 */
import { Writable } from 'node:stream';
import type { StreamingHandler } from '../../../lambda/stream-response';
import { startBedrockEmulator, type BedrockEmulator } from '../../../tools/bedrock-emulator/server';
import { urlEvent } from '../../support/function-url';

type Module = typeof import('../../../lambda/stream-handler');

/** Collects what a healthy caller receives. */
function recorder(): { stream: Writable; events: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const stream = new Writable({ write: (chunk: Buffer, _encoding, callback) => (chunks.push(chunk.toString()), callback()) });
  return { stream, events: () => chunks.join('').trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>) };
}

/** Resolves once `check` holds, polling every 5 ms. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('stream handler: a caller that goes away mid-stream', () => {
  let emulator: BedrockEmulator;
  let handler: StreamingHandler;
  const saved = { ...process.env };
  let namespace = 0;
  const ask = (prompt: string): unknown => urlEvent({ prompt, namespace: `gone-${namespace}`, mode: 'standard' });

  beforeAll(async () => {
    emulator = await startBedrockEmulator();
    Object.assign(process.env, { CACHE_BACKEND: 'memory', BEDROCK_ENDPOINT: emulator.url, AWS_REGION: 'us-east-1', AWS_MAX_ATTEMPTS: '1' });
    const mod: Module = await import('../../../lambda/stream-handler');
    handler = mod.createStreamHandler({ platform: { httpResponseStream: (stream) => stream } });
  });

  afterAll(async () => {
    process.env = saved;
    await emulator.close();
  });

  beforeEach(() => {
    namespace += 1;
    emulator.reset();
    emulator.chunkDelayMs = 20;
  });

  it('ends the request when the model stream ends after its stream is destroyed mid-write, stores the answer, and serves the waiter', async () => {
    // A caller that never reads: the first event fills its 8-byte buffer and the next write waits for `drain`.
    const gone = new Writable({ highWaterMark: 8, write: () => undefined });
    const leading = handler(ask('Where is Las Vegas?'), gone);
    await until(() => gone.writableLength > 0);
    const waiter = recorder();
    const waiting = handler(ask('Where is Las Vegas?'), waiter.stream);
    gone.destroy();
    const destroyedAt = performance.now();

    await leading;
    const leaderMs = performance.now() - destroyedAt;
    await waiting;
    const repeat = recorder();
    await handler(ask('Where is Las Vegas?'), repeat.stream);

    process.stdout.write(`destroyed stream: the request ended ${leaderMs.toFixed(0)} ms after the destroy (the model stream's rest); ${emulator.calls.converseStream} model call(s)\n`);
    expect(waiter.events()[0]).toMatchObject({ type: 'start', cache: 'exact' });
    expect(waiter.events().at(-1)).toMatchObject({ type: 'end', coalesced: true });
    expect(repeat.events()[0]).toMatchObject({ type: 'start', cache: 'exact' });
    expect(repeat.events().find((event) => event.type === 'delta')?.text).toContain('Las Vegas');
    expect(emulator.calls.converseStream).toBe(1);
    expect(leaderMs).toBeLessThan(5000); // the rest of the model's stream (a few chunks of 20 ms), not a hang
  });

  it('ends the request, stores the answer and serves the waiter when the stream fails (the write errors)', async () => {
    let writes = 0;
    const failing = new Writable({
      write: (_chunk, _encoding, callback) => {
        writes += 1;
        callback(writes > 2 ? new Error('ECONNRESET: the caller went away') : null);
      },
    });
    const leading = handler(ask('Where is Reno?'), failing);
    await until(() => writes >= 1);
    const waiter = recorder();
    const waiting = handler(ask('Where is Reno?'), waiter.stream);

    await Promise.all([leading, waiting]);
    const repeat = recorder();
    await handler(ask('Where is Reno?'), repeat.stream);

    expect(failing.errored).toBeInstanceOf(Error);
    expect(waiter.events().at(-1)).toMatchObject({ type: 'end', coalesced: true });
    expect(repeat.events()[0]).toMatchObject({ type: 'start', cache: 'exact' });
    expect(emulator.calls.converseStream).toBe(1);
  });

  it('stores the answer for a stream destroyed before the first event', async () => {
    const gone = new Writable({ write: (_chunk, _encoding, callback) => callback() });
    gone.destroy();

    await handler(ask('Where is Boise?'), gone);
    const repeat = recorder();
    await handler(ask('Where is Boise?'), repeat.stream);

    expect(repeat.events()[0]).toMatchObject({ type: 'start', cache: 'exact' });
    expect(emulator.calls.converseStream).toBe(1);
  });
});
