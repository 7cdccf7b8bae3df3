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
