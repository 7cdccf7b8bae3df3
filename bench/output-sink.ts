import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * Where the handler row's stdout goes: `/dev/null`, written synchronously, so every log line and
 * EMF document is still serialized and handed to the kernel as in a Lambda container (where
 * stdout is a pipe to the runtime), but nothing reaches the terminal.
 *
 * Powertools' Logger and Metrics write through their own `Console` over `process.stdout`, and a
 * `Console` looks up `stream.write` on each call, so swapping that one method for the duration of
 * a timed block redirects them without touching `lambda/`. Every write is counted, which proves
 * the row really logged (a row whose output went elsewhere would show zero writes).
 */
export class OutputSink {
  /** `process.stdout.write` calls taken while redirected. */
  writes = 0;
  bytes = 0;
  /** The first writes, kept as text while `capture` is on (to check what the handler wrote). */
  readonly captured: string[] = [];
  capture = false;
  private fd: number | undefined;
  private saved: typeof process.stdout.write | undefined;

  /** Redirects `process.stdout` into the sink until `end()`. */
  begin(): void {
    if (this.saved !== undefined) return;
    this.fd ??= openSync('/dev/null', 'w');
    const fd = this.fd;
    this.saved = process.stdout.write;
    const write = (chunk: string | Uint8Array, encoding?: BufferEncoding | ((error?: Error | null) => void), callback?: (error?: Error | null) => void): boolean => {
      const done = typeof encoding === 'function' ? encoding : callback;
      const written = typeof chunk === 'string' ? writeSync(fd, chunk, null, typeof encoding === 'string' ? encoding : 'utf8') : writeSync(fd, chunk);
      this.writes += 1;
      this.bytes += written;
      if (this.capture) this.captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      // Console passes an error handler that treats anything but `null` as an error.
      done?.(null);
      return true;
    };
    process.stdout.write = write as typeof process.stdout.write;
  }

  /** Restores the real `process.stdout.write`. */
  end(): void {
    if (this.saved === undefined) return;
    process.stdout.write = this.saved;
    this.saved = undefined;
  }

  close(): void {
    this.end();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
