import type { EntryStore } from './entry-store';

/** Default bound on the embedded store: beyond it the least recently written entries go first. */
export const DEFAULT_MEMORY_MAX_ENTRIES = 10_000;

interface Slot {
  readonly value: string;
  readonly expiresAt: number;
}

/**
 * The embedded, in-process store: a Map with per-entry expiry, bounded in size. It lives as long
 * as the process (one Lambda container), so it suits local runs and single-container tests.
 */
export class MemoryStore implements EntryStore {
  private readonly slots = new Map<string, Slot>();

  constructor(
    private readonly maxEntries: number = DEFAULT_MEMORY_MAX_ENTRIES,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.slots.size;
  }

  async get(key: string): Promise<string | null> {
    return this.live(key)?.value ?? null;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.slots.delete(key);
    this.slots.set(key, { value, expiresAt: this.now() + ttlMs });
    this.evictOverflow();
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.live(key) !== undefined) return false;
    await this.set(key, value, ttlMs);
    return true;
  }

  async deleteIfEquals(key: string, value: string): Promise<void> {
    if (this.live(key)?.value === value) this.slots.delete(key);
  }

  private live(key: string): Slot | undefined {
    const slot = this.slots.get(key);
    if (slot === undefined) return undefined;
    if (slot.expiresAt <= this.now()) {
      this.slots.delete(key);
      return undefined;
    }
    return slot;
  }

  private evictOverflow(): void {
    while (this.slots.size > this.maxEntries) {
      const oldest = this.slots.keys().next().value;
      if (oldest === undefined) return;
      this.slots.delete(oldest);
    }
  }
}
