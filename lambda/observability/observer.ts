import type { CacheRequest, CacheResponse } from '../core/types';

/** A cache operation that failed open, for logs and metrics. */
export interface CacheFault {
  readonly operation: 'lookup' | 'semantic-lookup' | 'embed' | 'store' | 'lock' | 'connect';
  readonly reason: string;
  readonly error?: unknown;
}

/** An action that took answers back (README "Taking an answer back"). */
export interface ActionReport {
  readonly action: 'invalidate' | 'reject' | 'purge';
  readonly namespace: string;
  /** Entries invalidated or purged; for `reject`, 1 when the rejection was recorded. */
  readonly count: number;
  /** `purge`: every key it removed (entries, locks, documents, change logs). */
  readonly keys?: number;
  /** `purge`: false when the invocation's end stopped it (a rerun removes the rest). */
  readonly complete?: boolean;
}

/** Where one answered request spent its time. Waiting and the model call are kept apart. */
export interface AnswerDetails {
  /** Time in cache operations (lookups, the lock attempt); neither waiting nor the model. */
  readonly cacheMs: number;
  /**
   * Time spent waiting for an identical request's answer: in this container (single flight) or
   * on another container's lock. 0 when the request did not wait.
   */
  readonly waitMs: number;
  /** Whether this request called the model itself. */
  readonly modelCalled: boolean;
  /** The model call's own latency (`ModelAnswer.latencyMs`); present when `modelCalled`. */
  readonly modelMs?: number;
}

/**
 * What the orchestration reports. Kept as an interface so the library does not depend on how
 * it is observed; the Lambda plugs in Powertools (JSON logs, EMF metrics).
 */
export interface CacheObserver {
  /** One answered request, with where its time went. */
  answered(request: CacheRequest, response: CacheResponse, details: AnswerDetails): void;
  /** A cache operation failed and the request went on without it. */
  fault(fault: CacheFault): void;
  /** A stored value could not be read (not JSON, unknown version, wrong scope). */
  corruptEntry(reason: string): void;
  /** Said once per container: semantic requests are served exact-only here. */
  semanticUnavailable(reason: string): void;
  /**
   * A circuit breaker went from closed or half-open to open: the cache (or, on a cluster, one
   * shard named by `partition`) is skipped for the breaker's cool-down. Optional, so an observer
   * written before breakers were reported still fits.
   */
  breakerOpened?(partition?: string): void;
  /** An action took answers back. Optional, so an observer written before actions existed still fits. */
  action?(report: ActionReport): void;
  /** Publishes what was recorded since the last flush (metrics); the handler calls it per invocation. */
  flush?(): void;
}

export const silentObserver: CacheObserver = {
  answered: () => undefined,
  fault: () => undefined,
  corruptEntry: () => undefined,
  semanticUnavailable: () => undefined,
};
