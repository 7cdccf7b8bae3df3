import { decodeValue, type CacheEntry } from '../core/entry';
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

/**
 * Waits, bounded, for the holder of a lock to store its answer. Returns the entry, or null when
 * the lock went away without one (the leader failed or its answer was not storable), the cache
 * failed, or the wait ran out; the caller then asks the model itself.
 */
export async function waitForEntry(store: EntryStore, guard: CacheGuard, key: string, scope: string, options: LockOptions): Promise<CacheEntry | null> {
  // A monotonic clock: a wall-clock step (NTP) must neither end the wait early nor stretch it.
  const deadline = performance.now() + options.waitMs;
  let interval = options.pollMs;
  while (performance.now() < deadline) {
    await sleep(Math.min(interval, Math.max(0, deadline - performance.now())));
    interval = Math.min(interval * 1.5, 250);
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
