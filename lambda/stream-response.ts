/**
 * A typed shim over the `awslambda` global that Lambda's Node.js runtime provides to response
 * streaming functions (Lambda developer guide, "Writing response streaming-enabled Lambda
 * functions"): `awslambda.streamifyResponse(handler)` marks the handler as streaming, and
 * `awslambda.HttpResponseStream.from(stream, { statusCode, headers })` sends a Function URL's
 * status and headers before the body. The global has no package and no types; outside Lambda
 * (tests, local runs) it is absent and the handler is used as it is.
 */
import type { Context } from 'aws-lambda';

/** The writable stream the runtime passes to a streaming handler (a Node.js Writable). */
export interface ResponseStream {
  write(chunk: string): boolean;
  end(): void;
  once?(event: 'drain', listener: () => void): unknown;
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

/** Writes one chunk and waits for `drain` when the stream's buffer is full (back-pressure). */
export async function writeChunk(stream: ResponseStream, chunk: string): Promise<void> {
  if (stream.write(chunk) || stream.once === undefined) return;
  await new Promise<void>((resolve) => stream.once!('drain', resolve));
}
