import { norm, quantize } from '../../semantic/vectors/quantize';
import { ScopeVectors, type SearchTuning } from '../../semantic/vectors/scope-vectors';
import type { CandidateCheck } from '../../semantic/same-question/candidate-check';
import type { QuestionFacts } from '../../semantic/same-question/facts';

/** One document of the embedded index, as a scope holds it. */
export interface MemoryDocument {
  readonly scope: string;
  readonly id: string;
  /** The request's namespace (a purge of it finds the document). */
  readonly namespace: string;
  /** The float32 embedding, kept for the exact cosine of the few candidates. */
  readonly vector: Float32Array;
  /** Euclidean length of `vector`, computed once at add. */
  readonly length: number;
  readonly entry: string;
  readonly expiresAt: number;
  /** The prompt's facts for the same-question check; absent on a document stored without them. */
  readonly facts?: QuestionFacts;
  /**
   * Exact-key digests of the requests this document must never answer (the `reject` action),
   * oldest first, at most `MAX_REJECTING_ASKERS`; absent until the first rejection.
   */
  rejectedBy?: string[];
}

/**
 * Documents a scope must hold before it gets the prefilter structure. ScopeVectors centres its
 * sign sketch on the mean of the first 256 vectors it holds and sketches without a centre before
 * that, which ranks neighbours poorly on real (anisotropic) embeddings; 300 puts a scope past the
 * centre sample at once. Below it a plain scan is cheap anyway: about 1 ms at 1024 dimensions.
 */
export const ACCELERATE_AT = 300;
/** A scope whose structure falls below this many documents goes back to the plain scan. */
export const DROP_BELOW = 150;
/**
 * Lowest threshold the prefilter serves: its recall against brute force is tested down to 0.7
 * (`client-prefilter-recall.test.ts`). A lower threshold (the floor allows any in (0, 1]) scans.
 */
export const ACCELERATED_MIN_THRESHOLD = 0.7;
/** A structure with more than this many slots per live document is rebuilt to size. */
const OVERSIZE_FACTOR = 4;
/** Heap per slot beyond the typed arrays: the slot's id pointer in ScopeVectors' id array. */
const POINTER_BYTES = 8;
/** Heap per live document in ScopeVectors' id-to-slot Map (entry, hash bucket, growth room). */
const MAP_ENTRY_BYTES = 48;
/** Fixed scratch per structure, per dimension: histogram, the sketch's signs, work and centre (under 48 B). */
const FIXED_BYTES_PER_DIMENSION = 48;

/**
 * Estimated heap of a ScopeVectors: every allocated slot of its typed arrays (int8 codes, the
 * sketch's bits, scale, error, expiry, the search's 2-byte distance scratch, allocated or not
 * yet), the id per slot, its Map entry per live document, and its fixed scratch arrays.
 */
export function structureBytes(vectors: ScopeVectors): number {
  const dims = vectors.dimensions;
  const perSlot = dims + 4 * Math.ceil(dims / 32) + 4 + 4 + 8 + 2 + POINTER_BYTES;
  return vectors.slotCapacity * perSlot + vectors.count * MAP_ENTRY_BYTES + FIXED_BYTES_PER_DIMENSION * dims;
}

/** Cosine of `query` (of length `queryLength`) and `document`; 0 when either is the zero vector. */
function similarity(query: Float32Array, queryLength: number, document: MemoryDocument): number {
  const v = document.vector;
  if (queryLength === 0 || document.length === 0) return 0;
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  for (; i + 1 < v.length; i += 2) {
    s0 += query[i]! * v[i]!;
    s1 += query[i + 1]! * v[i + 1]!;
  }
  if (i < v.length) s0 += query[i]! * v[i]!;
  return (s0 + s1) / (queryLength * document.length);
}

/**
 * The documents of one scope in the embedded index, searched like the client-side index once the
 * scope is large enough: a ScopeVectors (int8 codes, sign-sketch prefilter, int8 re-score with its
 * error bound) names a few candidates, and the exact float32 cosine of those decides. Small
 * scopes, queries of another dimension and thresholds under `ACCELERATED_MIN_THRESHOLD` use an
 * exact scan. Either way the threshold is compared on the exact cosine.
 *
 * `resized` hears every change of the structure's estimated bytes, so the index's global byte
 * bound can count it.
 */
export class MemoryScope {
  readonly documents = new Map<string, MemoryDocument>();
  private vectors: ScopeVectors | undefined;
  private footprint = 0;

  constructor(
    /** ScopeVectors' own bound; kept above the live documents so its ring never drops one. */
    private readonly maxSlots: number,
    private readonly tuning: SearchTuning,
    private readonly resized: (delta: number) => void,
  ) {}

  get size(): number {
    return this.documents.size;
  }

  /** Whether the prefilter structure is built (for tests). */
  get accelerated(): boolean {
    return this.vectors !== undefined;
  }

  /** Adds a document; the caller has removed any previous one with this id. */
  add(document: MemoryDocument, now: number): void {
    this.documents.set(document.id, document);
    const vectors = this.vectors;
    if (vectors === undefined) {
      if (this.documents.size >= ACCELERATE_AT) this.build(document.vector.length, now);
      return;
    }
    if (document.vector.length === vectors.dimensions) vectors.put(document.id, quantize(document.vector), document.expiresAt);
    this.measure();
  }

  /** Removes `document` if it is still this scope's document under its id. */
  remove(document: MemoryDocument, now: number): void {
    if (this.documents.get(document.id) !== document) return;
    this.documents.delete(document.id);
    const vectors = this.vectors;
    if (vectors === undefined) return;
    vectors.remove(document.id);
    if (vectors.count < DROP_BELOW) this.drop();
    else if (vectors.slotCapacity > OVERSIZE_FACTOR * vectors.count) this.build(vectors.dimensions, now);
    else this.measure();
  }

  /**
   * The nearest live document at or above `threshold` (exact cosine) that `check` accepts, or
   * undefined. Expired documents met on the way go to `expired` (after the search, so it may
   * remove them). The check sees only neighbours nearer than the best accepted so far; a document
   * that `asker` was rejected by is passed over like a check rejection.
   */
  search(
    query: Float32Array,
    threshold: number,
    now: number,
    expired: (document: MemoryDocument) => void,
    check?: CandidateCheck,
    asker?: string,
  ): { document: MemoryDocument; similarity: number } | undefined {
    const queryLength = norm(query);
    const vectors = this.vectors;
    const seen: MemoryDocument[] = [];
    const candidates =
      vectors !== undefined && query.length === vectors.dimensions && threshold >= ACCELERATED_MIN_THRESHOLD
        ? this.candidates(vectors, query, queryLength, threshold, now)
        : this.documents.values();
    let best: MemoryDocument | undefined;
    let bestSimilarity = -Infinity;
    for (const document of candidates) {
      if (document.expiresAt <= now) {
        seen.push(document);
        continue;
      }
      if (document.vector.length !== query.length) continue;
      const value = similarity(query, queryLength, document);
      if (value < threshold || value <= bestSimilarity) continue;
      if (asker !== undefined && document.rejectedBy?.includes(asker) === true) {
        check?.rejectedByOwner(value);
        continue;
      }
      if (check === undefined || check.accepts(document.facts, value)) {
        best = document;
        bestSimilarity = value;
      }
    }
    for (const document of seen) expired(document);
    return best === undefined ? undefined : { document: best, similarity: bestSimilarity };
  }

  /** The prefilter's candidates (a few documents, best approximate first). */
  private candidates(vectors: ScopeVectors, query: Float32Array, queryLength: number, threshold: number, now: number): MemoryDocument[] {
    if (queryLength === 0) return [];
    const unit = new Float32Array(query.length);
    for (let i = 0; i < query.length; i++) unit[i] = query[i]! / queryLength;
    const found: MemoryDocument[] = [];
    for (const candidate of vectors.candidates(unit, threshold, now, this.tuning)) {
      const document = this.documents.get(candidate.id);
      if (document !== undefined) found.push(document);
    }
    this.measure(); // the scan forgets expired slots
    return found;
  }

  /**
   * (Re)builds the structure from the live documents of `dimensions`, sized to them; a scope
   * with too few for a centred sketch goes back to the scan instead.
   */
  private build(dimensions: number, now: number): void {
    const live: MemoryDocument[] = [];
    for (const document of this.documents.values()) {
      if (document.vector.length === dimensions && document.expiresAt > now) live.push(document);
    }
    if (live.length < ACCELERATE_AT) {
      this.drop();
      return;
    }
    const vectors = new ScopeVectors(dimensions, this.maxSlots);
    for (const document of live) vectors.put(document.id, quantize(document.vector), document.expiresAt);
    this.vectors = vectors;
    this.measure();
  }

  private drop(): void {
    this.vectors = undefined;
    this.measure();
  }

  private measure(): void {
    const bytes = this.vectors === undefined ? 0 : structureBytes(this.vectors);
    if (bytes !== this.footprint) this.resized(bytes - this.footprint);
    this.footprint = bytes;
  }
}
