/**
 * Lambda entry point for streamed answers: a Function URL in RESPONSE_STREAM mode (payload 2.0,
 * body = the same request JSON as `handler.ts`), or InvokeWithResponseStream with the request as
 * the event. The body is newline-delimited JSON events (README "Streaming"). For an HTTP event the
 * HTTP status is chosen at the first event: 200 when the answer starts, the error's status (400 for
 * bad input) when the first event is an error. A direct InvokeWithResponseStream caller gets the
 * NDJSON alone: the status-and-headers prelude of `HttpResponseStream.from` is read by the Function
 * URL, and no AWS page says Lambda removes it for an API caller (docs/aws-facts.md, "Streaming").
 * Only parses and formats; the work is in `LlmCache.stream`.
 */
import type { Context } from 'aws-lambda';
import { lazyStreamingChatModel } from './bedrock/lazy';
import { errorEvent } from './cache/stream-events';
import { encodeEvent, STREAM_CONTENT_TYPE, type StreamSink, type StreamingChatModel } from './cache/stream-types';
import { toLlmCacheError } from './core/errors';
import { isHttpEvent, statusOf } from './events';
import { initContainer, reportRequestError, requestOf } from './invocation';
import { getRuntime, type Runtime } from './runtime';
import { lambdaPlatform, streamify, writeChunk, type ResponseStream, type StreamPlatform, type StreamingHandler } from './stream-response';

export interface StreamHandlerOptions {
  readonly platform: StreamPlatform;
  /** The streaming model; default: ConverseStream through the container's Bedrock client, loaded on first use. */
  readonly model?: (runtime: Runtime) => StreamingChatModel;
}

let containerModel: StreamingChatModel | undefined;

function defaultModel(runtime: Runtime): StreamingChatModel {
  containerModel ??= lazyStreamingChatModel(runtime.config);
  return containerModel;
}

/** Builds the streaming handler over a platform (the Lambda runtime's, or a test's). */
export function createStreamHandler(options: StreamHandlerOptions): StreamingHandler {
  const modelOf = options.model ?? defaultModel;
  return async (event: unknown, responseStream: ResponseStream, context?: Context): Promise<void> => {
    let body: ResponseStream | undefined;
    const http = isHttpEvent(event);
    // The status is chosen at the first event (an error's status when the stream starts with one);
    // only an HTTP caller gets it, as the prelude its front door reads.
    const open = (statusCode: number): ResponseStream => {
      body ??= http ? options.platform.httpResponseStream(responseStream, { statusCode, headers: { 'content-type': STREAM_CONTENT_TYPE } }) : responseStream;
      return body;
    };
    const sink: StreamSink = { write: (streamEvent) => writeChunk(open(streamEvent.type === 'error' ? statusOf(streamEvent.error.code) : 200), encodeEvent(streamEvent)) };
    let runtime: Runtime | undefined;
    try {
      runtime = getRuntime();
      const request = requestOf(runtime, event, context);
      const result = await runtime.cache.stream(request, sink, modelOf(runtime));
      if ('error' in result) reportRequestError(runtime, result.error);
    } catch (caught) {
      const error = toLlmCacheError(caught);
      reportRequestError(runtime, error);
      await sink.write(errorEvent(error));
    } finally {
      open(200).end();
      runtime?.flushMetrics();
    }
  };
}

initContainer();

export const handler: StreamingHandler = streamify(createStreamHandler({ platform: lambdaPlatform() }));
