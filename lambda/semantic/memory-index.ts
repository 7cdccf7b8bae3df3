import { DEFAULT_MEMORY_MAX_BYTES, DEFAULT_MEMORY_MAX_ENTRIES, ENTRY_OVERHEAD_BYTES, ExpiringLru, stringBytes } from '../core/expiring-lru';
import { dot, type SemanticDocument, type SemanticHit, type SemanticIndex } from './semantic-index';

interface Slot {
  readonly scope: string;
  readonly id: string;
  readonly vector: Float32Array;
  readonly entry: string;
  /** Same instant as the LRU's expiry, kept here so a scan needs no key lookup per document. */
  readonly expiresAt: number;
}

/**
 * The embedded vector index: per scope, a Map of documents searched by exact brute-force cosine.
 * Exact and simple; the default for local runs and the reference the other indexes are tested
 * against. Bounded across all scopes, not per scope (every distinct system prompt is a scope):
 * entries (default 10,000, `MEMORY_MAX_ENTRIES`) and estimated bytes (default 64 MiB,
 * `MEMORY_MAX_BYTES`: the vector's buffer, the answer, id and scope at two bytes a character, plus
 * a fixed overhead), least recently used (added or hit) out first. Expired documents are swept as
 * writes go on, and a scope left empty is forgotten.
 */
export class MemoryIndex implements SemanticIndex {
  readonly kind = 'memory';
  private readonly scopes = new Map<string, Map<string, Slot>>();
  private readonly documents: ExpiringLru<Slot>;

  constructor(
    maxEntries: number = DEFAULT_MEMORY_MAX_ENTRIES,
    private readonly now: () => number = Date.now,
    maxBytes: number = DEFAULT_MEMORY_MAX_BYTES,
  ) {
    this.documents = new ExpiringLru<Slot>({ maxEntries, maxBytes }, now, (_key, slot) => this.forget(slot));
  }

  /** Documents held, across all scopes. */
  get size(): number {
    return this.documents.size;
  }

  /** Scopes holding at least one document. */
  get scopeCount(): number {
    return this.scopes.size;
  }

  /** Estimated bytes held. */
  get bytes(): number {
    return this.documents.bytes;
  }

  async search(scope: string, vector: Float32Array, threshold: number): Promise<SemanticHit | null> {
    const docs = this.scopes.get(scope);
    if (docs === undefined) return null;
    const now = this.now();
    let best: Slot | undefined;
    let bestSimilarity = -Infinity;
    // Deleting from a Map while iterating it is safe: an expired document leaves during the scan.
    for (const slot of docs.values()) {
      if (slot.expiresAt <= now) {
        this.documents.delete(keyOf(slot.scope, slot.id));
        continue;
      }
      if (slot.vector.length !== vector.length) continue;
      const similarity = dot(slot.vector, vector);
      if (similarity >= threshold && similarity > bestSimilarity) {
        best = slot;
        bestSimilarity = similarity;
      }
    }
    if (best === undefined) return null;
    this.documents.get(keyOf(best.scope, best.id)); // a hit is a use: most recent now
    return { entry: best.entry, similarity: bestSimilarity, id: best.id };
  }

  async add(document: SemanticDocument): Promise<void> {
    const key = keyOf(document.scope, document.id);
    this.documents.delete(key);
    // A view on a larger buffer would keep the whole buffer alive: keep an exact-size copy.
    const vector = document.vector.byteLength === document.vector.buffer.byteLength ? document.vector : document.vector.slice();
    const slot: Slot = { scope: document.scope, id: document.id, vector, entry: document.entry, expiresAt: this.now() + document.ttlMs };
    let docs = this.scopes.get(document.scope);
    if (docs === undefined) {
      docs = new Map();
      this.scopes.set(document.scope, docs);
    }
    docs.set(document.id, slot);
    const bytes = vector.byteLength + stringBytes(document.entry) + stringBytes(key) + stringBytes(document.id) + stringBytes(document.scope) + ENTRY_OVERHEAD_BYTES;
    this.documents.set(key, slot, document.ttlMs, bytes);
  }

  /** Drops `slot` from its scope (only if it is still the scope's document) and an emptied scope. */
  private forget(slot: Slot): void {
    const docs = this.scopes.get(slot.scope);
    if (docs?.get(slot.id) !== slot) return;
    docs.delete(slot.id);
    if (docs.size === 0) this.scopes.delete(slot.scope);
  }
}

function keyOf(scope: string, id: string): string {
  return `${scope}\u0000${id}`;
}
