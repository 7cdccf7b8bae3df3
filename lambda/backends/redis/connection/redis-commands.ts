/**
 * The few client methods the Redis-backed parts call. ioredis' `Redis` and `Cluster` both fit,
 * and so would any client with the same shape; no vendor type leaks into the cache code.
 */
export interface RedisCommands {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, px: 'PX', ttlMs: number): Promise<unknown>;
  set(key: string, value: string, px: 'PX', ttlMs: number, nx: 'NX'): Promise<unknown>;
  eval(script: string, numKeys: number, ...args: (string | number | Buffer)[]): Promise<unknown>;
  call(command: string, ...args: (string | number | Buffer)[]): Promise<unknown>;
  callBuffer(command: string, ...args: (string | number | Buffer)[]): Promise<unknown>;
  /**
   * Binary replies of the client-side semantic index. Named methods rather than `callBuffer`:
   * with auto-pipelining on (a client a user passes in may have it), ioredis forwards only `call`
   * correctly. On a cluster, the keys of one `mgetBuffer` share one slot.
   */
  xrangeBuffer(key: string, start: string, end: string, count: 'COUNT', limit: number): Promise<[Buffer, Buffer[]][]>;
  mgetBuffer(...keys: string[]): Promise<(Buffer | null)[]>;
}

/** Resolves the client lazily (credentials may come from Secrets Manager on first use). */
export type RedisProvider = () => Promise<RedisCommands>;
