import { performance } from 'node:perf_hooks';
import { decodeValue, type CacheEntry } from '../core/entry';
import { EmbeddingInputTooLongError } from '../core/errors';
import type { CacheRequest, Embedder, SemanticUnavailableReason } from '../core/types';
import type { CacheObserver } from '../observability/observer';
import type { SemanticIndex } from '../semantic/semantic-index';
import type { CacheGuard } from './guard';

/** Where a semantic request's answer goes once it is known: the index, under the prompt's vector. */
export interface Indexing {
  readonly index: SemanticIndex;
  readonly vector: Float32Array;
}

/**
 * What the semantic lookup found. `hit` when an entry of the scope was similar enough;
 * `reason` when this request can only be served exact-only; `indexing` whenever the prompt was
 * embedded (even if the search then failed), so the answer the miss produces is indexed.
 * `cacheMs` is the time spent in the cache (the index and the search; not the embedding).
 */
export interface SemanticFound {
  readonly cacheMs: number;
  readonly hit?: { readonly entry: CacheEntry; readonly similarity: number };
  readonly reason?: SemanticUnavailableReason;
  readonly indexing?: Indexing;
}

/** Said once per container by the observer when the backend offers no semantic index. */
const NO_INDEX = 'the backend has no vector search and no client-side index is configured';

/**
 * The semantic step of a lookup: embed the prompt, search the nearest answer inside the request's
 * scope, compare with the request's threshold. Each fault is reported and ends the step as a miss.
 */
export class SemanticLookup {
  constructor(
    private readonly resolveIndex: () => Promise<SemanticIndex | null>,
    private readonly embedder: Embedder,
    private readonly guard: CacheGuard,
    private readonly observer: CacheObserver,
  ) {}

  /** Resolves the index and lets it catch up on `scope`; started while the exact lookup is in flight. */
  async prepare(scope: string): Promise<SemanticIndex | null> {
    const index = await this.resolveIndex();
    await index?.prepare?.(scope);
    return index;
  }

  async find(request: CacheRequest, scope: string, indexReady: Promise<SemanticIndex | null>): Promise<SemanticFound> {
    let started = performance.now();
    const index = await this.guard.run(() => indexReady);
    let cacheMs = performance.now() - started;
    if (!index.ok) {
      this.observer.fault({ operation: 'semantic-lookup', reason: index.reason, error: index.error });
      return { cacheMs };
    }
    if (index.value === null) {
      this.observer.semanticUnavailable(NO_INDEX);
      return { cacheMs, reason: 'no-index' };
    }
    let vector: Float32Array;
    try {
      vector = await this.embedder.embed(request.prompt);
    } catch (error) {
      // Not a cache fault: this prompt can only ever be served exact-only (never matched on a part of it).
      if (error instanceof EmbeddingInputTooLongError) return { cacheMs, reason: 'prompt-too-long' };
      this.observer.fault({ operation: 'embed', reason: 'error', error });
      return { cacheMs };
    }
    const indexing: Indexing = { index: index.value, vector };
    started = performance.now();
    const hit = await this.guard.run(() => indexing.index.search(scope, vector, request.threshold));
    cacheMs += performance.now() - started;
    if (!hit.ok) {
      this.observer.fault({ operation: 'semantic-lookup', reason: hit.reason, error: hit.error });
      return { cacheMs, indexing };
    }
    if (hit.value === null) return { cacheMs, indexing };
    const decoded = decodeValue(hit.value.entry, scope);
    if (decoded.kind !== 'entry') {
      this.observer.corruptEntry(decoded.kind === 'corrupt' ? decoded.reason : 'lock-in-index');
      return { cacheMs, indexing };
    }
    return { cacheMs, indexing, hit: { entry: decoded.entry, similarity: hit.value.similarity } };
  }
}
