/**
 * Int8 quantization of embeddings for the client-side index. A vector v is stored as int8 codes
 * c with one scale s per vector (v ~ s * c), plus two numbers that make the approximation safe to
 * filter on:
 * - `scale` is s / |v|, so `scale * sum(qn[i] * c[i])` approximates cos(q, v) for a unit query qn;
 * - `error` is |v - s * c| / |v|, an upper bound on how far that approximation can be from the
 *   exact cosine (Cauchy-Schwarz: |qn . (v - s c)| <= |v - s c|).
 */
export interface QuantizedVector {
  readonly scale: number;
  readonly error: number;
  readonly codes: Int8Array;
}

/** Bytes of the encoded header: scale and error, float32 little-endian. */
export const QUANTIZED_HEADER_BYTES = 8;

export function norm(vector: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += vector[i]! * vector[i]!;
  return Math.sqrt(sum);
}

export function quantize(vector: Float32Array): QuantizedVector {
  const codes = new Int8Array(vector.length);
  const length = norm(vector);
  let max = 0;
  for (let i = 0; i < vector.length; i++) max = Math.max(max, Math.abs(vector[i]!));
  if (length === 0 || max === 0) return { scale: 0, error: 0, codes };
  const step = max / 127;
  let residual = 0;
  for (let i = 0; i < vector.length; i++) {
    const code = Math.max(-127, Math.min(127, Math.round(vector[i]! / step)));
    codes[i] = code;
    const diff = vector[i]! - code * step;
    residual += diff * diff;
  }
  // Rounded up a little so float32 storage never makes the bound smaller than the truth.
  return { scale: step / length, error: (Math.sqrt(residual) / length) * (1 + 1e-5) + 1e-7, codes };
}

/** `[scale f32][error f32][codes...]`: what the change log carries per entry. */
export function encodeQuantized(quantized: QuantizedVector): Buffer {
  const buffer = Buffer.allocUnsafe(QUANTIZED_HEADER_BYTES + quantized.codes.length);
  buffer.writeFloatLE(quantized.scale, 0);
  buffer.writeFloatLE(quantized.error, 4);
  Buffer.from(quantized.codes.buffer, quantized.codes.byteOffset, quantized.codes.length).copy(buffer, QUANTIZED_HEADER_BYTES);
  return buffer;
}

/** Reads an encoded vector of `dimensions` codes; null when the length does not match. */
export function decodeQuantized(buffer: Buffer, dimensions: number): QuantizedVector | null {
  if (buffer.length !== QUANTIZED_HEADER_BYTES + dimensions) return null;
  const scale = buffer.readFloatLE(0);
  const error = buffer.readFloatLE(4);
  if (!Number.isFinite(scale) || !Number.isFinite(error)) return null;
  const codes = new Int8Array(dimensions);
  codes.set(new Int8Array(buffer.buffer, buffer.byteOffset + QUANTIZED_HEADER_BYTES, dimensions));
  return { scale, error, codes };
}

/** Exact cosine similarity in float32 inputs (float64 accumulation). */
export function cosine(a: Float32Array, b: Float32Array): number {
  let dotSum = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    dotSum += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return aa === 0 || bb === 0 ? 0 : dotSum / Math.sqrt(aa * bb);
}
