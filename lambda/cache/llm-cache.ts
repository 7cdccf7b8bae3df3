import { performance } from 'node:perf_hooks';
import { toLlmCacheError, type LlmCacheError } from '../core/errors';
import { sha256Hex, toConverseRequest, type KeyEncoder } from '../core/keys';
import type { CacheRequest, CacheResponse, ChatModel, Embedder } from '../core/types';
import type { EntryStore } from '../stores/entry-store';
import type { SemanticIndex } from '../semantic/semantic-index';
import { silentObserver, type AnswerDetails, type CacheObserver } from '../observability/observer';
import { DEFAULT_LOCK_OPTIONS, EntryLock, type LockOptions } from './entry-lock';
import type { CacheGuard } from './guard';
import { CacheLookup } from './lookup';
import { MissPath } from './miss-path';
import { RefreshLock } from './refresh-lock';
import { RefreshPath } from './refresh-path';
import { bypassDetails, fromBypass, fromHit, fromMiss, fromRefresh, hitDetails, missDetails } from './responses';
import { SemanticLookup } from './semantic-lookup';
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
  /** @default silentObserver (reports nothing) */
  readonly observer?: CacheObserver;
  /** Hashes canonical JSON into the key's digest. @default sha256Hex */
  readonly keyEncoder?: KeyEncoder;
  /** @default DEFAULT_LOCK_OPTIONS (20 s lock renewed while its holder works, 900 s wait bounded first by `CacheRequest.deadline`, first poll after 25 ms) */
  readonly lock?: LockOptions;
  /** How long a semantic request waits for its index to catch up on a scope (`SemanticLookup`). @default the guard's timeout */
  readonly semanticPrepareTimeoutMs?: number;
  /** Kill switch: every request goes straight to the model. @default false */
  readonly disabled?: boolean;
  /** The clock of entries' `createdAt`. @default Date.now */
  readonly now?: () => number;
}

/** How a streamed answer ended: the response it amounts to (as `answer` would return it), or the error the caller was sent. */
export type StreamResult = { readonly response: CacheResponse } | { readonly error: LlmCacheError };

/**
 * The cache orchestration: exact lookup, then semantic lookup inside the request's scope
 * (`CacheLookup`), then single flight (in process, and across containers with a lock at the
 * entry's key), then the model, then the store (`MissPath`, `EntryLock`). `answer` and `stream`
 * run the same steps and differ only in how the model is called and the answer delivered. Every
 * cache operation is guarded: a cache fault never fails a request.
 *
 * A request that gets its answer from an identical request in flight reports `cache: "exact"`,
 * `coalesced: true`, zero `usage` and the answer's cost as `savedUsage`: it consumed nothing.
 * Coalescing rule: in process, only requests with the same exact key and the same mode share a
 * flight (a semantic request must index the answer; a standard one does not). `ttlSeconds` is
 * the lifetime of the entry a request writes, and a request that did not call the model writes
 * no entry (like any exact hit), so the entry keeps the TTL of the request that made it. Requests
 * whose flights differ still share the entry key, so the lock serializes them across flights and
 * containers: the later one waits for the entry, and a semantic one indexes what it received.
 *
 * A request in mode `refresh` skips the lookups: it calls the model and replaces the entry and its
 * document (`RefreshPath`, with its own flight and lock), and answers `cache: "refresh"`.
 */
export class LlmCache {
  private readonly observer: CacheObserver;
  private readonly lookup: CacheLookup;
  private readonly misses: MissPath;
  private readonly refreshes: RefreshPath;
  private readonly now: () => number;

  constructor(private readonly options: LlmCacheOptions) {
    const { store, guard } = options;
    this.observer = options.observer ?? silentObserver;
    this.now = options.now ?? Date.now;
    const semantic = new SemanticLookup(options.semanticIndex, options.embedder, guard, this.observer, options.semanticPrepareTimeoutMs);
    const encode = options.keyEncoder ?? sha256Hex;
    this.lookup = new CacheLookup(store, guard, this.observer, semantic, encode);
    const lockOptions = options.lock ?? DEFAULT_LOCK_OPTIONS;
    const lock = new EntryLock(store, guard, this.observer, lockOptions);
    this.misses = new MissPath(store, guard, this.observer, lock, this.now);
    this.refreshes = new RefreshPath(guard, new RefreshLock(store, guard, this.observer, lock, lockOptions), this.misses, semantic, encode, this.observer);
  }

  async answer(request: CacheRequest): Promise<CacheResponse> {
    const converse = toConverseRequest(request);
    const started = performance.now();
    if (this.bypasses(request)) {
      const answer = await this.options.model.converse(converse);
      return this.finish(request, fromBypass(answer, started), bypassDetails(answer));
    }
    if (request.mode === 'refresh') {
      const refreshed = await this.refreshes.settle(request, converse, (c) => this.options.model.converse(c));
      return this.finish(request, fromRefresh(refreshed, started, this.now), missDetails(refreshed.settled));
    }
    const found = await this.lookup.find(request, converse);
    if (found.kind === 'hit') return this.finish(request, fromHit(found, started, request.namespace), hitDetails(found));
    const settled = await this.misses.settle(request, found, (c) => this.options.model.converse(c));
    return this.finish(request, fromMiss(found, settled, started, this.now), missDetails(settled));
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
        const response = fromBypass(answer, started);
        await out.write(endEvent(response));
        return { response: this.finish(request, response, bypassDetails(answer)) };
      }
      if (request.mode === 'refresh') {
        const refreshed = await this.refreshes.settle(request, converse, (c) => pumpModelStream(model, c, out, 'refresh'));
        const response = fromRefresh(refreshed, started, this.now);
        await sendRest(out, response, refreshed.settled.modelCalled);
        return { response: this.finish(request, response, missDetails(refreshed.settled)) };
      }
      const found = await this.lookup.find(request, converse);
      if (found.kind === 'hit') {
        const response = fromHit(found, started, request.namespace);
        for (const event of replayEvents(response)) await out.write(event);
        return { response: this.finish(request, response, hitDetails(found)) };
      }
      const settled = await this.misses.settle(request, found, (c) => pumpModelStream(model, c, out, 'miss'));
      const response = fromMiss(found, settled, started, this.now);
      await sendRest(out, response, settled.modelCalled);
      return { response: this.finish(request, response, missDetails(settled)) };
    } catch (caught) {
      const error = toLlmCacheError(caught);
      await out.write(errorEvent(error));
      return { error };
    }
  }

  private bypasses(request: CacheRequest): boolean {
    return this.options.disabled === true || request.mode === 'off';
  }

  private finish(request: CacheRequest, response: CacheResponse, details: AnswerDetails): CacheResponse {
    this.observer.answered(request, response, details);
    return response;
  }
}

/**
 * The rest of a streamed answer: a model call of this request's own already streamed `start` and
 * the deltas, so only `end` is left; another request's answer is sent whole.
 */
async function sendRest(out: GuardedSink, response: CacheResponse, modelCalled: boolean): Promise<void> {
  if (modelCalled) await out.write(endEvent(response));
  else for (const event of replayEvents(response)) await out.write(event);
}
