import type { EntryStore } from '../../stores/entry-store';
import type { RedisCommands, RedisProvider } from './connection/redis-commands';

/** Deletes a key only while it holds the caller's value: releases our lock, never someone else's entry. */
const DELETE_IF_EQUALS = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

/**
 * Resets a key's expiry only while it holds the caller's value: renews our lock, never someone
 * else's lock or an entry written over ours. PEXPIRE answers 1 when it set the expiry.
 */
const EXTEND_IF_EQUALS = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0";

/**
 * Exact entries in Redis, ElastiCache or MemoryDB: one string key per entry, one command per
 * operation (a hit is a single GET). Works unchanged on the cluster protocol because every
 * operation touches one key.
 */
export class RedisStore implements EntryStore {
  /**
   * @param readyClient the connected client when there is one, synchronously: a hit then issues its
   *   GET with no promise hops through the provider (measured: the provider's nested async calls
   *   cost more than the GET's own client work). Absent or undefined: the provider resolves it.
   */
  constructor(
    private readonly redis: RedisProvider,
    private readonly readyClient?: () => RedisCommands | undefined,
  ) {}

  get(key: string): Promise<string | null> {
    const client = this.readyClient?.();
    return client !== undefined ? client.get(key) : this.redis().then((connected) => connected.get(key));
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await (await this.redis()).set(key, value, 'PX', ttlMs);
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    return (await (await this.redis()).set(key, value, 'PX', ttlMs, 'NX')) === 'OK';
  }

  async deleteIfEquals(key: string, value: string): Promise<void> {
    await (await this.redis()).eval(DELETE_IF_EQUALS, 1, key, value);
  }

  /**
   * UNLINK rather than DEL: the same answer (the number of keys removed) and the same effect for
   * every reader at once, but the server frees the value's memory in a background thread, so a
   * large answer never stalls the shard's other clients while it is freed.
   */
  async delete(key: string): Promise<boolean> {
    return (await (await this.redis()).call('UNLINK', key)) === 1;
  }

  async extendIfEquals(key: string, value: string, ttlMs: number): Promise<boolean> {
    return (await (await this.redis()).eval(EXTEND_IF_EQUALS, 1, key, value, ttlMs)) === 1;
  }
}
