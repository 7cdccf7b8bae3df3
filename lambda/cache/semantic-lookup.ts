import { performance } from 'node:perf_hooks';
import { decodeValue, type CacheEntry } from '../core/entry';
import { EmbeddingInputTooLongError } from '../core/errors';
import type { CacheRequest, Embedder, SemanticUnavailableReason } from '../core/types';
import type { CacheObserver } from '../observability/observer';
import type { SemanticIndex } from '../semantic/semantic-index';
import type { SemanticRejection } from '../semantic/same-question/candidate-check';
import { questionFacts, type QuestionFacts } from '../semantic/same-question/facts';
import { InFlightFacts } from '../semantic/same-question/in-flight';
import type { CacheGuard } from './guard';

/** Where a semantic request's answer goes once it is known: the index, under the prompt's vector. */
export interface Indexing {
  readonly index: SemanticIndex;
  readonly vector: Float32Array;
  /** The prompt's facts for the same-question check, stored with the answer (computed once per request). */
  readonly facts: QuestionFacts;
}

/**
 * What the semantic lookup found. `hit` when an entry of the scope was similar enough;
 * `reason` when this request can only be served exact-only; `indexing` whenever the prompt was
 * embedded (even if the search then failed), so the answer the miss produces is indexed.
 * `cacheMs` is the time spent in the cache (the index and the search; not the embedding).
 */
export interface SemanticFound {
  readonly cacheMs: number;
  readonly hit?: { readonly entry: CacheEntry; readonly similarity: number; readonly id: string };
  readonly reason?: SemanticUnavailableReason;
  readonly indexing?: Indexing;
  /** No hit because the same-question check rejected the nearest neighbour(s) above the threshold. */
  readonly rejected?: SemanticRejection;
}

/**
 * A semantic request's index, resolved while the exact lookup is in flight, and the scope's
 * catch-up (`SemanticIndex.prepare`; a client-side index's first read of a scope is its bootstrap).
 * Neither ever rejects unobserved: `find` awaits them under the guard.
 */
export interface Preparing {
  readonly index: Promise<SemanticIndex | null>;
  readonly ready: Promise<void>;
}

const ignore = (): undefined => undefined;

/** Said once per container by the observer when the backend offers no semantic index. */
const NO_INDEX = 'the backend has no vector search and no client-side index is configured';

/**
 * The semantic step of a lookup: embed the prompt, search the nearest answer inside the request's
 * scope, compare with the request's threshold. Each fault is reported and ends the step as a miss.
 */
export class SemanticLookup {
  /**
   * @param prepareTimeoutMs the budget of the scope's catch-up (`SEMANTIC_PREPARE_TIMEOUT_MS`),
   *   instead of the per-operation deadline: a container's first read of a large scope takes longer
   *   than one operation (1.5-2 s for 10,000 entries at a 512 MB function's CPU share, measured on a busy host). When
   *   it runs out the prompt is still embedded, so the answer can be indexed. @default the guard's own timeout
   */
  constructor(
    private readonly resolveIndex: () => Promise<SemanticIndex | null>,
    private readonly embedder: Embedder,
    private readonly guard: CacheGuard,
    private readonly observer: CacheObserver,
    private readonly prepareTimeoutMs?: number,
  ) {}

  /** Resolves the index and lets it catch up on `scope` (of `namespace`); started while the exact lookup is in flight. */
  prepare(scope: string, namespace: string): Preparing {
    const index = this.resolveIndex();
    const ready = index.then(async (resolved) => {
      await resolved?.prepare?.(scope, namespace);
    });
    // Awaited (and a failure reported) only on an exact miss.
    index.catch(ignore);
    ready.catch(ignore);
    return { index, ready };
  }

  /**
   * @param asker the request's own exact-key digest: a neighbour whose owner rejected it for this
   *   request (the `reject` action) is passed over and reported as `rejected-by-owner`.
   */
  async find(request: CacheRequest, scope: string, preparing: Preparing, asker?: string): Promise<SemanticFound> {
    let started = performance.now();
    const index = await this.guard.run(() => preparing.index);
    let cacheMs = performance.now() - started;
    if (!index.ok) {
      this.observer.fault({ operation: 'semantic-lookup', reason: index.reason, error: index.error });
      return { cacheMs };
    }
    if (index.value === null) {
      this.observer.semanticUnavailable(NO_INDEX);
      return { cacheMs, reason: 'no-index' };
    }
    // The scope's catch-up, under its own budget. Not overlapped with the embedding: a cold
    // container's first embedding loads the Bedrock SDK, hundreds of milliseconds of synchronous
    // work at a small function's CPU share, and a log read whose reply waited behind it was timed
    // out by the client's per-command timer (measured: the 10,000-entry scope's first lookup).
    started = performance.now();
    const ready = await this.guard.run(() => preparing.ready, undefined, this.prepareTimeoutMs);
    cacheMs += performance.now() - started;
    let vector: Float32Array;
    // The asked prompt's facts, once per request (the check's, or with the check off only to store
    // them), computed while the embedding is in flight.
    let asked: InFlightFacts | undefined;
    try {
      const embedding = this.embedder.embed(request.prompt);
      asked = new InFlightFacts(request.prompt, request.semanticCheck ?? 'on');
      vector = await embedding;
    } catch (error) {
      asked?.cancel();
      // Not a cache fault: this prompt can only ever be served exact-only (never matched on a part of it).
      if (error instanceof EmbeddingInputTooLongError) return { cacheMs, reason: 'prompt-too-long' };
      this.observer.fault({ operation: 'embed', reason: 'error', error });
      return { cacheMs };
    }
    const { check, facts } = asked.take();
    const indexing: Indexing = { index: index.value, vector, facts };
    if (!ready.ok) {
      // No search in a scope this container has not read; the answer the miss gets is still indexed
      // (written to the server), so the next paraphrase, in any container, can find it.
      this.observer.fault({ operation: 'semantic-lookup', reason: ready.reason, error: ready.error });
      return { cacheMs, indexing };
    }
    started = performance.now();
    const hit = await this.guard.run(() => indexing.index.search(scope, vector, request.threshold, check, asker, request.namespace));
    cacheMs += performance.now() - started;
    if (!hit.ok) {
      this.observer.fault({ operation: 'semantic-lookup', reason: hit.reason, error: hit.error });
      return { cacheMs, indexing };
    }
    if (hit.value === null) {
      const rejected = check?.rejection;
      return rejected === undefined ? { cacheMs, indexing } : { cacheMs, indexing, rejected };
    }
    const decoded = decodeValue(hit.value.entry, scope);
    if (decoded.kind !== 'entry') {
      this.observer.corruptEntry(decoded.kind === 'corrupt' ? decoded.reason : 'lock-in-index');
      return { cacheMs, indexing };
    }
    return { cacheMs, indexing, hit: { entry: decoded.entry, similarity: hit.value.similarity, id: hit.value.id } };
  }

  /**
   * Where a refresh indexes its answer, with no search: the index, the prompt's vector and facts.
   * None when the backend has no index, the prompt is too long to embed (it never had a vector), or
   * a fault (reported). `cacheMs`: the index's resolution (not the embedding).
   */
  async indexingFor(request: CacheRequest): Promise<{ readonly cacheMs: number; readonly indexing?: Indexing; readonly unindexed?: SemanticIndex }> {
    const started = performance.now();
    const index = await this.guard.run(() => this.resolveIndex());
    const cacheMs = performance.now() - started;
    if (!index.ok) {
      this.observer.fault({ operation: 'semantic-lookup', reason: index.reason, error: index.error });
      return { cacheMs };
    }
    if (index.value === null) return { cacheMs };
    const vector = await this.embed(request);
    // No vector: the index is named so the caller can take the entry's old document out.
    if (vector === undefined || vector === 'prompt-too-long') return { cacheMs, unindexed: index.value };
    return { cacheMs, indexing: { index: index.value, vector, facts: questionFacts(request.prompt) } };
  }

  /** The prompt's embedding; `prompt-too-long` when the model refuses its length; undefined after a fault (reported). */
  private async embed(request: CacheRequest): Promise<Float32Array | 'prompt-too-long' | undefined> {
    try {
      return await this.embedder.embed(request.prompt);
    } catch (error) {
      if (error instanceof EmbeddingInputTooLongError) return 'prompt-too-long';
      this.observer.fault({ operation: 'embed', reason: 'error', error });
      return undefined;
    }
  }
}
