import { DEFAULT_MEMORY_MAX_BYTES, DEFAULT_MEMORY_MAX_ENTRIES, ENTRY_OVERHEAD_BYTES, ExpiringLru, stringBytes } from '../../core/expiring-lru';
import { norm } from '../../semantic/vectors/quantize';
import { DEFAULT_SEARCH_TUNING, type SearchTuning } from '../../semantic/vectors/scope-vectors';
import { MemoryScope, type MemoryDocument } from './memory-scope';
import { MAX_REJECTING_ASKERS, type SemanticDocument, type SemanticHit, type SemanticIndex } from '../../semantic/semantic-index';
import type { CandidateCheck } from '../../semantic/same-question/candidate-check';

/**
 * The embedded vector index. Per scope, the client-side index's in-process structure (int8
 * codes, a sign-sketch prefilter, int8 re-score with its error bound) names a few candidates and
 * the exact float32 cosine decides, as on the deployed backends; small scopes are scanned
 * exactly (`MemoryScope`). Bounded across all scopes, not per scope (every distinct system
 * prompt is a scope): entries (default 10,000, `MEMORY_MAX_ENTRIES`) and estimated bytes (default
 * 64 MiB, `MEMORY_MAX_BYTES`), least recently used (added or hit) out first. A document counts
 * its float32 vector, the answer, id and scope at two bytes a character and a fixed overhead;
 * each scope's prefilter structure counts every slot of its typed arrays (`structureBytes`), so
 * the documents get what the structures leave. Expired documents are swept as writes go on, and
 * a scope left empty is forgotten.
 */
export class MemoryIndex implements SemanticIndex {
  readonly kind = 'memory';
  private readonly scopes = new Map<string, MemoryScope>();
  private readonly documents: ExpiringLru<MemoryDocument>;
  /** Estimated bytes of every scope's prefilter structure. */
  private structures = 0;
  /** ScopeVectors' own bound: a third above the global entry bound, see `MemoryScope`. */
  private readonly maxSlots: number;

  constructor(
    maxEntries: number = DEFAULT_MEMORY_MAX_ENTRIES,
    private readonly now: () => number = Date.now,
    maxBytes: number = DEFAULT_MEMORY_MAX_BYTES,
    private readonly tuning: SearchTuning = DEFAULT_SEARCH_TUNING,
  ) {
    // ScopeVectors drops its oldest slot when its ring is full and under a quarter of it are
    // holes; with at most maxEntries live documents, 4/3 of that always leaves a quarter free,
    // so it compacts instead and never drops a live document behind the LRU's back.
    this.maxSlots = Math.ceil((maxEntries * 4) / 3) + 1;
    // The LRU reads its limits at every check: the byte limit it enforces on the documents is
    // what the structures leave of `maxBytes`, as they are now (an eviction may shrink them).
    const structures = (): number => this.structures;
    const limits = {
      maxEntries,
      get maxBytes(): number {
        return maxBytes - structures();
      },
    };
    this.documents = new ExpiringLru<MemoryDocument>(limits, now, (_key, document) => this.forget(document));
  }

  /** Documents held, across all scopes. */
  get size(): number {
    return this.documents.size;
  }

  /** Scopes holding at least one document. */
  get scopeCount(): number {
    return this.scopes.size;
  }

  /** Estimated bytes held: the documents and the scopes' prefilter structures. */
  get bytes(): number {
    return this.documents.bytes + this.structures;
  }

  /** Whether `scope` searches through the prefilter structure (for tests and measurements). */
  accelerated(scope: string): boolean {
    return this.scopes.get(scope)?.accelerated ?? false;
  }

  async search(scope: string, vector: Float32Array, threshold: number, check?: CandidateCheck, asker?: string): Promise<SemanticHit | null> {
    const held = this.scopes.get(scope);
    if (held === undefined) return null;
    const found = held.search(vector, threshold, this.now(), (document) => this.documents.delete(keyOf(document.scope, document.id)), check, asker);
    if (found === undefined) return null;
    const { document, similarity } = found;
    this.documents.get(keyOf(document.scope, document.id)); // a hit is a use: most recent now
    return { entry: document.entry, similarity, id: document.id };
  }

  async add(document: SemanticDocument): Promise<void> {
    const key = keyOf(document.scope, document.id);
    // A re-store (a refresh) replaces the answer, not the question: its rejections stay.
    const rejectedBy = this.scopes.get(document.scope)?.documents.get(document.id)?.rejectedBy;
    this.documents.delete(key);
    // A view on a larger buffer would keep the whole buffer alive: keep an exact-size copy.
    const vector = document.vector.byteLength === document.vector.buffer.byteLength ? document.vector : document.vector.slice();
    const now = this.now();
    const held: MemoryDocument = { scope: document.scope, id: document.id, namespace: document.namespace, vector, length: norm(vector), entry: document.entry, expiresAt: now + document.ttlMs, ...factsOf(document), ...(rejectedBy === undefined ? {} : { rejectedBy }) };
    let scope = this.scopes.get(document.scope);
    if (scope === undefined) {
      scope = new MemoryScope(this.maxSlots, this.tuning, (delta) => (this.structures += delta));
      this.scopes.set(document.scope, scope);
    }
    scope.add(held, now);
    const bytes = vector.byteLength + factsBytes(document) + stringBytes(document.entry) + stringBytes(key) + stringBytes(document.id) + stringBytes(document.scope) + ENTRY_OVERHEAD_BYTES;
    this.documents.set(key, held, document.ttlMs, bytes);
  }

  /** Removes the document at once: this container's memory is the only copy. An expired one counts as gone. */
  async remove(scope: string, id: string, _namespace: string): Promise<boolean> {
    const live = this.documents.get(keyOf(scope, id)) !== undefined;
    this.documents.delete(keyOf(scope, id));
    return live;
  }

  /**
   * Records `asker` on the document (kept with it, so it goes when the document goes), the
   * oldest forgotten past `MAX_REJECTING_ASKERS`. Not a use of the document: its place in the LRU
   * and its expiry stay as they were.
   */
  async reject(scope: string, id: string, _namespace: string, asker: string): Promise<boolean> {
    const document = this.scopes.get(scope)?.documents.get(id);
    if (document === undefined || document.expiresAt <= this.now()) return false;
    const askers = (document.rejectedBy ??= []);
    if (!askers.includes(asker)) {
      askers.push(asker);
      if (askers.length > MAX_REJECTING_ASKERS) askers.shift();
    }
    return true;
  }

  /**
   * Removes every document of `namespace` at once (one pass over the documents; each leaves its
   * scope's structure as an eviction would) and returns how many live ones it removed.
   */
  purge(namespace: string): number {
    return this.documents.deleteWhere((_key, document) => document.namespace === namespace);
  }

  /** Drops `document` from its scope (only if it is still the scope's document) and an emptied scope. */
  private forget(document: MemoryDocument): void {
    const scope = this.scopes.get(document.scope);
    if (scope === undefined) return;
    scope.remove(document, this.now());
    if (scope.size === 0) this.scopes.delete(document.scope);
  }
}

function keyOf(scope: string, id: string): string {
  return `${scope}\u0000${id}`;
}

function factsOf(document: SemanticDocument): { facts?: SemanticDocument['facts'] } {
  return document.facts === undefined ? {} : { facts: document.facts };
}

/** Estimated bytes of a document's facts: their strings at two bytes a character, 16 per array slot. */
function factsBytes(document: SemanticDocument): number {
  const facts = document.facts;
  if (facts === undefined) return 0;
  let bytes = 64;
  for (const list of [facts.classes, facts.words, facts.roles, facts.sequence]) for (const item of list) bytes += 16 + stringBytes(item);
  return bytes;
}
