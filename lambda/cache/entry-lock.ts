import { randomUUID } from 'node:crypto';
import { decodeValue, encodeLock, type CacheEntry } from '../core/entry';
import type { CacheObserver } from '../observability/observer';
import type { EntryStore } from '../stores/entry-store';
import type { CacheGuard } from './guard';
import { LockRenewal, type Renewed } from './lock-renewal';

/** Cross-container single flight: how long a lock lives and how long others wait on it. */
export interface LockOptions {
  /**
   * Lock expiry, renewed every third of it while the holder works: frees waiters when the holder
   * dies (stops renewing). @default 20000
   */
  readonly ttlMs: number;
  /**
   * Longest a follower waits for a live holder's answer before calling the model itself; the
   * invocation's end (`CacheRequest.deadline`) bounds the wait first. @default 900000 (the Lambda
   * maximum timeout: in Lambda only the invocation bounds it)
   */
  readonly waitMs: number;
  /** First poll interval; grows 1.5x per poll up to 250 ms. @default 25 */
  readonly pollMs: number;
}

export const DEFAULT_LOCK_OPTIONS: LockOptions = { ttlMs: 20_000, waitMs: 900_000, pollMs: 25 };

/** Longest pause between two polls of a waiter, in ms. */
const MAX_POLL_MS = 250;

/**
 * Time a waiter keeps back from its invocation's end to answer: it stops waiting this long before
 * the deadline (and answers `InFlightTimeout`) rather than be stopped by Lambda's timeout.
 */
export const ANSWER_RESERVE_MS = 1000;

/**
 * What an attempt to take the lock found, with the time it spent in the cache (`cacheMs`, part of
 * the request's cache time): the lock is ours (`token` releases it), another request holds it (or
 * has already stored the entry), or the cache failed (`reason`, already reported as a `lock` fault).
 */
export type Taken =
  | { readonly kind: 'taken'; readonly token: string; readonly cacheMs: number }
  | { readonly kind: 'held'; readonly cacheMs: number }
  | { readonly kind: 'failed'; readonly reason: string; readonly cacheMs: number };

/**
 * How a request came out of the lock, with its cache time and the time it waited (`waitMs`, the
 * `LockWait` metric): it holds the lock (`taken`: call the model, then write over it or release
 * it); it got the holder's `entry`; `none`: neither (its configured wait ran out, the value became
 * unreadable here, or a read failed), so it calls the model without the lock; `failed`: the lock
 * attempt failed (reported), so the cache is skipped; `out-of-time`: the holder is alive but this
 * request's invocation ends before its answer can come.
 */
export type Acquired =
  | { readonly kind: 'taken'; readonly token: string; readonly cacheMs: number; readonly waitMs: number }
  | { readonly kind: 'entry'; readonly entry: CacheEntry; readonly cacheMs: number; readonly waitMs: number }
  | { readonly kind: 'none' | 'out-of-time'; readonly cacheMs: number; readonly waitMs: number }
  | { readonly kind: 'failed'; readonly reason: string; readonly cacheMs: number; readonly waitMs: number };

/**
 * What a wait for a lock holder's entry saw last: the `entry`; the lock `gone` without one (the
 * holder released it after a failure, or it expired: the holder died); the lock still `held` when
 * the time ran out; or a value `unusable` here (corrupt, an entry of another scope) or a failed read.
 */
export type WaitOutcome =
  | { readonly kind: 'entry'; readonly entry: CacheEntry }
  | { readonly kind: 'gone' | 'held' | 'unusable' };

/**
 * The cross-container lock at an entry's key, the whole protocol in one place. The leader of a
 * miss takes it with SET NX PX and a random token (`acquire`, `take`) and keeps it alive while it
 * calls the model (`keepAlive`: a compare-and-extend on its token every third of the TTL); the
 * others poll, bounded, until the leader's entry replaces it, and take the lock over when it goes
 * away without one (the leader failed, or died and its lock expired). The leader ends it either
 * by writing its entry over it (the miss path's store, a plain SET) or, when it will store nothing
 * (model error, answer not storable, store failed), by `release`: a compare-and-delete on its own
 * token, so a lock another request took after ours expired, or an entry that landed late, is never
 * deleted. A lock never lives past its holder's invocation (`CacheRequest.deadline`).
 *
 * Every operation runs under the guard: a cache fault never fails the request, it only makes the
 * lock unavailable (no lock taken, no wait, no renewal), and is reported as a `lock` fault.
 */
export class EntryLock {
  constructor(
    private readonly store: EntryStore,
    private readonly guard: CacheGuard,
    private readonly observer: CacheObserver,
    private readonly options: LockOptions = DEFAULT_LOCK_OPTIONS,
  ) {}

  /**
   * Takes the lock, or waits for its holder's entry, taking the lock over when it goes away
   * without one. `held`: the lookup already saw the lock (wait first). `deadline`: the
   * invocation's end; the wait stops `ANSWER_RESERVE_MS` before it.
   */
  async acquire(key: string, scope: string, held: boolean, deadline?: number): Promise<Acquired> {
    const waitEnd = performance.now() + this.options.waitMs;
    const invocationEnd = deadline === undefined ? Number.POSITIVE_INFINITY : deadline - ANSWER_RESERVE_MS;
    const until = Math.min(waitEnd, invocationEnd);
    let cacheMs = 0;
    let waitMs = 0;
    let lockSeen = held;
    for (;;) {
      if (!lockSeen) {
        const taken = await this.take(key, deadline);
        cacheMs += taken.cacheMs;
        if (taken.kind === 'taken') return { kind: 'taken', token: taken.token, cacheMs, waitMs };
        if (taken.kind === 'failed') return { kind: 'failed', reason: taken.reason, cacheMs, waitMs };
      }
      const started = performance.now();
      const waited = await waitForEntry(this.store, this.guard, key, scope, until, this.options.pollMs);
      waitMs += performance.now() - started;
      if (waited.kind === 'entry') return { kind: 'entry', entry: waited.entry, cacheMs, waitMs };
      if (waited.kind === 'gone') {
        lockSeen = false;
        continue;
      }
      const outOfTime = waited.kind === 'held' && invocationEnd <= waitEnd;
      return { kind: outOfTime ? 'out-of-time' : 'none', cacheMs, waitMs };
    }
  }

  async take(key: string, deadline?: number): Promise<Taken> {
    const token = randomUUID();
    const started = performance.now();
    const taken = await this.guard.run(() => this.store.setIfAbsent(key, encodeLock(token), this.lifeMs(deadline)), key);
    const cacheMs = performance.now() - started;
    if (taken.ok) return taken.value ? { kind: 'taken', token, cacheMs } : { kind: 'held', cacheMs };
    this.observer.fault({ operation: 'lock', reason: taken.reason, error: taken.error });
    return { kind: 'failed', reason: taken.reason, cacheMs };
  }

  /** Extends the lock if it still holds `token`; a failure is reported, never thrown. */
  async renew(key: string, token: string, deadline?: number): Promise<Renewed> {
    const renewed = await this.guard.run(() => this.store.extendIfEquals(key, encodeLock(token), this.lifeMs(deadline)), key);
    if (renewed.ok) return renewed.value ? 'renewed' : 'lost';
    this.observer.fault({ operation: 'lock', reason: renewed.reason, error: renewed.error });
    return 'failed';
  }

  /** Renews the lock every third of its TTL until `stop` (or the deadline); see `LockRenewal`. */
  keepAlive(key: string, token: string, deadline?: number): LockRenewal {
    return new LockRenewal(() => this.renew(key, token, deadline), Math.max(1, Math.floor(this.options.ttlMs / 3)), deadline);
  }

  /** Deletes the lock if it still holds `token`; a failure is reported, never thrown. */
  async release(key: string, token: string): Promise<void> {
    const released = await this.guard.run(() => this.store.deleteIfEquals(key, encodeLock(token)), key);
    if (!released.ok) this.observer.fault({ operation: 'lock', reason: released.reason, error: released.error });
  }

  /** The TTL, cut to what is left of the holder's invocation: a lock never outlives its holder. */
  private lifeMs(deadline: number | undefined): number {
    if (deadline === undefined) return this.options.ttlMs;
    return Math.max(1, Math.min(this.options.ttlMs, Math.ceil(deadline - performance.now())));
  }
}

/**
 * Waits, until `until` (a `performance.now()` time), for the holder of a lock to store its answer,
 * polling from every `pollMs` up to every 250 ms. Never throws.
 */
export async function waitForEntry(store: EntryStore, guard: CacheGuard, key: string, scope: string, until: number, pollMs: number): Promise<WaitOutcome> {
  // A monotonic clock: a wall-clock step (NTP) must neither end the wait early nor stretch it. The
  // global `performance` (not node:perf_hooks' export), so jest's fake timers drive the wait.
  let interval = pollMs;
  while (performance.now() < until) {
    await sleep(Math.min(interval, Math.max(0, until - performance.now())));
    interval = Math.min(interval * 1.5, MAX_POLL_MS);
    const read = await guard.run(() => store.get(key), key);
    if (!read.ok) return UNUSABLE;
    if (read.value === null) return GONE;
    const decoded = decodeValue(read.value, scope);
    if (decoded.kind === 'entry') return { kind: 'entry', entry: decoded.entry };
    if (decoded.kind === 'corrupt') return UNUSABLE;
  }
  return HELD;
}

const GONE: WaitOutcome = { kind: 'gone' };
const HELD: WaitOutcome = { kind: 'held' };
const UNUSABLE: WaitOutcome = { kind: 'unusable' };

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
