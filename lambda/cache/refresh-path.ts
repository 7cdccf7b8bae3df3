import { performance } from 'node:perf_hooks';
import { isStorable } from '../core/entry';
import { InFlightTimeoutError } from '../core/errors';
import { canonicalForms, keyOf, type KeyEncoder } from '../core/keys';
import type { CacheRequest, ConverseRequest } from '../core/types';
import type { CacheObserver } from '../observability/observer';
import type { SemanticIndex } from '../semantic/semantic-index';
import type { CacheGuard } from './guard';
import type { Miss } from './lookup';
import { IN_FLIGHT_TIMEOUT_MESSAGE, type CallModel, type Filled, type MissPath, type Settled } from './miss-path';
import type { RefreshLock } from './refresh-lock';
import type { SemanticLookup } from './semantic-lookup';
import { SingleFlight } from './single-flight';

/** How a refresh ended (as a miss's `Settled`), with the key and scope of the entry it replaced. */
export interface Refreshed {
  readonly settled: Settled;
  readonly key: string;
  readonly scope: string;
}

/** The leader's run of a refresh: what it produced and what it cost. */
interface Fill {
  readonly filled: Filled;
  readonly cacheMs: number;
  readonly waitMs: number;
  readonly skipped?: string;
}

/**
 * A request in mode `refresh`: no lookup; the model is called even when the cache holds an answer,
 * and its answer replaces the entry (a plain SET, with the request's TTL) and, where the backend
 * has a semantic index, the entry's document (the same stable id, so `add` replaces it: the old
 * document carries the old answer and would keep serving it to paraphrases). Identical concurrent
 * refreshes make one model call: in process through a single flight of their own (an ordinary miss
 * never joins a refresh's flight, nor a refresh a miss's), across containers through the refresh
 * lock (`RefreshLock`). A refresh does not wait for an ordinary miss of the same key, nor that miss
 * for it: both call the model and the later write stands.
 *
 * A cache fault never fails a refresh: the model's answer is returned and the fault reported; a
 * failed lock attempt skips the write too (`cacheSkipped`), as on a miss.
 */
export class RefreshPath {
  private readonly flights = new SingleFlight<Fill>();

  constructor(
    private readonly guard: CacheGuard,
    private readonly lock: RefreshLock,
    /** Writes the entry and its document, as a miss does (`MissPath.write`). */
    private readonly misses: MissPath,
    private readonly semantic: SemanticLookup,
    private readonly encode: KeyEncoder,
    private readonly observer: CacheObserver,
  ) {}

  async settle(request: CacheRequest, converse: ConverseRequest, call: CallModel): Promise<Refreshed> {
    const started = performance.now();
    const canonical = canonicalForms(request.namespace, converse);
    const target: Miss = { kind: 'miss', key: keyOf(request.namespace, canonical.request, this.encode), scope: this.encode(canonical.scope), converse, cacheMs: 0, lockSeen: false };
    const { value: fill, leader } = await this.flights.run(target.key, () => this.fill(request, target, call));
    const { key, scope } = target;
    if (!leader) return { key, scope, settled: { filled: fill.filled, modelCalled: false, cacheMs: 0, waitMs: performance.now() - started } };
    const settled: Settled = { filled: fill.filled, modelCalled: fill.filled.kind === 'model', cacheMs: fill.cacheMs, waitMs: fill.waitMs, ...(fill.skipped ? { skipped: fill.skipped } : {}) };
    return { key, scope, settled };
  }

  /**
   * The leader's run: the refresh lock (or a concurrent refresh's entry), the model while the
   * prompt is embedded, the write, the release. The lock is released after the write on every
   * path, so followers elsewhere read the new entry, or take the lock over when there is none.
   */
  private async fill(request: CacheRequest, target: Miss, call: CallModel): Promise<Fill> {
    let cacheMs = 0;
    let waitMs = 0;
    let skipped: string | undefined;
    let token: string | undefined;
    if (this.guard.availableFor(target.key)) {
      const acquired = await this.lock.acquire(target.key, target.scope, request.deadline);
      cacheMs += acquired.cacheMs;
      waitMs += acquired.waitMs;
      if (acquired.kind === 'taken') token = acquired.token;
      else if (acquired.kind === 'failed') skipped = acquired.reason;
      else if (acquired.kind === 'out-of-time') throw new InFlightTimeoutError(IN_FLIGHT_TIMEOUT_MESSAGE);
      else if (acquired.kind === 'entry') return { filled: { kind: 'cache', entry: acquired.entry }, cacheMs, waitMs };
    }
    const indexing = skipped === undefined ? this.semantic.indexingFor(request) : undefined;
    const renewal = token === undefined ? undefined : this.lock.keepAlive(target.key, token, request.deadline);
    try {
      const answer = await call(target.converse);
      await renewal?.stop();
      if (indexing !== undefined && isStorable(answer)) {
        const found = await indexing;
        cacheMs += found.cacheMs;
        await this.misses.write(request, found.indexing ? { ...target, indexing: found.indexing } : target, answer, undefined);
        // Not embedded (a failed or refused embedding): the old document would keep serving the
        // replaced answer to paraphrases, so it goes (the new entry is then reached exactly only).
        if (found.unindexed !== undefined) await this.removeDocument(found.unindexed, request, target);
      }
      return { filled: { kind: 'model', answer }, cacheMs, waitMs, ...(skipped ? { skipped } : {}) };
    } finally {
      // On every path (a model error too): no renewal after this, and the lock goes after the write.
      await renewal?.stop();
      if (token !== undefined) await this.lock.release(target.key, token);
    }
  }

  /** Takes the entry's document out of `index` (guarded; a failure is reported as a `store` fault). */
  private async removeDocument(index: SemanticIndex, request: CacheRequest, target: Miss): Promise<void> {
    const id = target.key.slice(target.key.lastIndexOf(':') + 1);
    const removed = await this.guard.run(() => index.remove(target.scope, id, request.namespace), target.key);
    if (!removed.ok) this.observer.fault({ operation: 'store', reason: removed.reason, error: removed.error });
  }
}
