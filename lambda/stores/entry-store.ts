/**
 * Where exact entries live. Values are opaque strings (encoded entries or lock markers); every
 * method is one round trip to the backend.
 */
export interface EntryStore {
  /** The value at `key`, or null. */
  get(key: string): Promise<string | null>;
  /** Writes `value` at `key`, replacing whatever is there, expiring after `ttlMs`. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Writes only if `key` is absent (`SET NX PX`); true when this call wrote it. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Deletes `key` only while it still holds `value` (releasing a lock this caller took). */
  deleteIfEquals(key: string, value: string): Promise<void>;
  /**
   * Sets the expiry of `key` to `ttlMs` from now only while it still holds `value` (renewing a
   * lock this caller holds); true when it did, false when the key holds anything else or nothing.
   */
  extendIfEquals(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Deletes `key` (UNLINK); true when it existed. */
  delete(key: string): Promise<boolean>;
}
