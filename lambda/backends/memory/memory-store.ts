import { DEFAULT_MEMORY_MAX_BYTES, DEFAULT_MEMORY_MAX_ENTRIES, ENTRY_OVERHEAD_BYTES, ExpiringLru, stringBytes } from '../../core/expiring-lru';
import { isLockMarker } from '../../core/entry';
import { namespaceOfKey } from '../../core/key-layout';
import { isEntryKey } from '../../core/purge-keys';
import type { EntryStore } from '../../stores/entry-store';

/**
 * The embedded, in-process store: entries with per-entry expiry, bounded in entries (default
 * 10,000, `MEMORY_MAX_ENTRIES`) and estimated bytes (default 64 MiB, `MEMORY_MAX_BYTES`: key and
 * value at two bytes a character plus a fixed overhead), least recently used out first, expired
 * entries swept as writes go on. It lives as long as the process (one Lambda container), so it
 * suits local runs and single-container tests.
 */
export class MemoryStore implements EntryStore {
  private readonly slots: ExpiringLru<string>;

  constructor(maxEntries: number = DEFAULT_MEMORY_MAX_ENTRIES, now: () => number = Date.now, maxBytes: number = DEFAULT_MEMORY_MAX_BYTES) {
    this.slots = new ExpiringLru<string>({ maxEntries, maxBytes }, now);
  }

  get size(): number {
    return this.slots.size;
  }

  /** Estimated bytes held. */
  get bytes(): number {
    return this.slots.bytes;
  }

  async get(key: string): Promise<string | null> {
    return this.slots.get(key) ?? null;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.slots.set(key, value, ttlMs, stringBytes(key) + stringBytes(value) + ENTRY_OVERHEAD_BYTES);
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.slots.get(key) !== undefined) return false;
    await this.set(key, value, ttlMs);
    return true;
  }

  async deleteIfEquals(key: string, value: string): Promise<void> {
    if (this.slots.get(key) === value) this.slots.delete(key);
  }

  async delete(key: string): Promise<boolean> {
    // An expired entry counts as gone, as Redis would have expired it.
    const live = this.slots.get(key) !== undefined;
    this.slots.delete(key);
    return live;
  }

  /**
   * Removes every key of `namespace` at once (entries, locks, refresh locks): `entries` counts the
   * answers among them (not lock markers), `keys` all of them. One pass over the store.
   */
  purge(namespace: string): { entries: number; keys: number } {
    let entries = 0;
    const keys = this.slots.deleteWhere((key, value) => {
      if (namespaceOfKey(key) !== namespace) return false;
      if (isEntryKey(key, namespace) && !isLockMarker(value)) entries++;
      return true;
    });
    return { entries, keys };
  }

  async extendIfEquals(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.slots.get(key) !== value) return false;
    await this.set(key, value, ttlMs);
    return true;
  }
}
