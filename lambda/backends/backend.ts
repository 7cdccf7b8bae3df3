import type { BackendKind, RuntimeConfig } from '../core/config';
import type { CacheObserver } from '../observability/observer';
import type { SemanticIndex } from '../semantic/semantic-index';
import type { EntryStore } from '../stores/entry-store';
import type { RedisProvider } from './redis/connection/redis-commands';

/**
 * What the orchestration needs from one kind of cache backend (`CACHE_BACKEND`). The
 * orchestration (`lambda/cache/`) sees only `EntryStore` and `SemanticIndex`; everything else a
 * backend knows (clients, key layout, shards) stays in its folder under `lambda/backends/`.
 */
export interface RuntimeBackend {
  /** Exact entries and the single-flight lock. */
  readonly store: EntryStore;
  /** The semantic index, resolved on first use (it may ask the server what it supports); null: none. */
  readonly semanticIndex: () => Promise<SemanticIndex | null>;
  /**
   * Names the part of the backend that serves a key (a cluster's shard, `host:port` of its
   * master), so each part gets its own circuit breaker. Absent, or undefined for a key: the
   * backend is one part, and one breaker covers it.
   */
  readonly shardOf?: (key: string) => string | undefined;
  /** Starts connecting in the background (Lambda init), without waiting or failing. */
  warmUp(): void;
  /**
   * The first connection while it is being made (started by `warmUp` or the first call), undefined
   * once it settled; absent on a backend with nothing to connect. The guard lets operations wait
   * for it under the connect deadline instead of their own (see `FirstConnection`).
   */
  readonly connecting?: () => Promise<void> | undefined;
  /**
   * Removes every key of `namespace`: entries, locks, refresh locks, semantic documents/vectors, change logs.
   * Bounded memory (SCAN batches + UNLINK); on a cluster every master. Stops at `deadline` (performance.now() ms)
   * with `complete: false`; a rerun continues (it is idempotent).
   */
  purge(namespace: string, deadline?: number): Promise<PurgeResult>;
  /** Closes connections (local tools and tests; a Lambda container never needs it). */
  close(): Promise<void>;
}

/** What a purge removed. */
export interface PurgeResult {
  readonly entries: number;
  readonly keys: number;
  readonly complete: boolean;
}

/** What a backend gets from the runtime besides its configuration. */
export interface BackendDeps {
  /** Where connection faults are reported (`operation: 'connect'`). */
  readonly observer: CacheObserver;
  /** A Redis client to use instead of the one built from the configuration (tests, a user's own function). */
  readonly redis?: RedisProvider;
}

export type BackendFactory = (config: RuntimeConfig, deps: BackendDeps) => RuntimeBackend;

/** One factory per backend kind; `satisfies` makes a new `BackendKind` without a unit a type error. */
export type BackendTable = { readonly [kind in BackendKind]: BackendFactory };
