import type { QuantizedVector } from './quantize';
import { SignSketch } from './sign-sketch';

/** A document worth an exact check: its approximate cosine and the bound on that approximation. */
export interface Candidate {
  readonly id: string;
  readonly approximate: number;
  readonly upperBound: number;
}

export interface SearchTuning {
  /**
   * How many documents, nearest by sign-bit Hamming distance, get the int8 re-score at thresholds
   * of 0.85 and above; lower thresholds widen it in proportion (see `prefilterSize`).
   */
  readonly prefilter: number;
  /**
   * How many documents, best by int8 cosine, get the exact float32 check. More are checked (up
   * to `RERANK_CEILING` times this) while their upper bound still reaches the best document's
   * lower bound: within the quantization error, any of them may be the true nearest.
   */
  readonly rerank: number;
}

/** Tuning of the in-memory scan (client-side and embedded indexes): 128 prefiltered, 4 re-ranked. */
export const DEFAULT_SEARCH_TUNING: SearchTuning = { prefilter: 128, rerank: 4 };

const RERANK_CEILING = 4;

/** How many of `sorted` (best approximate first) must get the exact check. */
function rerankCount(sorted: readonly Candidate[], rerank: number): number {
  if (sorted.length <= rerank) return sorted.length;
  let bestLower = -Infinity;
  for (const c of sorted) bestLower = Math.max(bestLower, 2 * c.approximate - c.upperBound);
  let count = rerank;
  const limit = Math.min(sorted.length, rerank * RERANK_CEILING);
  while (count < limit && sorted[count]!.upperBound >= bestLower) count++;
  return count;
}

const INITIAL_CAPACITY = 256;
const UNUSED = 0;
/** Vectors averaged for the scope's centre; the sample is taken when the arrays first outgrow it. */
const CENTRE_SAMPLE = INITIAL_CAPACITY;
/**
 * The prefilter size is tuned for thresholds >= 1 - 0.15. A lower threshold admits neighbours at
 * a wider angle, whose sign bits differ more, so the candidate list grows with the gap 1 - threshold.
 */
const PREFILTER_REFERENCE_GAP = 0.15;

/** Documents kept by the sign-bit prefilter at `threshold`. */
export function prefilterSize(tuning: SearchTuning, threshold: number): number {
  return Math.ceil(tuning.prefilter * Math.max(1, (1 - threshold) / PREFILTER_REFERENCE_GAP));
}

/**
 * The in-memory vectors of one scope, laid out for a fast scan:
 * - `codes`: one contiguous Int8Array, `dimensions` bytes per slot (int8 quantization);
 * - `bits`: a 1-bit sketch per vector (`SignSketch`: signs of a random rotation of the vector
 *   minus the scope's centre, at most 256 bits), 32 per Int32 word. The centre is the mean of the first
 *   `CENTRE_SAMPLE` vectors, fixed once taken (every stored sketch is recomputed then), so stored
 *   and query sketches always share one centre;
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
  private readonly sketch: SignSketch;
  private centred = false;
  private readonly queryBits: Int32Array;

  constructor(
    readonly dimensions: number,
    readonly maxEntries: number,
  ) {
    this.sketch = new SignSketch(dimensions);
    this.words = this.sketch.words;
    this.histogram = new Uint32Array(dimensions + 2);
    this.queryBits = new Int32Array(this.words);
  }

  /** Live documents (expired ones count until a search or compaction notices them). */
  get count(): number {
    return this.slots.size;
  }

  /** Slots allocated in the typed arrays (live documents, holes and room to grow). */
  get slotCapacity(): number {
    return this.capacity;
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
    this.sketch.write(this.bits, slot * this.words, vector.codes, 0, vector.scale);
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
   * Documents that may reach `threshold`, best first, `tuning.rerank` of them (more when the
   * quantization error leaves a tie):
   * 1. Hamming distance of the sign bits to the query's, over every live slot; the
   *    `tuning.prefilter` nearest go on (a histogram finds the cut in linear time);
   * 2. their approximate cosine from the int8 codes; a document whose upper bound
   *    (approximation + its quantization error bound) is below `threshold` cannot match.
   * `query` must be unit length.
   */
  candidates(query: Float32Array, threshold: number, now: number, tuning: SearchTuning): Candidate[] {
    if (this.slots.size === 0 || query.length !== this.dimensions) return [];
    const { words, capacity } = this;
    const queryBits = this.queryBits;
    this.sketch.write(queryBits, 0, query, 0, 1);
    const prefilter = prefilterSize(tuning, threshold);
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
      if (below + histogram[cut]! >= prefilter) break;
      below += histogram[cut]!;
    }
    cut = Math.min(cut, this.dimensions);
    // Every slot nearer than the cut, and as many at the cut as fill the prefilter.
    let atCut = prefilter - below;
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
    return found.slice(0, rerankCount(found, tuning.rerank));
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

  /** Copies the live slots, oldest first, into arrays of `capacity` slots, and re-centres them. */
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
    if (!this.centred && this.size >= CENTRE_SAMPLE) this.takeCentre();
  }

  /** Sets the centre to the mean of the held vectors (compacted from slot 0) and re-sketches them. */
  private takeCentre(): void {
    this.centred = true;
    const { dimensions, codes, scale } = this;
    const centre = new Float32Array(dimensions);
    const sum = new Float64Array(dimensions);
    for (let slot = 0; slot < this.size; slot++) {
      const s = scale[slot]!;
      const offset = slot * dimensions;
      for (let i = 0; i < dimensions; i++) sum[i]! += s * codes[offset + i]!;
    }
    for (let i = 0; i < dimensions; i++) centre[i] = sum[i]! / this.size;
    this.sketch.setCentre(centre);
    for (let slot = 0; slot < this.size; slot++) this.sketch.write(this.bits, slot * this.words, codes, slot * dimensions, scale[slot]!);
  }
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}
