import { decodeValue, type CacheEntry } from '../core/entry';
import type { CacheObserver } from '../observability/observer';
import type { EntryStore } from '../stores/entry-store';
import { ANSWER_RESERVE_MS, waitForEntry, type EntryLock, type LockOptions } from './entry-lock';
import type { CacheGuard } from './guard';
import type { LockRenewal } from './lock-renewal';

/**
 * The key of a refresh's lock: beside the entry's own key, never on it. The entry key's lock is a
 * SET NX, which fails while an entry exists, so a refresh (made precisely while one exists) needs
 * its own; under `llmcache:` like every key (the ACL's pattern), and named with its namespace (purge).
 */
export function refreshLockKey(entryKey: string): string {
  return `${entryKey}:refresh`;
}

/**
 * How a refresh came out of its lock, with its cache time and the time it waited (`LockWait`): it
 * holds the lock (`taken`: call the model, write, release); it got the `entry` a concurrent refresh
 * wrote; `none`: neither (its wait ran out, or a read failed), so it calls the model without the
 * lock; `failed`: the lock attempt failed (reported), so the cache is skipped; `out-of-time`: the
 * holder is alive but this request's invocation ends before its answer can come.
 */
export type RefreshAcquired =
  | { readonly kind: 'taken'; readonly token: string; readonly cacheMs: number; readonly waitMs: number }
  | { readonly kind: 'entry'; readonly entry: CacheEntry; readonly cacheMs: number; readonly waitMs: number }
  | { readonly kind: 'none' | 'out-of-time'; readonly cacheMs: number; readonly waitMs: number }
  | { readonly kind: 'failed'; readonly reason: string; readonly cacheMs: number; readonly waitMs: number };

/**
 * Cross-container single flight of refreshes, at `refreshLockKey(key)`: `EntryLock`'s own take
 * (SET NX PX with a random token), renewal (compare-and-extend every third of the TTL while the
 * model answers) and release (compare-and-delete), on the other key. What differs is the end: a
 * refresh's leader writes the entry at the entry key (a plain SET over the old one) and then always
 * releases its lock, so a follower waits for the lock to go and then reads the entry key. It takes
 * the entry when it is not the one it read while the lock was held (the leader replaced it), and
 * takes the lock over otherwise (the leader failed, stored nothing, or died): it never answers a
 * refresh with the answer being replaced.
 *
 * One race is left, on the safe side: a follower whose first read comes after the leader's write but
 * before its release sees no change and calls the model a second time (never an old answer).
 */
export class RefreshLock {
  constructor(
    private readonly store: EntryStore,
    private readonly guard: CacheGuard,
    private readonly observer: CacheObserver,
    private readonly lock: EntryLock,
    private readonly options: LockOptions,
  ) {}

  /** Takes the refresh lock of `key`, or waits for its holder's entry; `deadline` as in `EntryLock.acquire`. */
  async acquire(key: string, scope: string, deadline?: number): Promise<RefreshAcquired> {
    const lockKey = refreshLockKey(key);
    const waitEnd = performance.now() + this.options.waitMs;
    const invocationEnd = deadline === undefined ? Number.POSITIVE_INFINITY : deadline - ANSWER_RESERVE_MS;
    const until = Math.min(waitEnd, invocationEnd);
    let cacheMs = 0;
    let waitMs = 0;
    let before: string | null | undefined;
    for (;;) {
      const taken = await this.lock.take(lockKey, deadline);
      cacheMs += taken.cacheMs;
      if (taken.kind === 'taken') return { kind: 'taken', token: taken.token, cacheMs, waitMs };
      if (taken.kind === 'failed') return { kind: 'failed', reason: taken.reason, cacheMs, waitMs };
      const started = performance.now();
      // The entry the holder is replacing, read once while its lock was seen held.
      before ??= await this.read(key);
      // The lock key holds only lock markers: the wait ends `gone` when the holder releases it.
      const waited = before === undefined ? UNREADABLE : await waitForEntry(this.store, this.guard, lockKey, scope, until, this.options.pollMs);
      waitMs += performance.now() - started;
      if (waited.kind === 'gone') {
        const after = await this.read(key);
        const entry = after === undefined || after === null || after === before ? undefined : decodeValue(after, scope);
        if (entry?.kind === 'entry') return { kind: 'entry', entry: entry.entry, cacheMs, waitMs };
        if (after === undefined) return { kind: 'none', cacheMs, waitMs };
        continue;
      }
      const outOfTime = waited.kind === 'held' && invocationEnd <= waitEnd;
      return { kind: outOfTime ? 'out-of-time' : 'none', cacheMs, waitMs };
    }
  }

  keepAlive(key: string, token: string, deadline?: number): LockRenewal {
    return this.lock.keepAlive(refreshLockKey(key), token, deadline);
  }

  release(key: string, token: string): Promise<void> {
    return this.lock.release(refreshLockKey(key), token);
  }

  /** The raw value at `key` (null: none); undefined when the read failed (reported as a `lock` fault). */
  private async read(key: string): Promise<string | null | undefined> {
    const read = await this.guard.run(() => this.store.get(key), key);
    if (read.ok) return read.value;
    this.observer.fault({ operation: 'lock', reason: read.reason, error: read.error });
    return undefined;
  }
}

const UNREADABLE = { kind: 'unusable' } as const;
