import { vectorBlob } from '../search/index-naming';

/** `[float32 LE vector][UTF-8 entry]`: one read gives the exact re-rank and the answer. */
export function encodeDocument(vector: Float32Array, entry: string): Buffer {
  return Buffer.concat([vectorBlob(vector), Buffer.from(entry, 'utf8')]);
}

/** The vector and entry of a stored document; null when it is shorter than its vector. */
export function decodeDocument(value: Buffer, dimensions: number): { vector: Float32Array; entry: string } | null {
  if (value.length < dimensions * 4) return null;
  const vector = new Float32Array(dimensions);
  for (let i = 0; i < dimensions; i++) vector[i] = value.readFloatLE(i * 4);
  return { vector, entry: value.toString('utf8', dimensions * 4) };
}
