import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { decodeValue, encodeEntry, encodeLock, isStorable, toEntry, type CacheEntry } from '../core/entry';
import { EmbeddingInputTooLongError, toLlmCacheError, type LlmCacheError } from '../core/errors';
import { canonicalForms, keyOf, ScopeHashes, sha256Hex, toConverseRequest, type KeyEncoder } from '../core/keys';
import type { CacheMode, CacheOutcome, CacheRequest, CacheResponse, ChatModel, ConverseRequest, Embedder, ModelAnswer, SemanticUnavailableReason } from '../core/types';
import type { EntryStore } from '../stores/entry-store';
import type { SemanticIndex } from '../semantic/semantic-index';
import { silentObserver, type AnswerDetails, type CacheObserver } from '../observability/observer';
import { CacheGuard, type Guarded } from './guard';
import { SingleFlight } from './single-flight';
import { waitForEntry, type LockOptions, DEFAULT_LOCK_OPTIONS } from './lock-wait';
import { endEvent, errorEvent, GuardedSink, replayEvents } from './stream-events';
import { pumpModelStream } from './stream-pump';
import type { StreamSink, StreamingChatModel } from './stream-types';

export interface LlmCacheOptions {
  readonly store: EntryStore;
  /** Resolves the vector index; null when the backend has none (semantic requests go exact-only). */
  readonly semanticIndex: () => Promise<SemanticIndex | null>;
  readonly model: ChatModel;
  readonly embedder: Embedder;
  readonly guard: CacheGuard;
  readonly observer?: CacheObserver;
  readonly keyEncoder?: KeyEncoder;
  readonly lock?: LockOptions;
  /** Kill switch: every request goes straight to the model. @default false */
  readonly disabled?: boolean;
  readonly now?: () => number;
}

/** What a miss produced: a fresh model answer, or an entry another caller stored while we waited. */
type Filled = { readonly kind: 'model'; readonly answer: ModelAnswer } | { readonly kind: 'cache'; readonly entry: CacheEntry };

/** How a miss calls the model: the whole answer at once, or streamed to a caller while it is accumulated. */
type CallModel = (converse: ConverseRequest) => Promise<ModelAnswer>;

/** What the cache lookups found: an entry to serve, or a miss (with why semantic lookup was unavailable). */
type Found =
  | { readonly kind: 'hit'; readonly entry: CacheEntry; readonly cache: 'exact' | 'semantic'; readonly similarity?: number }
  | { readonly kind: 'miss'; readonly semanticReason?: SemanticUnavailableReason };

/** How a streamed answer ended: the response it amounts to (as `answer` would return it), or the error the caller was sent. */
export type StreamResult = { readonly response: CacheResponse } | { readonly error: LlmCacheError };

interface Lookup {
  readonly key: string;
  readonly scope: string;
  readonly converse: ConverseRequest;
  readonly started: number;
  cacheMs: number;
  /** Time spent waiting for another request's answer (single flight or another container's lock). */
  waitMs: number;
  cacheOk: boolean;
  lockSeen: boolean;
  skipped?: string;
  vector?: Float32Array;
  index?: SemanticIndex | null;
}

/**
 * The cache orchestration: exact lookup, then semantic lookup inside the request's scope, then
 * single flight (in process, and across containers with a lock at the entry's key), then the
 * model, then the store. Every cache operation is guarded: a cache fault never fails a request.
 *
 * A request that gets its answer from an identical request in flight reports `cache: "exact"`,
 * `coalesced: true`, zero `usage` and the answer's cost as `savedUsage`: it consumed nothing.
 * Coalescing rule: in process, only requests with the same exact key and the same mode share a
 * flight (a semantic request must index the answer; a standard one does not). `ttlSeconds` is
 * the lifetime of the entry a request writes, and a request that did not call the model writes
 * no entry (like any exact hit), so the entry keeps the TTL of the request that made it. Requests
 * whose flights differ still share the entry key, so the lock serializes them across flights and
 * containers: the later one waits for the entry, and a semantic one indexes what it received.
 */
export class LlmCache {
  private readonly flights = new SingleFlight<Filled>();
  private readonly observer: CacheObserver;
  private readonly encode: KeyEncoder;
  private readonly scopes: ScopeHashes;
  private readonly lock: LockOptions;
  private readonly now: () => number;

  constructor(private readonly options: LlmCacheOptions) {
    this.observer = options.observer ?? silentObserver;
    this.encode = options.keyEncoder ?? sha256Hex;
    this.scopes = new ScopeHashes(this.encode);
    this.lock = options.lock ?? DEFAULT_LOCK_OPTIONS;
    this.now = options.now ?? Date.now;
  }

  async answer(request: CacheRequest): Promise<CacheResponse> {
    const converse = toConverseRequest(request);
    const started = performance.now();
    if (this.bypasses(request)) {
      const answer = await this.options.model.converse(converse);
      return this.finish(request, fromAnswer(answer, 'bypass', started), { cacheMs: 0, waitMs: 0, modelCalled: true, modelMs: answer.latencyMs });
    }
    const lookup = this.newLookup(request, converse, started);
    const found = await this.lookUp(request, lookup);
    if (found.kind === 'hit') return this.finish(request, this.fromEntry(found.entry, found.cache, lookup, found.similarity), this.details(lookup));
    const { filled, leader } = await this.fly(request, lookup, (c) => this.options.model.converse(c));
    const extras = missExtras(lookup, found.semanticReason);
    if (filled.kind === 'model' && leader) {
      return this.finish(request, { ...fromAnswer(filled.answer, 'miss', started), ...extras }, this.details(lookup, filled.answer));
    }
    return this.finish(request, this.coalesced(filled, lookup, extras), this.details(lookup));
  }

  /**
   * The streaming path (README "Streaming"): the same lookups, single flight, lock and store rules
   * as `answer`, with the answer written to `sink` as events. A hit is replayed at once (`start`
   * with the outcome, one `delta`, `end`); a miss streams the model's deltas as they arrive while
   * they are accumulated, and the answer is stored only when the stream ended with a storable stop
   * reason. Identical concurrent misses share one model call: the followers (streamed or not) wait
   * for the leader's complete answer and replay it as `exact` with `coalesced: true`. A failure
   * (model error, broken stream) stores nothing, releases the lock and ends the stream with an
   * `error` event; it is also returned, for the log. Never throws.
   */
  async stream(request: CacheRequest, sink: StreamSink, model: StreamingChatModel): Promise<StreamResult> {
    const out = new GuardedSink(sink);
    try {
      const converse = toConverseRequest(request);
      const started = performance.now();
      if (this.bypasses(request)) {
        const answer = await pumpModelStream(model, converse, out, 'bypass');
        const response = fromAnswer(answer, 'bypass', started);
        await out.write(endEvent(response));
        return { response: this.finish(request, response, { cacheMs: 0, waitMs: 0, modelCalled: true, modelMs: answer.latencyMs }) };
      }
      const lookup = this.newLookup(request, converse, started);
      const found = await this.lookUp(request, lookup);
      if (found.kind === 'hit') {
        const response = this.fromEntry(found.entry, found.cache, lookup, found.similarity);
        for (const event of replayEvents(response)) await out.write(event);
        return { response: this.finish(request, response, this.details(lookup)) };
      }
      const { filled, leader } = await this.fly(request, lookup, (c) => pumpModelStream(model, c, out, 'miss'));
      const extras = missExtras(lookup, found.semanticReason);
      if (filled.kind === 'model' && leader) {
        const response = { ...fromAnswer(filled.answer, 'miss', started), ...extras };
        await out.write(endEvent(response));
        return { response: this.finish(request, response, this.details(lookup, filled.answer)) };
      }
      const response = this.coalesced(filled, lookup, extras);
      for (const event of replayEvents(response)) await out.write(event);
      return { response: this.finish(request, response, this.details(lookup)) };
    } catch (caught) {
      const error = toLlmCacheError(caught);
      await out.write(errorEvent(error));
      return { error };
    }
  }

  private bypasses(request: CacheRequest): boolean {
    return this.options.disabled === true || request.mode === 'off';
  }

  private newLookup(request: CacheRequest, converse: ConverseRequest, started: number): Lookup {
    const canonical = canonicalForms(request.namespace, converse);
    return {
      key: keyOf(request.namespace, canonical.request, this.encode),
      scope: this.scopes.of(canonical.scope),
      converse,
      started,
      cacheMs: 0,
      waitMs: 0,
      cacheOk: true,
      lockSeen: false,
    };
  }

  /** Exact lookup, then (semantic mode, cache healthy) semantic lookup inside the scope. */
  private async lookUp(request: CacheRequest, lookup: Lookup): Promise<Found> {
    // A semantic request resolves its index (and lets it catch up on the scope) while the exact
    // lookup is in flight, so neither waits for the other.
    const indexReady = request.mode === 'semantic' ? this.prepareIndex(lookup.scope) : undefined;
    indexReady?.catch(() => undefined); // awaited (and its failure reported) only on an exact miss
    const exact = await this.exactLookup(lookup);
    if (exact !== null) return { kind: 'hit', entry: exact, cache: 'exact' };
    if (indexReady === undefined || !lookup.cacheOk) return { kind: 'miss' };
    const semantic = await this.semanticLookup(request, lookup, indexReady);
    if (typeof semantic === 'string') return { kind: 'miss', semanticReason: semantic };
    if (semantic !== null) return { kind: 'hit', entry: semantic.entry, cache: 'semantic', similarity: semantic.similarity };
    return { kind: 'miss' };
  }

  /** The miss path under in-process single flight; a follower's wait is timed. */
  private async fly(request: CacheRequest, lookup: Lookup, call: CallModel): Promise<{ filled: Filled; leader: boolean }> {
    const flightStarted = performance.now();
    const { value: filled, leader } = await this.flights.run(flightKey(lookup.key, request.mode), () => this.fill(request, lookup, call));
    if (!leader) lookup.waitMs = performance.now() - flightStarted;
    return { filled, leader };
  }

  /** Served by another request's answer: this one consumed nothing. */
  private coalesced(filled: Filled, lookup: Lookup, extras: Partial<CacheResponse>): CacheResponse {
    const entry = filled.kind === 'cache' ? filled.entry : toEntry(filled.answer, lookup.scope, this.now());
    return { ...this.fromEntry(entry, 'exact', lookup), coalesced: true, ...extras };
  }

  private exactLookup(lookup: Lookup): Promise<CacheEntry | null> {
    return this.timed(lookup, () => this.options.store.get(lookup.key), lookup.key).then((result) => this.readExact(lookup, result));
  }

  private readExact(lookup: Lookup, result: Guarded<string | null>): CacheEntry | null {
    if (!result.ok) {
      this.skip(lookup, 'lookup', result);
      return null;
    }
    if (result.value === null) return null;
    const decoded = decodeValue(result.value, lookup.scope);
    if (decoded.kind === 'entry') return decoded.entry;
    if (decoded.kind === 'lock') lookup.lockSeen = true;
    else this.observer.corruptEntry(decoded.reason);
    return null;
  }

  private async prepareIndex(scope: string): Promise<SemanticIndex | null> {
    const index = await this.options.semanticIndex();
    await index?.prepare?.(scope);
    return index;
  }

  private async semanticLookup(
    request: CacheRequest,
    lookup: Lookup,
    indexReady: Promise<SemanticIndex | null>,
  ): Promise<{ entry: CacheEntry; similarity: number } | SemanticUnavailableReason | null> {
    const index = await this.timed(lookup, () => indexReady);
    if (!index.ok) {
      this.observer.fault({ operation: 'semantic-lookup', reason: index.reason, error: index.error });
      return null;
    }
    lookup.index = index.value;
    if (index.value === null) {
      this.observer.semanticUnavailable('the backend has no vector search and no client-side index is configured');
      return 'no-index';
    }
    try {
      lookup.vector = await this.options.embedder.embed(request.prompt);
    } catch (error) {
      // Not a cache fault: this prompt can only ever be served exact-only (never matched on a part of it).
      if (error instanceof EmbeddingInputTooLongError) return 'prompt-too-long';
      this.observer.fault({ operation: 'embed', reason: 'error', error });
      return null;
    }
    const vector = lookup.vector;
    const searchIndex = index.value;
    const hit = await this.timed(lookup, () => searchIndex.search(lookup.scope, vector, request.threshold));
    if (!hit.ok) {
      this.observer.fault({ operation: 'semantic-lookup', reason: hit.reason, error: hit.error });
      return null;
    }
    if (hit.value === null) return null;
    const decoded = decodeValue(hit.value.entry, lookup.scope);
    if (decoded.kind !== 'entry') {
      this.observer.corruptEntry(decoded.kind === 'corrupt' ? decoded.reason : 'lock-in-index');
      return null;
    }
    return { entry: decoded.entry, similarity: hit.value.similarity };
  }

  /** The miss path, run once per key per container: lock, model, store. */
  private async fill(request: CacheRequest, lookup: Lookup, call: CallModel): Promise<Filled> {
    const { store, guard } = this.options;
    let token: string | undefined;
    // A request that cannot write (cache down, breaker open) never takes a lock.
    if (lookup.cacheOk && guard.availableFor(lookup.key)) {
      if (!lookup.lockSeen) {
        const candidate = randomUUID();
        const taken = await this.timed(lookup, () => store.setIfAbsent(lookup.key, encodeLock(candidate), this.lock.ttlMs), lookup.key);
        if (taken.ok && taken.value) token = candidate;
        else if (taken.ok) lookup.lockSeen = true;
        else {
          // The cache failed this request once already: it pays the timeout once, not again on the store.
          lookup.cacheOk = false;
          lookup.skipped = taken.reason;
          this.observer.fault({ operation: 'lock', reason: taken.reason, error: taken.error });
        }
      }
      if (token === undefined && lookup.lockSeen) {
        const waitStarted = performance.now();
        const entry = await waitForEntry(store, guard, lookup.key, lookup.scope, this.lock);
        lookup.waitMs += performance.now() - waitStarted;
        if (entry !== null) {
          // The lock holder may have been a standard request: a semantic one indexes what it got.
          await this.addToIndex(request, lookup, encodeEntry(entry));
          return { kind: 'cache', entry };
        }
      }
    }
    let answer: ModelAnswer;
    try {
      answer = await call(lookup.converse);
    } catch (error) {
      if (token !== undefined) await this.release(lookup.key, token);
      throw error;
    }
    // Whatever is not stored releases the lock, so no one elsewhere waits out the wait bound for it.
    if (isStorable(answer) && lookup.cacheOk) await this.store(request, lookup, answer, token);
    else if (token !== undefined) await this.release(lookup.key, token);
    return { kind: 'model', answer };
  }

  /**
   * Writes the entry over our lock. When the write fails (error, timeout) the lock is released at
   * once: followers in other containers then call the model themselves instead of waiting the
   * whole wait bound for an entry that will never come. The release is a compare-and-delete, so
   * a write that landed late (after its timeout) is never deleted.
   */
  private async store(request: CacheRequest, lookup: Lookup, answer: ModelAnswer, token: string | undefined): Promise<void> {
    const encoded = encodeEntry(toEntry(answer, lookup.scope, this.now()));
    const stored = await this.options.guard.run(() => this.options.store.set(lookup.key, encoded, request.ttlSeconds * 1000), lookup.key);
    if (!stored.ok) {
      this.observer.fault({ operation: 'store', reason: stored.reason, error: stored.error });
      if (token !== undefined) await this.release(lookup.key, token);
    }
    await this.addToIndex(request, lookup, encoded);
  }

  /** Adds the answer to the semantic index when this request embedded its prompt (semantic mode). */
  private async addToIndex(request: CacheRequest, lookup: Lookup, encoded: string): Promise<void> {
    const { index, vector } = lookup;
    if (!index || !vector) return;
    const id = `${request.namespace}:${lookup.key.slice(lookup.key.lastIndexOf(':') + 1)}`;
    const added = await this.options.guard.run(() => index.add({ scope: lookup.scope, id, vector, entry: encoded, ttlMs: request.ttlSeconds * 1000 }));
    if (!added.ok) this.observer.fault({ operation: 'store', reason: added.reason, error: added.error });
  }

  private async release(key: string, token: string): Promise<void> {
    const released = await this.options.guard.run(() => this.options.store.deleteIfEquals(key, encodeLock(token)), key);
    if (!released.ok) this.observer.fault({ operation: 'lock', reason: released.reason, error: released.error });
  }

  /** Runs a guarded cache operation and adds its time to the request's cache time. */
  private timed<T>(lookup: Lookup, operation: () => Promise<T>, key?: string): Promise<Guarded<T>> {
    const started = performance.now();
    return this.options.guard.run(operation, key).then((result) => {
      lookup.cacheMs += performance.now() - started;
      return result;
    });
  }

  private skip(lookup: Lookup, operation: 'lookup', result: { reason: string; error?: unknown }): void {
    lookup.cacheOk = false;
    lookup.skipped = result.reason;
    this.observer.fault({ operation, reason: result.reason, error: result.error });
  }

  private fromEntry(entry: CacheEntry, cache: CacheOutcome, lookup: Lookup, similarity?: number): CacheResponse {
    return {
      text: entry.text,
      cache,
      ...(similarity !== undefined ? { similarity: round(similarity, 4) } : {}),
      modelId: entry.modelId,
      latencyMs: round(performance.now() - lookup.started, 2),
      usage: { inputTokens: 0, outputTokens: 0 },
      stopReason: entry.stopReason,
      savedUsage: entry.usage,
    };
  }

  /** Timings for the observer; `answer` when this request called the model itself. */
  private details(lookup: Lookup, answer?: ModelAnswer): AnswerDetails {
    return { cacheMs: lookup.cacheMs, waitMs: lookup.waitMs, modelCalled: answer !== undefined, ...(answer ? { modelMs: answer.latencyMs } : {}) };
  }

  private finish(request: CacheRequest, response: CacheResponse, details: AnswerDetails): CacheResponse {
    this.observer.answered(request, response, details);
    return response;
  }
}

/**
 * The in-process single-flight key: the entry key and the mode, so a semantic request never
 * shares the flight of a standard one (which would not index the answer).
 */
function flightKey(key: string, mode: CacheMode): string {
  return `${key}\u0000${mode}`;
}

/** What a miss adds to its response: why semantic lookup was unavailable, why the cache was skipped. */
function missExtras(lookup: Lookup, semanticReason: SemanticUnavailableReason | undefined): Partial<CacheResponse> {
  return {
    ...(semanticReason ? { semantic: 'unavailable' as const, semanticReason } : {}),
    ...(lookup.skipped ? { cacheSkipped: lookup.skipped } : {}),
  };
}

function fromAnswer(answer: ModelAnswer, cache: CacheOutcome, started: number): CacheResponse {
  return {
    text: answer.text,
    cache,
    modelId: answer.modelId,
    latencyMs: round(performance.now() - started, 2),
    usage: answer.usage,
    stopReason: answer.stopReason,
  };
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
