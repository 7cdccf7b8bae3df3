/**
 * The streaming path's shapes: what a streaming model yields, and the events a caller receives
 * (newline-delimited JSON, one object per line; README "Streaming").
 */
import type { ErrorDetail } from '../core/errors';
import type { CacheOutcome, ConverseRequest, SemanticUnavailableReason, TokenUsage } from '../core/types';
import type { SemanticRejection } from '../semantic/same-question/candidate-check';

/** One piece of a model's streamed answer: text as it arrives, then exactly one `end`. */
export type ModelStreamChunk =
  | { readonly type: 'delta'; readonly text: string }
  | { readonly type: 'end'; readonly stopReason: string; readonly usage: TokenUsage; readonly latencyMs: number };

/**
 * A chat model behind ConverseStream. The iterator throws (a `ModelError`) when the stream breaks;
 * a stream that ends without its `end` chunk is broken too.
 */
export interface StreamingChatModel {
  converseStream(request: ConverseRequest): AsyncIterable<ModelStreamChunk>;
}

/** First event: where the answer comes from. */
export interface StartEvent {
  readonly type: 'start';
  readonly cache: CacheOutcome;
  readonly modelId: string;
  readonly similarity?: number;
  /** On a hit: the entry that answered (`CacheResponse.entryId`). */
  readonly entryId?: string;
}

export interface DeltaEvent {
  readonly type: 'delta';
  readonly text: string;
}

/** Last event of a complete answer; the fields mean what they mean in the JSON response. */
export interface EndEvent {
  readonly type: 'end';
  readonly stopReason: string;
  /** Tokens this request consumed (zero on a hit). */
  readonly usage: TokenUsage;
  /** On a hit: what the cached answer cost when it was made. */
  readonly savedUsage?: TokenUsage;
  readonly latencyMs: number;
  /** True when the answer came from an identical request in flight. */
  readonly coalesced?: boolean;
  /** Why the cache was not used (fail open), e.g. `timeout`. */
  readonly cacheSkipped?: string;
  readonly semantic?: 'unavailable';
  readonly semanticReason?: SemanticUnavailableReason;
  /** A miss whose nearest neighbour the same-question check rejected: why, and its similarity. */
  readonly semanticRejected?: SemanticRejection;
}

/** Last event of a failed answer (bad input, model error, broken model stream). */
export interface ErrorEvent {
  readonly type: 'error';
  readonly error: ErrorDetail;
}

export type StreamEvent = StartEvent | DeltaEvent | EndEvent | ErrorEvent;

/** Where events go. A write that throws (the caller went away) does not stop the answer being stored. */
export interface StreamSink {
  write(event: StreamEvent): void | Promise<void>;
}

/** The media type of the event stream. */
export const STREAM_CONTENT_TYPE = 'application/x-ndjson';

/** One event as one line of newline-delimited JSON. */
export function encodeEvent(event: StreamEvent): string {
  return `${JSON.stringify(event)}\n`;
}
