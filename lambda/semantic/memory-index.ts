import { dot, type SemanticDocument, type SemanticHit, type SemanticIndex } from './semantic-index';

/** Default bound per scope: past it the oldest documents leave first. */
export const DEFAULT_MAX_DOCUMENTS_PER_SCOPE = 10_000;

interface Slot {
  readonly vector: Float32Array;
  readonly entry: string;
  readonly expiresAt: number;
}

/**
 * The embedded vector index: per scope, a Map of documents searched by exact brute-force cosine.
 * Exact and simple; the default for local runs and the reference the other indexes are tested against.
 */
export class MemoryIndex implements SemanticIndex {
  readonly kind = 'memory';
  private readonly scopes = new Map<string, Map<string, Slot>>();

  constructor(
    private readonly maxPerScope: number = DEFAULT_MAX_DOCUMENTS_PER_SCOPE,
    private readonly now: () => number = Date.now,
  ) {}

  async search(scope: string, vector: Float32Array, threshold: number): Promise<SemanticHit | null> {
    const docs = this.scopes.get(scope);
    if (docs === undefined) return null;
    const now = this.now();
    let best: SemanticHit | null = null;
    for (const [id, slot] of docs) {
      if (slot.expiresAt <= now) {
        docs.delete(id);
        continue;
      }
      if (slot.vector.length !== vector.length) continue;
      const similarity = dot(slot.vector, vector);
      if (similarity >= threshold && (best === null || similarity > best.similarity)) {
        best = { entry: slot.entry, similarity, id };
      }
    }
    return best;
  }

  async add(document: SemanticDocument): Promise<void> {
    let docs = this.scopes.get(document.scope);
    if (docs === undefined) {
      docs = new Map();
      this.scopes.set(document.scope, docs);
    }
    docs.delete(document.id);
    docs.set(document.id, { vector: document.vector, entry: document.entry, expiresAt: this.now() + document.ttlMs });
    while (docs.size > this.maxPerScope) {
      const oldest = docs.keys().next().value;
      if (oldest === undefined) break;
      docs.delete(oldest);
    }
  }
}
