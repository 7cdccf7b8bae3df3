import { Writable } from 'node:stream';
import { ResponseClosedError } from '../../../lambda/core/errors';
import { writeChunk } from '../../../lambda/stream-response';

/** A real Node Writable whose consumer never reads (a stalled caller): its buffer fills after `highWaterMark` bytes. */
function stalled(highWaterMark = 8): Writable {
  return new Writable({ highWaterMark, write: () => undefined });
}

/** A real Node Writable whose consumer reads on demand: `release()` lets the buffered chunk through. */
function slow(highWaterMark = 8): { stream: Writable; release: () => void } {
  let pending: (() => void) | undefined;
  const stream = new Writable({ highWaterMark, write: (_chunk, _encoding, callback) => (pending = () => callback()) });
  return { stream, release: () => pending?.() };
}

describe('writeChunk', () => {
  it('resolves at once while the stream takes the chunk', async () => {
    const chunks: string[] = [];
    const stream = new Writable({ write: (chunk: Buffer, _encoding, callback) => (chunks.push(chunk.toString()), callback()) });

    await writeChunk(stream, 'hello\n');

    expect(chunks).toEqual(['hello\n']);
  });

  it('waits for drain when the buffer is full, then resolves', async () => {
    const { stream, release } = slow();
    let settled = false;

    const writing = writeChunk(stream, 'a chunk longer than the buffer\n').then(() => (settled = true));
    await new Promise((resolve) => setImmediate(resolve));
    const settledBeforeDrain = settled;
    release();
    await writing;

    expect(settledBeforeDrain).toBe(false);
    expect(settled).toBe(true);
  });

  it('rejects when the stream is destroyed while the write waits for drain (a destroyed Writable never drains)', async () => {
    const stream = stalled();

    const writing = writeChunk(stream, 'a chunk longer than the buffer\n');
    stream.destroy();

    await expect(writing).rejects.toBeInstanceOf(ResponseClosedError);
  });

  it('rejects when the stream fails while the write waits, and the error does not escape as an unhandled event', async () => {
    const stream = stalled();

    const writing = writeChunk(stream, 'a chunk longer than the buffer\n');
    stream.destroy(new Error('ECONNRESET: the caller went away'));

    await expect(writing).rejects.toBeInstanceOf(ResponseClosedError);
  });

  it('rejects at once on a stream already destroyed, ended or errored', async () => {
    const destroyed = stalled();
    destroyed.destroy();
    const ended = stalled();
    ended.end();
    const failing = new Writable({ write: (_chunk, _encoding, callback) => callback(new Error('EPIPE')) });
    await expect(writeChunk(failing, 'first\n')).rejects.toBeInstanceOf(ResponseClosedError); // its write failed
    await new Promise((resolve) => setImmediate(resolve));
    expect(failing.errored).toBeInstanceOf(Error);

    await expect(writeChunk(destroyed, 'x\n')).rejects.toBeInstanceOf(ResponseClosedError);
    await expect(writeChunk(ended, 'x\n')).rejects.toBeInstanceOf(ResponseClosedError);
    await expect(writeChunk(failing, 'x\n')).rejects.toBeInstanceOf(ResponseClosedError);
  });

  it('leaves no listeners behind after many writes that waited for drain', async () => {
    const { stream, release } = slow(4);

    for (let i = 0; i < 20; i += 1) {
      const writing = writeChunk(stream, `chunk ${i}\n`);
      release();
      await writing;
    }

    expect(stream.listenerCount('drain')).toBe(0);
    expect(stream.listenerCount('close')).toBe(0);
    expect(stream.listenerCount('error')).toBe(1); // the one no-op listener that keeps a late failure from crashing the process
  });

  it('still writes to a minimal stream with only write and end (no events)', async () => {
    const chunks: string[] = [];

    await writeChunk({ write: (chunk) => (chunks.push(chunk), false), end: () => undefined }, 'x\n');

    expect(chunks).toEqual(['x\n']);
  });
});
