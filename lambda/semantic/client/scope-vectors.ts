import type { QuantizedVector } from './quantize';

/** A document worth an exact check: its approximate cosine and the bound on that approximation. */
export interface Candidate {
  readonly id: string;
  readonly approximate: number;
  readonly upperBound: number;
}

export interface SearchTuning {
  /** How many documents, nearest by sign-bit Hamming distance, get the int8 re-score. */
  readonly prefilter: number;
  /** How many documents, best by int8 cosine, get the exact float32 check. */
  readonly rerank: number;
}

const INITIAL_CAPACITY = 256;
const UNUSED = 0;

/**
 * The in-memory vectors of one scope, laid out for a fast scan:
 * - `codes`: one contiguous Int8Array, `dimensions` bytes per slot (int8 quantization);
 * - `bits`: the sign of every component, 32 per Int32 word (a 1-bit sketch of the vector);
 * - `scale`, `error`, `expiresAt`: one number per slot.
 * Slots form a ring in insertion order: once `maxEntries` are held, a new document takes the
 * oldest one's slot. Arrays grow by doubling up to `maxEntries`; removed and expired documents
 * leave holes that a compaction closes once they are a quarter of the ring.
 */
export class ScopeVectors {
  private capacity = 0;
  private head = 0;
  private size = 0;
  private holes = 0;
  private codes = new Int8Array(0);
  private bits = new Int32Array(0);
  private scale = new Float32Array(0);
  private error = new Float32Array(0);
  private expiresAt = new Float64Array(0);
  private ids: (string | undefined)[] = [];
  private readonly slots = new Map<string, number>();
  private readonly words: number;
  private distance = new Uint16Array(0);
  private readonly histogram: Uint32Array;

  constructor(
    readonly dimensions: number,
    readonly maxEntries: number,
  ) {
    this.words = Math.ceil(dimensions / 32);
    this.histogram = new Uint32Array(dimensions + 2);
  }

  /** Live documents (expired ones count until a search or compaction notices them). */
  get count(): number {
    return this.slots.size;
  }

  /** Bytes held in typed arrays (the bulk of the memory). */
  get bytes(): number {
    return this.codes.byteLength + this.bits.byteLength + this.scale.byteLength + this.error.byteLength + this.expiresAt.byteLength + this.distance.byteLength;
  }

  has(id: string): boolean {
    return this.slots.has(id);
  }

  /** Adds or replaces a document; past `maxEntries` the oldest leaves. */
  put(id: string, vector: QuantizedVector, expiresAt: number): void {
    if (vector.codes.length !== this.dimensions) return;
    // The change log replays documents this container already holds (its own stores): the same
    // document again is a no-op, so a replay neither leaves a hole nor pushes a live entry out.
    const held = this.slots.get(id);
    if (held !== undefined && this.holds(held, vector, expiresAt)) return;
    this.remove(id);
    if (this.size === this.capacity) {
      if (this.holes > 0 && this.holes * 4 >= this.size) this.rebuild(this.capacity);
      if (this.size === this.capacity && this.capacity < this.maxEntries) {
        this.rebuild(Math.min(this.maxEntries, Math.max(INITIAL_CAPACITY, this.capacity * 2)));
      }
      if (this.size === this.capacity) this.evictOldest();
    }
    const slot = (this.head + this.size) % this.capacity;
    this.size++;
    this.codes.set(vector.codes, slot * this.dimensions);
    const base = slot * this.words;
    this.bits.fill(0, base, base + this.words);
    for (let i = 0; i < this.dimensions; i++) {
      if (vector.codes[i]! > 0) this.bits[base + (i >>> 5)]! |= 1 << (i & 31);
    }
    this.scale[slot] = vector.scale;
    this.error[slot] = vector.error;
    this.expiresAt[slot] = expiresAt;
    this.ids[slot] = id;
    this.slots.set(id, slot);
  }

  private holds(slot: number, vector: QuantizedVector, expiresAt: number): boolean {
    if (this.expiresAt[slot] !== expiresAt || this.scale[slot] !== Math.fround(vector.scale)) return false;
    const start = slot * this.dimensions;
    for (let i = 0; i < this.dimensions; i++) if (this.codes[start + i] !== vector.codes[i]) return false;
    return true;
  }

  remove(id: string): void {
    const slot = this.slots.get(id);
    if (slot === undefined) return;
    this.slots.delete(id);
    this.ids[slot] = undefined;
    this.expiresAt[slot] = UNUSED;
    this.holes++;
  }

  /**
   * Documents that may reach `threshold`, best first, at most `tuning.rerank` of them:
   * 1. Hamming distance of the sign bits to the query's, over every live slot; the
   *    `tuning.prefilter` nearest go on (a histogram finds the cut in linear time);
   * 2. their approximate cosine from the int8 codes; a document whose upper bound
   *    (approximation + its quantization error bound) is below `threshold` cannot match.
   * `query` must be unit length.
   */
  candidates(query: Float32Array, threshold: number, now: number, tuning: SearchTuning): Candidate[] {
    if (this.slots.size === 0 || query.length !== this.dimensions) return [];
    const { words, capacity } = this;
    const queryBits = new Int32Array(words);
    for (let i = 0; i < this.dimensions; i++) if (query[i]! > 0) queryBits[i >>> 5]! |= 1 << (i & 31);
    if (this.distance.length < capacity) this.distance = new Uint16Array(capacity);
    const distance = this.distance;
    const histogram = this.histogram;
    histogram.fill(0);
    const none = this.dimensions + 1;
    const bits = this.bits;
    let live = 0;
    for (let slot = 0; slot < capacity; slot++) {
      const expires = this.expiresAt[slot]!;
      if (expires <= now) {
        if (expires !== UNUSED) this.remove(this.ids[slot]!);
        distance[slot] = none;
        continue;
      }
      let d = 0;
      const base = slot * words;
      for (let w = 0; w < words; w++) d += popcount(queryBits[w]! ^ bits[base + w]!);
      distance[slot] = d;
      histogram[d]!++;
      live++;
    }
    if (live === 0) return [];
    let cut = 0;
    let below = 0;
    for (; cut <= this.dimensions; cut++) {
      if (below + histogram[cut]! >= tuning.prefilter) break;
      below += histogram[cut]!;
    }
    cut = Math.min(cut, this.dimensions);
    // Every slot nearer than the cut, and as many at the cut as fill the prefilter.
    let atCut = tuning.prefilter - below;
    const found: Candidate[] = [];
    const dims = this.dimensions;
    const codes = this.codes;
    for (let slot = 0; slot < capacity; slot++) {
      const d = distance[slot]!;
      if (d > cut) continue;
      if (d === cut) {
        if (atCut === 0) continue;
        atCut--;
      }
      const offset = slot * dims;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let i = 0;
      for (; i + 3 < dims; i += 4) {
        s0 += query[i]! * codes[offset + i]!;
        s1 += query[i + 1]! * codes[offset + i + 1]!;
        s2 += query[i + 2]! * codes[offset + i + 2]!;
        s3 += query[i + 3]! * codes[offset + i + 3]!;
      }
      for (; i < dims; i++) s0 += query[i]! * codes[offset + i]!;
      const approximate = (s0 + s1 + s2 + s3) * this.scale[slot]!;
      const upperBound = approximate + this.error[slot]!;
      if (upperBound >= threshold) found.push({ id: this.ids[slot]!, approximate, upperBound });
    }
    found.sort((a, b) => b.approximate - a.approximate);
    return found.slice(0, tuning.rerank);
  }

  private evictOldest(): void {
    const id = this.ids[this.head];
    if (id === undefined) this.holes--;
    else this.slots.delete(id);
    this.ids[this.head] = undefined;
    this.expiresAt[this.head] = UNUSED;
    this.head = (this.head + 1) % this.capacity;
    this.size--;
  }

  /** Copies the live slots, oldest first, into arrays of `capacity` slots. */
  private rebuild(capacity: number): void {
    const { dimensions, words } = this;
    const codes = new Int8Array(capacity * dimensions);
    const bits = new Int32Array(capacity * words);
    const scale = new Float32Array(capacity);
    const error = new Float32Array(capacity);
    const expiresAt = new Float64Array(capacity);
    const ids: (string | undefined)[] = new Array<string | undefined>(capacity).fill(undefined);
    this.slots.clear();
    let next = 0;
    for (let i = 0; i < this.size; i++) {
      const slot = (this.head + i) % this.capacity;
      const id = this.ids[slot];
      if (id === undefined) continue;
      codes.set(this.codes.subarray(slot * dimensions, (slot + 1) * dimensions), next * dimensions);
      bits.set(this.bits.subarray(slot * words, (slot + 1) * words), next * words);
      scale[next] = this.scale[slot]!;
      error[next] = this.error[slot]!;
      expiresAt[next] = this.expiresAt[slot]!;
      ids[next] = id;
      this.slots.set(id, next);
      next++;
    }
    this.codes = codes;
    this.bits = bits;
    this.scale = scale;
    this.error = error;
    this.expiresAt = expiresAt;
    this.ids = ids;
    this.capacity = capacity;
    this.head = 0;
    this.size = next;
    this.holes = 0;
  }
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}
