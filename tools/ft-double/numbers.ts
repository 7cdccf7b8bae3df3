/**
 * Number formatting and vector maths shaped like RediSearch 2.6: scores are float32 distances
 * printed with C's `%.12g`; COSINE normalises both vectors in float32 and scores 1 - dot product.
 */

/** C `printf("%.<precision>g", x)`. */
export function formatG(x: number, precision = 12): string {
  if (Number.isNaN(x)) return x < 0 ? '-nan' : 'nan';
  if (!Number.isFinite(x)) return x < 0 ? '-inf' : 'inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [mantissa, exponentText] = x.toExponential(precision - 1).split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= precision) {
    const trimmed = mantissa.includes('.') ? mantissa.replace(/\.?0+$/, '') : mantissa;
    return `${trimmed}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  const fixed = x.toFixed(Math.max(0, precision - 1 - exponent));
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

export type DistanceMetric = 'COSINE' | 'L2' | 'IP';

const f32 = Math.fround;

/** Reads a FLOAT32 blob (native little-endian, as RediSearch stores it) into a new array. */
export function readFloat32(blob: Buffer): Float32Array {
  const bytes = new Uint8Array(blob.length);
  bytes.set(blob);
  return new Float32Array(bytes.buffer);
}

/** Unit-length copy, computed in float32 like the vector library does for COSINE. */
export function normalize(vector: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum = f32(sum + f32(vector[i] * vector[i]));
  const norm = f32(Math.sqrt(sum));
  const out = new Float32Array(vector.length);
  for (let i = 0; i < vector.length; i++) out[i] = vector[i] / norm;
  return out;
}

/** Prepares a stored or query vector for `distance` (COSINE vectors are normalised once). */
export function prepare(vector: Float32Array, metric: DistanceMetric): Float32Array {
  return metric === 'COSINE' ? normalize(vector) : vector;
}

/** float32 distance between two prepared vectors: 1 - dot (COSINE, IP) or squared L2. */
export function distance(a: Float32Array, b: Float32Array, metric: DistanceMetric): number {
  let acc = 0;
  if (metric === 'L2') {
    for (let i = 0; i < a.length; i++) {
      const d = f32(a[i] - b[i]);
      acc = f32(acc + f32(d * d));
    }
    return acc;
  }
  for (let i = 0; i < a.length; i++) acc = f32(acc + f32(a[i] * b[i]));
  return f32(1 - acc);
}
