/**
 * The 1-bit sketch behind the client index's prefilter: the signs of a random rotation of the
 * vector minus a centre. Hamming distance between two sketches then estimates the angle between
 * the centred vectors (SimHash: each bit differs with probability angle / pi), whatever the shape
 * of the data. Signs of the raw components would not: real embeddings are anisotropic (a shared
 * mean direction puts random pairs near cosine 0.4, and a few components carry most of the
 * variance), so raw sign bits agree on the shared part and rank true neighbours too far down at
 * low thresholds.
 *
 * The rotation is a randomized Hadamard transform (random signs, then a fast Walsh-Hadamard
 * transform): O(d log d) per vector instead of the O(d^2) of a dense random matrix. Sketches
 * live only inside one container, so the fixed seed need not match anything elsewhere.
 */
/**
 * Bits per sketch, at most. Any subset of a random rotation's outputs is itself a SimHash, so a
 * 1024-dimension vector needs no 1024 bits: 512 keep brute force's nearest neighbour in the
 * prefilter at thresholds down to 0.7 on strongly anisotropic vectors, and the Hamming scan reads
 * half the words per document (256 bits lost 1 neighbour in 100 at 0.7 on the harshest data).
 */
export const SKETCH_BITS = 512;

export class SignSketch {
  /** Bits per sketch: the dimensions, at most `SKETCH_BITS`. */
  readonly bits: number;
  readonly words: number;
  private readonly signs: Float64Array;
  private readonly work: Float64Array;
  private readonly centre: Float32Array;

  constructor(readonly dimensions: number) {
    this.bits = Math.min(dimensions, SKETCH_BITS);
    this.words = Math.ceil(this.bits / 32);
    let size = 4;
    while (size < dimensions) size *= 2;
    this.signs = randomSigns(size, 0x5eed);
    this.work = new Float64Array(size);
    this.centre = new Float32Array(dimensions);
  }

  /** Sets the centre subtracted before rotating (the mean of a scope's vectors). */
  setCentre(centre: Float32Array): void {
    this.centre.set(centre);
  }

  /** Writes the sketch of `scale * values[offset .. offset + dimensions)` into `target[base ..]`. */
  write(target: Int32Array, base: number, values: ArrayLike<number>, offset: number, scale: number): void {
    const { work, signs, centre, dimensions } = this;
    for (let i = 0; i < dimensions; i++) work[i] = (scale * values[offset + i]! - centre[i]!) * signs[i]!;
    work.fill(0, dimensions);
    hadamard(work);
    target.fill(0, base, base + this.words);
    for (let i = 0; i < this.bits; i++) if (work[i]! > 0) target[base + (i >>> 5)]! |= 1 << (i & 31);
  }
}

/**
 * In-place fast Walsh-Hadamard transform (unnormalized; only signs are read). Length: a power of
 * two, at least 4. The first two butterfly levels run together on blocks of four.
 */
function hadamard(a: Float64Array): void {
  const n = a.length;
  for (let i = 0; i < n; i += 4) {
    const x0 = a[i]!;
    const x1 = a[i + 1]!;
    const x2 = a[i + 2]!;
    const x3 = a[i + 3]!;
    const s01 = x0 + x1;
    const d01 = x0 - x1;
    const s23 = x2 + x3;
    const d23 = x2 - x3;
    a[i] = s01 + s23;
    a[i + 1] = d01 + d23;
    a[i + 2] = s01 - s23;
    a[i + 3] = d01 - d23;
  }
  for (let h = 4; h < n; h *= 2) {
    for (let i = 0; i < n; i += 2 * h) {
      for (let j = i, end = i + h; j < end; j++) {
        const x = a[j]!;
        const y = a[j + h]!;
        a[j] = x + y;
        a[j + h] = x - y;
      }
    }
  }
}

function randomSigns(count: number, seed: number): Float64Array {
  const signs = new Float64Array(count);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < count; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    signs[i] = state & 1 ? 1 : -1;
  }
  return signs;
}
