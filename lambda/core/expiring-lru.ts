/**
 * Default entry bound of each embedded structure (the memory store and the memory index).
 * Ten thousand answers is more than one warm Lambda container serves in a typical life.
 */
export const DEFAULT_MEMORY_MAX_ENTRIES = 10_000;

/**
 * Default byte bound (estimated, see `stringBytes`) of each embedded structure: 64 MiB. The store
 * and the index are bounded separately, so together they hold at most 128 MiB: a quarter of the
 * stacks' 512 MB function, leaving the Node.js runtime, the AWS SDK clients and request buffers
 * room. About 6,000 semantic documents of a 1024-dim vector and a 2,000-character answer.
 */
export const DEFAULT_MEMORY_MAX_BYTES = 64 * 1024 * 1024;

/**
 * Fixed cost of one entry beyond its strings and vector: the Map entry, the slot object and its
 * fields, V8 headers (measured with `node --expose-gc`: about 100-200 bytes; 200 is kept so the
 * estimate errs high).
 */
export const ENTRY_OVERHEAD_BYTES = 200;

/** Heap bytes of a string estimated as two per UTF-16 code unit (V8 stores some strings in one). */
export function stringBytes(value: string): number {
  return value.length * 2;
}

/** Least gap between two full sweeps of expired entries: at most one O(n) pass per second. */
const MIN_SWEEP_INTERVAL_MS = 1000;

export interface LruLimits {
  /** Most entries held; past it the least recently used go first. */
  readonly maxEntries: number;
  /** Most estimated bytes held; past it the least recently used go first. */
  readonly maxBytes: number;
}

interface Slot<V> {
  readonly value: V;
  readonly expiresAt: number;
  readonly bytes: number;
}

/**
 * A Map with per-entry expiry and a global bound on entries and estimated bytes, least recently
 * used out first (a read or a write makes an entry the most recent). Expired entries leave when
 * read, and all at once in a sweep when the clock has passed the earliest expiry held (at most
 * once a second, run by reads and writes, so no timer keeps the process alive): entries nobody reads again cannot
 * pile up. `onRemove` hears every removal (expiry, eviction, delete, replacement).
 */
export class ExpiringLru<V> {
  private readonly slots = new Map<string, Slot<V>>();
  private totalBytes = 0;
  private nextExpiry = Infinity;
  private lastSweep = -Infinity;

  constructor(
    private readonly limits: LruLimits,
    private readonly now: () => number,
    private readonly onRemove: (key: string, value: V) => void = () => undefined,
  ) {}

  get size(): number {
    return this.slots.size;
  }

  /** Estimated bytes held. */
  get bytes(): number {
    return this.totalBytes;
  }

  /** The live value at `key` (made the most recent), or undefined; an expired one is removed. */
  get(key: string): V | undefined {
    this.sweepIfDue(this.now());
    const slot = this.live(key);
    if (slot === undefined) return undefined;
    this.slots.delete(key);
    this.slots.set(key, slot);
    return slot.value;
  }

  /** Writes `value` as the most recent entry, then sweeps and evicts until within the limits. */
  set(key: string, value: V, ttlMs: number, bytes: number): void {
    this.delete(key);
    const now = this.now();
    const expiresAt = now + ttlMs;
    this.slots.set(key, { value, expiresAt, bytes });
    this.totalBytes += bytes;
    if (expiresAt < this.nextExpiry) this.nextExpiry = expiresAt;
    this.sweepIfDue(now);
    this.evictOverflow();
  }

  delete(key: string): boolean {
    const slot = this.slots.get(key);
    if (slot === undefined) return false;
    this.slots.delete(key);
    this.totalBytes -= slot.bytes;
    this.onRemove(key, slot.value);
    return true;
  }

  /**
   * Removes every live entry `matches` accepts and returns how many; expired entries met on the
   * way leave too, uncounted and unasked (one pass over all entries). `onRemove` hears each.
   */
  deleteWhere(matches: (key: string, value: V) => boolean): number {
    const now = this.now();
    let removed = 0;
    for (const [key, slot] of this.slots) {
      if (slot.expiresAt <= now) {
        this.delete(key);
      } else if (matches(key, slot.value)) {
        this.delete(key);
        removed++;
      }
    }
    return removed;
  }

  /** Removes every expired entry (one pass); returns how many left. */
  sweep(): number {
    const now = this.now();
    this.lastSweep = now;
    let next = Infinity;
    let removed = 0;
    for (const [key, slot] of this.slots) {
      if (slot.expiresAt <= now) {
        this.delete(key);
        removed++;
      } else if (slot.expiresAt < next) {
        next = slot.expiresAt;
      }
    }
    this.nextExpiry = next;
    return removed;
  }

  /** A full sweep once the earliest expiry has passed, at most once per `MIN_SWEEP_INTERVAL_MS`. */
  private sweepIfDue(now: number): void {
    if (now >= this.nextExpiry && now - this.lastSweep >= MIN_SWEEP_INTERVAL_MS) this.sweep();
  }

  private live(key: string): Slot<V> | undefined {
    const slot = this.slots.get(key);
    if (slot === undefined) return undefined;
    if (slot.expiresAt <= this.now()) {
      this.delete(key);
      return undefined;
    }
    return slot;
  }

  private overLimits(): boolean {
    return this.slots.size > this.limits.maxEntries || this.totalBytes > this.limits.maxBytes;
  }

  private evictOverflow(): void {
    while (this.overLimits()) {
      const oldest = this.slots.keys().next();
      if (oldest.done === true) return;
      this.delete(oldest.value);
    }
  }
}
