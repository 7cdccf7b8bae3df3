/** Deterministic pseudo-random unit vectors (xorshift32 from `seed`), for index tests. */
export function randomUnitVector(dimensions: number, seed: number): Float32Array {
  let state = (seed * 2654435761) >>> 0 || 1;
  const v = new Float32Array(dimensions);
  let sum = 0;
  for (let i = 0; i < dimensions; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    v[i] = (state >>> 0) / 4294967296 - 0.5;
    sum += v[i]! * v[i]!;
  }
  for (let i = 0; i < dimensions; i++) v[i] = v[i]! / Math.sqrt(sum);
  return v;
}

/** xorshift32 uniform [0, 1) stream from `seed`. */
function uniform(seed: number): () => number {
  let state = (seed * 2654435761) >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

/**
 * Unit vectors shaped like real text embeddings rather than uniform on the sphere: a shared mean
 * direction (random pairs average cosine about 0.4) and uneven per-component variances (component
 * i has standard deviation 1 / sqrt(1 + i / 8): a few components carry most of the spread).
 */
export class AnisotropicVectors {
  private readonly next: () => number;
  private readonly mean: Float32Array;
  private readonly spread: Float32Array;

  constructor(
    readonly dimensions: number,
    seed: number,
    /** Weight of the mean direction against the unit-norm noise; 0.82 gives pair cosines near 0.4. */
    private readonly meanWeight = 0.82,
  ) {
    this.next = uniform(seed);
    this.mean = normalize(Float32Array.from({ length: dimensions }, () => this.gaussian()));
    this.spread = Float32Array.from({ length: dimensions }, (_, i) => 1 / Math.sqrt(1 + i / 8));
  }

  /** One vector from the distribution. */
  sample(): Float32Array {
    const noise = normalize(Float32Array.from(this.spread, (s) => this.gaussian() * s));
    return normalize(Float32Array.from(noise, (n, i) => this.meanWeight * this.mean[i]! + n));
  }

  /** A unit vector at exactly cosine `similarity` to unit vector `base`, its other part drawn from the distribution. */
  near(base: Float32Array, similarity: number): Float32Array {
    const other = this.sample();
    let along = 0;
    for (let i = 0; i < base.length; i++) along += other[i]! * base[i]!;
    const orthogonal = normalize(Float32Array.from(other, (o, i) => o - along * base[i]!));
    const rest = Math.sqrt(1 - similarity * similarity);
    return Float32Array.from(base, (b, i) => similarity * b + rest * orthogonal[i]!);
  }

  /** A uniform number in [0, 1) from the same stream. */
  uniform(): number {
    return this.next();
  }

  private gaussian(): number {
    const u = this.next() || 1e-12;
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
}

function normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  const length = Math.sqrt(sum);
  for (let i = 0; i < v.length; i++) v[i] = v[i]! / length;
  return v;
}

/** The unit vector along `values` (a hand-written direction in a small test space). */
export function unit(...values: number[]): Float32Array {
  const norm = Math.hypot(...values);
  return Float32Array.from(values.map((value) => value / norm));
}
