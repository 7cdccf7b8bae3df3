import { randomUUID } from 'node:crypto';
import { decodeValue, encodeLock, type CacheEntry } from '../core/entry';
import type { CacheObserver } from '../observability/observer';
import type { EntryStore } from '../stores/entry-store';
import type { CacheGuard } from './guard';

/** Cross-container single flight: how long a lock lives and how long others wait on it. */
export interface LockOptions {
  /** Lock expiry: frees waiters if the leader dies. @default 20000 */
  readonly ttlMs: number;
  /** Longest a follower waits for the leader's answer before calling the model itself. @default 20000 */
  readonly waitMs: number;
  /** First poll interval; grows 1.5x per poll up to 250 ms. @default 25 */
  readonly pollMs: number;
}

export const DEFAULT_LOCK_OPTIONS: LockOptions = { ttlMs: 20_000, waitMs: 20_000, pollMs: 25 };

/** Longest pause between two polls of a waiter, in ms. */
const MAX_POLL_MS = 250;

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
 * What a wait for the lock holder's entry gave: the entry, or null (then the caller asks the model
 * itself), and how long it waited: the request's `waitMs`, which the observer reports as the
 * `LockWait` metric.
 */
export interface Waited {
  readonly entry: CacheEntry | null;
  readonly waitMs: number;
}

/**
 * The cross-container lock at an entry's key, the whole protocol in one place. The leader of a
 * miss takes it with SET NX PX and a random token (`take`); followers poll, bounded, until the
 * leader's entry replaces it (`waitForEntry`). The leader ends it either by writing its entry over
 * it (the miss path's store, a plain SET) or, when it will store nothing (model error, answer not
 * storable, store failed), by `release`: a compare-and-delete on its own token, so a lock another
 * request took after ours expired, or an entry that landed late, is never deleted.
 *
 * Every operation runs under the guard: a cache fault never fails the request, it only makes the
 * lock unavailable (no lock taken, no wait), and is reported as a `lock` fault.
 */
export class EntryLock {
  constructor(
    private readonly store: EntryStore,
    private readonly guard: CacheGuard,
    private readonly observer: CacheObserver,
    private readonly options: LockOptions = DEFAULT_LOCK_OPTIONS,
  ) {}

  async take(key: string): Promise<Taken> {
    const token = randomUUID();
    const started = performance.now();
    const taken = await this.guard.run(() => this.store.setIfAbsent(key, encodeLock(token), this.options.ttlMs), key);
    const cacheMs = performance.now() - started;
    if (taken.ok) return taken.value ? { kind: 'taken', token, cacheMs } : { kind: 'held', cacheMs };
    this.observer.fault({ operation: 'lock', reason: taken.reason, error: taken.error });
    return { kind: 'failed', reason: taken.reason, cacheMs };
  }

  async waitForEntry(key: string, scope: string): Promise<Waited> {
    const started = performance.now();
    const entry = await waitForEntry(this.store, this.guard, key, scope, this.options);
    return { entry, waitMs: performance.now() - started };
  }

  /** Deletes the lock if it still holds `token`; a failure is reported, never thrown. */
  async release(key: string, token: string): Promise<void> {
    const released = await this.guard.run(() => this.store.deleteIfEquals(key, encodeLock(token)), key);
    if (!released.ok) this.observer.fault({ operation: 'lock', reason: released.reason, error: released.error });
  }
}

/**
 * Waits, bounded, for the holder of a lock to store its answer. Returns the entry, or null when
 * the lock went away without one (the leader failed or its answer was not storable), the value
 * became unreadable here (corrupt, or an entry of another scope), the cache failed, or the wait
 * ran out; the caller then asks the model itself.
 */
export async function waitForEntry(store: EntryStore, guard: CacheGuard, key: string, scope: string, options: LockOptions): Promise<CacheEntry | null> {
  // A monotonic clock: a wall-clock step (NTP) must neither end the wait early nor stretch it. The
  // global `performance` (not node:perf_hooks' export), so jest's fake timers drive the wait.
  const deadline = performance.now() + options.waitMs;
  let interval = options.pollMs;
  while (performance.now() < deadline) {
    await sleep(Math.min(interval, Math.max(0, deadline - performance.now())));
    interval = Math.min(interval * 1.5, MAX_POLL_MS);
    const read = await guard.run(() => store.get(key), key);
    if (!read.ok || read.value === null) return null;
    const decoded = decodeValue(read.value, scope);
    if (decoded.kind === 'entry') return decoded.entry;
    if (decoded.kind === 'corrupt') return null;
  }
  return null;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
