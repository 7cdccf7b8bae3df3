/** Builds the caller's stream events from the cache's results, and guards the sink they go to. */
import { callerErrorDetail, type LlmCacheError } from '../core/errors';
import type { CacheResponse } from '../core/types';
import type { EndEvent, ErrorEvent, StartEvent, StreamEvent, StreamSink } from './stream-types';

/** The `start` event: where the answer comes from (`cache`, with `similarity` on a semantic hit, `entryId` on a hit) and its model. */
export function startEvent(response: Pick<CacheResponse, 'cache' | 'modelId' | 'similarity' | 'entryId'>): StartEvent {
  return {
    type: 'start',
    cache: response.cache,
    modelId: response.modelId,
    ...(response.similarity !== undefined ? { similarity: response.similarity } : {}),
    ...(response.entryId !== undefined ? { entryId: response.entryId } : {}),
  };
}

/** The `end` event carries the rest of the response: what `start` and the deltas (the text) did not. */
export function endEvent(response: CacheResponse): EndEvent {
  return {
    type: 'end',
    stopReason: response.stopReason ?? 'unknown',
    usage: response.usage,
    ...(response.savedUsage ? { savedUsage: response.savedUsage } : {}),
    latencyMs: response.latencyMs,
    ...(response.coalesced ? { coalesced: true } : {}),
    ...(response.cacheSkipped ? { cacheSkipped: response.cacheSkipped } : {}),
    ...(response.semantic ? { semantic: response.semantic } : {}),
    ...(response.semanticReason ? { semanticReason: response.semanticReason } : {}),
    ...(response.semanticRejected ? { semanticRejected: response.semanticRejected } : {}),
  };
}

/** A whole answer from the cache, sent at once: start, one delta with the stored text, end. */
export function replayEvents(response: CacheResponse): StreamEvent[] {
  return [startEvent(response), { type: 'delta', text: response.text }, endEvent(response)];
}

/** The JSON response's error contract as an event; an internal error's text never leaves the function. */
export function errorEvent(error: LlmCacheError): ErrorEvent {
  return { type: 'error', error: callerErrorDetail(error) };
}

/**
 * The caller's sink, made safe: a write never throws. Once one failed (the caller went away),
 * later events are dropped, so the model stream is still read to its end, a complete answer is
 * still stored, and identical requests waiting on it are still served.
 */
export class GuardedSink implements StreamSink {
  private broken = false;
  constructor(private readonly sink: StreamSink) {}

  async write(event: StreamEvent): Promise<void> {
    if (this.broken) return;
    try {
      await this.sink.write(event);
    } catch {
      this.broken = true;
    }
  }
}
