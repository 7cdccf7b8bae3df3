/** Forwards a model's stream to the caller as it arrives, and accumulates the whole answer. */
import { modelErrorFromDetail } from '../bedrock/caller-message';
import type { ConverseRequest, ModelAnswer } from '../core/types';
import { startEvent } from './stream-events';
import type { StreamSink, StreamingChatModel } from './stream-types';

/**
 * Calls the streaming model for `request`, writes `start` (with `cache`) when the first chunk
 * arrives and each delta as it arrives, and resolves with the accumulated answer once the stream
 * ended with its stop reason. A stream that fails or ends without one rejects: nothing of it is stored.
 * `start` is written lazily so an error before any text (throttling, access denied) is the
 * caller's first event and can still set the HTTP status.
 */
export async function pumpModelStream(model: StreamingChatModel, request: ConverseRequest, sink: StreamSink, cache: 'miss' | 'bypass' | 'refresh'): Promise<ModelAnswer> {
  const parts: string[] = [];
  let started = false;
  for await (const chunk of model.converseStream(request)) {
    if (!started) {
      started = true;
      await sink.write(startEvent({ cache, modelId: request.modelId }));
    }
    if (chunk.type === 'delta') {
      parts.push(chunk.text);
      await sink.write({ type: 'delta', text: chunk.text });
    } else {
      return { text: parts.join(''), stopReason: chunk.stopReason, usage: chunk.usage, modelId: request.modelId, latencyMs: chunk.latencyMs };
    }
  }
  throw modelErrorFromDetail(`ConverseStream ${request.modelId} ended without its end chunk`, true);
}
