import type { CacheRequest, CacheResponse } from '../core/types';

/** A cache operation that failed open, for logs and metrics. */
export interface CacheFault {
  readonly operation: 'lookup' | 'semantic-lookup' | 'embed' | 'store' | 'lock' | 'connect';
  readonly reason: string;
  readonly error?: unknown;
}

/**
 * What the orchestration reports. Kept as an interface so the library does not depend on how
 * it is observed; the Lambda plugs in Powertools (JSON logs, EMF metrics).
 */
export interface CacheObserver {
  /** One answered request, with the time spent in the cache (lookups, not the model). */
  answered(request: CacheRequest, response: CacheResponse, details: { readonly cacheMs: number; readonly modelCalled: boolean }): void;
  /** A cache operation failed and the request went on without it. */
  fault(fault: CacheFault): void;
  /** A stored value could not be read (not JSON, unknown version, wrong scope). */
  corruptEntry(reason: string): void;
  /** Said once per container: semantic requests are served exact-only here. */
  semanticUnavailable(reason: string): void;
}

export const silentObserver: CacheObserver = {
  answered: () => undefined,
  fault: () => undefined,
  corruptEntry: () => undefined,
  semanticUnavailable: () => undefined,
};
