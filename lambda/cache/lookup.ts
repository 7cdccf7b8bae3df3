import { performance } from 'node:perf_hooks';
import { decodeValue, type CacheEntry } from '../core/entry';
import { canonicalForms, exactKeyOf, ScopeHashes, type KeyEncoder } from '../core/keys';
import type { CacheRequest, ConverseRequest, SemanticUnavailableReason } from '../core/types';
import type { CacheObserver } from '../observability/observer';
import type { EntryStore } from '../stores/entry-store';
import type { CacheGuard } from './guard';
import type { Indexing, Preparing, SemanticLookup } from './semantic-lookup';
import type { SemanticRejection } from '../semantic/same-question/candidate-check';

/** An answer found in the cache. `cacheMs`: the time the lookups spent in the cache. */
export interface Hit {
  readonly kind: 'hit';
  readonly entry: CacheEntry;
  readonly cache: 'exact' | 'semantic';
  readonly similarity?: number;
  readonly cacheMs: number;
  /** The entry's id: the digest of its exact key (exact hit: this request's; semantic: `SemanticHit.id`). */
  readonly id: string;
  /** The request's scope hash, which the entry shares. */
  readonly scope: string;
}

/** No answer in the cache: everything the miss path needs, fixed once the lookups are done. */
export interface Miss {
  readonly kind: 'miss';
  /** The exact entry key, where the lock and then the entry go. */
  readonly key: string;
  /** The scope hash every entry of this request carries. */
  readonly scope: string;
  readonly converse: ConverseRequest;
  /** Time the lookups spent in the cache. */
  readonly cacheMs: number;
  /**
   * Why the cache was skipped (the exact lookup failed: `timeout`, `error`, `circuit-open`). The
   * request already paid for one fault: the miss path then neither locks nor stores.
   */
  readonly skipped?: string;
  /** The exact lookup found another request's lock at the key: the miss path waits for its entry. */
  readonly lockSeen: boolean;
  /** Why semantic lookup was unavailable to this semantic request (reported in the response). */
  readonly semanticReason?: SemanticUnavailableReason;
  /** Set when the prompt was embedded: the answer this miss gets is indexed under it. */
  readonly indexing?: Indexing;
  /** The same-question check rejected the nearest neighbour above the threshold (reported in the response). */
  readonly semanticRejected?: SemanticRejection;
}

export type Found = Hit | Miss;

/**
 * The lookup step: the key and scope of a request, the exact lookup, then (semantic mode, cache
 * healthy) the semantic lookup inside the scope. Returns a hit, or a miss that carries its state.
 */
export class CacheLookup {
  private readonly scopes: ScopeHashes;

  constructor(
    private readonly store: EntryStore,
    private readonly guard: CacheGuard,
    private readonly observer: CacheObserver,
    private readonly semantic: SemanticLookup,
    private readonly encode: KeyEncoder,
  ) {
    this.scopes = new ScopeHashes(encode);
  }

  /**
   * On an exact hit this is the whole cache work of a request, kept to what it needs: the key's
   * hash (the scope's is usually remembered), one guarded GET, one await, one result object.
   */
  async find(request: CacheRequest, converse: ConverseRequest): Promise<Found> {
    const canonical = canonicalForms(request.namespace, converse);
    const id = this.encode(canonical.request);
    const key = exactKeyOf(request.namespace, id);
    const scope = this.scopes.of(canonical.scope);
    // A semantic request resolves its index (and lets it catch up on the scope) while the exact
    // lookup is in flight, so neither waits for the other.
    const preparing = request.mode === 'semantic' ? this.semantic.prepare(scope, request.namespace) : undefined;
    const started = performance.now();
    const read = await this.guard.run(() => this.store.get(key), key);
    const cacheMs = performance.now() - started;
    if (!read.ok) {
      // A failed lookup skips the cache for the rest of this request (no semantic lookup, no lock, no store).
      this.observer.fault({ operation: 'lookup', reason: read.reason, error: read.error });
      return { kind: 'miss', key, scope, converse, cacheMs, skipped: read.reason, lockSeen: false };
    }
    let lockSeen = false;
    if (read.value !== null) {
      const decoded = decodeValue(read.value, scope);
      if (decoded.kind === 'entry') return { kind: 'hit', entry: decoded.entry, cache: 'exact', cacheMs, id, scope };
      if (decoded.kind === 'lock') lockSeen = true;
      else this.observer.corruptEntry(decoded.reason);
    }
    if (preparing === undefined) return { kind: 'miss', key, scope, converse, cacheMs, lockSeen };
    return this.findSimilar(request, preparing, { kind: 'miss', key, scope, converse, cacheMs, lockSeen });
  }

  private async findSimilar(request: CacheRequest, preparing: Preparing, exact: Miss): Promise<Found> {
    const found = await this.semantic.find(request, exact.scope, preparing, exact.key.slice(exact.key.lastIndexOf(':') + 1));
    const cacheMs = exact.cacheMs + found.cacheMs;
    if (found.hit) return { kind: 'hit', entry: found.hit.entry, cache: 'semantic', similarity: found.hit.similarity, cacheMs, id: found.hit.id, scope: exact.scope };
    return {
      ...exact,
      cacheMs,
      ...(found.reason ? { semanticReason: found.reason } : {}),
      ...(found.indexing ? { indexing: found.indexing } : {}),
      ...(found.rejected ? { semanticRejected: found.rejected } : {}),
    };
  }
}
