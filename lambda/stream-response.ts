/**
 * A typed shim over the `awslambda` global that Lambda's Node.js runtime provides to response
 * streaming functions (Lambda developer guide, "Writing response streaming-enabled Lambda
 * functions"): `awslambda.streamifyResponse(handler)` marks the handler as streaming, and
 * `awslambda.HttpResponseStream.from(stream, { statusCode, headers })` sends a Function URL's
 * status and headers before the body. The global has no package and no types; outside Lambda
 * (tests, local runs) it is absent and the handler is used as it is.
 */
import type { Context } from 'aws-lambda';
import { ResponseClosedError } from './core/errors';

/**
 * The writable stream the runtime passes to a streaming handler (a Node.js Writable). Only `write`
 * and `end` are required (a test may pass less); the rest, when present, let a write wait for
 * `drain` and notice a stream the caller's departure destroyed.
 */
export interface ResponseStream {
  write(chunk: string): boolean;
  end(): void;
  once?(event: 'drain' | 'close' | 'error', listener: () => void): unknown;
  on?(event: 'error', listener: () => void): unknown;
  removeListener?(event: 'drain' | 'close' | 'error', listener: () => void): unknown;
  listenerCount?(event: 'error'): number;
  readonly destroyed?: boolean;
  readonly writableEnded?: boolean;
  readonly errored?: unknown;
}

export interface HttpResponseMetadata {
  readonly statusCode: number;
  readonly headers?: Readonly<Record<string, string>>;
}

/** What a streaming handler needs from the platform: how to attach HTTP status and headers. */
export interface StreamPlatform {
  httpResponseStream(stream: ResponseStream, metadata: HttpResponseMetadata): ResponseStream;
}

export type StreamingHandler = (event: unknown, responseStream: ResponseStream, context?: Context) => Promise<void>;

interface AwsLambdaGlobal {
  streamifyResponse(handler: StreamingHandler): StreamingHandler;
  HttpResponseStream: { from(stream: ResponseStream, metadata: HttpResponseMetadata): ResponseStream };
}

function awslambda(): AwsLambdaGlobal | undefined {
  const value = (globalThis as unknown as { awslambda?: AwsLambdaGlobal }).awslambda;
  return typeof value?.streamifyResponse === 'function' ? value : undefined;
}

/** The Lambda runtime's platform; outside Lambda, metadata is dropped and the body written as is. */
export function lambdaPlatform(): StreamPlatform {
  return { httpResponseStream: (stream, metadata) => awslambda()?.HttpResponseStream.from(stream, metadata) ?? stream };
}

/** `awslambda.streamifyResponse(handler)` in Lambda; the handler itself elsewhere. */
export function streamify(handler: StreamingHandler): StreamingHandler {
  return awslambda()?.streamifyResponse(handler) ?? handler;
}

/**
 * Writes one chunk and waits for `drain` when the stream's buffer is full (back-pressure). Rejects,
 * at once, when the stream can take no more: already destroyed, ended or errored, or closed or
 * failed while the write waited for `drain` (a destroyed Writable never drains). The caller (a
 * `GuardedSink`) then drops later events and the model's answer is still read to its end and stored.
 *
 * A stream with no `error` listener gets a no-op one: Node throws an unhandled `error` event, which
 * would end the container; the stream's state (`errored`, `destroyed`) tells the next write instead.
 */
export async function writeChunk(stream: ResponseStream, chunk: string): Promise<void> {
  if (stream.listenerCount?.('error') === 0) stream.on?.('error', ignore);
  if (isClosed(stream)) throw new ResponseClosedError();
  if (stream.write(chunk) || stream.once === undefined) return;
  if (isClosed(stream)) throw new ResponseClosedError();
  await new Promise<void>((resolve, reject) => {
    const settle = (closed: boolean) => (): void => {
      stream.removeListener?.('drain', drained);
      stream.removeListener?.('close', gone);
      stream.removeListener?.('error', gone);
      if (closed) reject(new ResponseClosedError());
      else resolve();
    };
    const drained = settle(false);
    const gone = settle(true);
    stream.once!('drain', drained);
    stream.once!('close', gone);
    stream.once!('error', gone);
  });
}

function isClosed(stream: ResponseStream): boolean {
  return stream.destroyed === true || stream.writableEnded === true || (stream.errored !== undefined && stream.errored !== null);
}

function ignore(): void {
  // the stream's state says it failed; see writeChunk
}
