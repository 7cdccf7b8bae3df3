import { performance } from 'node:perf_hooks';
import { encodeEntry, isStorable, toEntry, type CacheEntry } from '../core/entry';
import { InFlightTimeoutError } from '../core/errors';
import type { CacheMode, CacheRequest, ConverseRequest, ModelAnswer } from '../core/types';
import type { CacheObserver } from '../observability/observer';
import type { EntryStore } from '../stores/entry-store';
import type { EntryLock } from './entry-lock';
import type { CacheGuard } from './guard';
import type { Miss } from './lookup';
import { SingleFlight } from './single-flight';

/** How a miss calls the model: the whole answer at once, or streamed to a caller while it is accumulated. */
export type CallModel = (converse: ConverseRequest) => Promise<ModelAnswer>;

/** What a miss produced: a fresh model answer, or an entry another caller stored while we waited. */
export type Filled = { readonly kind: 'model'; readonly answer: ModelAnswer } | { readonly kind: 'cache'; readonly entry: CacheEntry };

/** One run of the miss path (lock, model, store), with what it cost the request that ran it. */
interface Fill {
  readonly filled: Filled;
  readonly cacheMs: number;
  readonly waitMs: number;
  readonly skipped?: string;
}

/**
 * How one request's miss ended. `modelCalled`: this request called the model itself (it led the
 * in-process flight and did not get another container's entry); otherwise it was served by an
 * identical request's answer. `cacheMs` and `waitMs` cover the whole request (lookups included);
 * `skipped` says why the cache was skipped, when it was.
 */
export interface Settled {
  readonly filled: Filled;
  readonly modelCalled: boolean;
  readonly cacheMs: number;
  readonly waitMs: number;
  readonly skipped?: string;
}

/**
 * The miss step: in-process single flight, then the lock at the entry's key across containers,
 * then the model, then the store (and the semantic index). Runs once per key and mode per
 * container; a follower waits for the leader's result, and only the leader pays (and reports)
 * the lock's and the store's cache time.
 */
export class MissPath {
  private readonly flights = new SingleFlight<Fill>();

  constructor(
    private readonly store: EntryStore,
    private readonly guard: CacheGuard,
    private readonly observer: CacheObserver,
    private readonly lock: EntryLock,
    private readonly now: () => number,
  ) {}

  async settle(request: CacheRequest, miss: Miss, call: CallModel): Promise<Settled> {
    const started = performance.now();
    const { value: fill, leader } = await this.flights.run(flightKey(miss.key, request.mode), () => this.fill(request, miss, call));
    if (!leader) return { filled: fill.filled, modelCalled: false, cacheMs: miss.cacheMs, waitMs: performance.now() - started, ...skippedOf(miss.skipped) };
    const modelCalled = fill.filled.kind === 'model';
    return { filled: fill.filled, modelCalled, cacheMs: miss.cacheMs + fill.cacheMs, waitMs: fill.waitMs, ...skippedOf(fill.skipped) };
  }

  /**
   * The leader's run: lock (or wait for the lock holder's entry), model, store. The lock is kept
   * alive while the model answers, and its renewals stop on every path before the store or release.
   */
  private async fill(request: CacheRequest, miss: Miss, call: CallModel): Promise<Fill> {
    let cacheMs = 0;
    let waitMs = 0;
    let skipped = miss.skipped;
    let token: string | undefined;
    // A request that cannot write (cache down, breaker open) never takes a lock.
    if (skipped === undefined && this.guard.availableFor(miss.key)) {
      const acquired = await this.lock.acquire(miss.key, miss.scope, miss.lockSeen, request.deadline);
      cacheMs += acquired.cacheMs;
      waitMs += acquired.waitMs;
      if (acquired.kind === 'taken') token = acquired.token;
      // The cache failed this request once already: it pays the timeout once, not again on the store.
      else if (acquired.kind === 'failed') skipped = acquired.reason;
      else if (acquired.kind === 'out-of-time') throw new InFlightTimeoutError(IN_FLIGHT_TIMEOUT_MESSAGE);
      else if (acquired.kind === 'entry') {
        // The lock holder may have been a standard request: a semantic one indexes what it got.
        await this.addToIndex(request, miss, encodeEntry(acquired.entry));
        return { filled: { kind: 'cache', entry: acquired.entry }, cacheMs, waitMs, ...skippedOf(skipped) };
      }
    }
    const renewal = token === undefined ? undefined : this.lock.keepAlive(miss.key, token, request.deadline);
    let answer: ModelAnswer;
    try {
      answer = await call(miss.converse);
    } catch (error) {
      await renewal?.stop();
      if (token !== undefined) await this.lock.release(miss.key, token);
      throw error;
    }
    await renewal?.stop();
    // Whatever is not stored releases the lock, so no one elsewhere waits out the wait bound for it.
    if (isStorable(answer) && skipped === undefined) await this.write(request, miss, answer, token);
    else if (token !== undefined) await this.lock.release(miss.key, token);
    return { filled: { kind: 'model', answer }, cacheMs, waitMs, ...skippedOf(skipped) };
  }

  /**
   * Writes the entry over our lock (when we hold it). When the write fails (error, timeout) the
   * lock is released at once: followers in other containers then call the model themselves
   * instead of waiting the whole wait bound for an entry that will never come. The release is a
   * compare-and-delete, so a write that landed late (after its timeout) is never deleted.
   */
  private async write(request: CacheRequest, miss: Miss, answer: ModelAnswer, token: string | undefined): Promise<void> {
    const encoded = encodeEntry(toEntry(answer, miss.scope, this.now()));
    const stored = await this.guard.run(() => this.store.set(miss.key, encoded, request.ttlSeconds * 1000), miss.key);
    if (!stored.ok) {
      this.observer.fault({ operation: 'store', reason: stored.reason, error: stored.error });
      if (token !== undefined) await this.lock.release(miss.key, token);
    }
    await this.addToIndex(request, miss, encoded);
  }

  /** Adds the answer to the semantic index when this request embedded its prompt (semantic mode). */
  private async addToIndex(request: CacheRequest, miss: Miss, encoded: string): Promise<void> {
    if (miss.indexing === undefined) return;
    const { index, vector, facts } = miss.indexing;
    const id = miss.key.slice(miss.key.lastIndexOf(':') + 1);
    const added = await this.guard.run(() => index.add({ scope: miss.scope, id, namespace: request.namespace, vector, entry: encoded, ttlMs: request.ttlSeconds * 1000, facts }));
    if (!added.ok) this.observer.fault({ operation: 'store', reason: added.reason, error: added.error });
  }
}

/** What a request is told when its invocation ends before the identical request it waits on answers. */
const IN_FLIGHT_TIMEOUT_MESSAGE =
  'an identical request is still being answered and this invocation is about to time out; retry shortly to get its answer from the cache';

/**
 * The in-process single-flight key: the entry key and the mode, so a semantic request never
 * shares the flight of a standard one (which would not index the answer).
 */
function flightKey(key: string, mode: CacheMode): string {
  return `${key}\u0000${mode}`;
}

function skippedOf(skipped: string | undefined): { skipped?: string } {
  return skipped === undefined ? {} : { skipped };
}
