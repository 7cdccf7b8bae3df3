import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/**
 * The committed recall data set (tools/recall-data/data): 10,000 corpus sentences and their
 * paraphrase-like queries, embedded with Universal Sentence Encoder lite (512 dimensions) and
 * stored int8-quantized. Everything compares the engine with brute force over these same
 * (dequantized, normalized) vectors, so the quantization does not bias the comparison.
 */
export const DATA_DIR = join(__dirname, 'data');
export const TEXT_FILE = 'recall-set.json';
export const VECTOR_FILE = 'recall-vectors.i8.gz';

export interface RecallText {
  readonly model: string;
  readonly dimensions: number;
  readonly seed: number;
  readonly source: string;
  readonly corpus: readonly string[];
  /** Each query's text and the corpus sentence it was edited from. */
  readonly queries: readonly { readonly text: string; readonly from: number }[];
}

export interface RecallSet extends RecallText {
  readonly corpusVectors: readonly Float32Array[];
  readonly queryVectors: readonly Float32Array[];
}

/** Bytes per stored vector: a float32 scale, then one int8 per dimension. */
export const recordBytes = (dimensions: number): number => 4 + dimensions;

/** Int8 quantization with a per-vector scale (largest magnitude maps to 127). */
export function quantize(vector: ArrayLike<number>, out: Buffer, offset: number): void {
  let max = 0;
  for (let i = 0; i < vector.length; i++) max = Math.max(max, Math.abs(vector[i]!));
  const scale = max === 0 ? 1 : max / 127;
  out.writeFloatLE(scale, offset);
  for (let i = 0; i < vector.length; i++) out.writeInt8(Math.round(vector[i]! / scale), offset + 4 + i);
}

/** The stored vector at `offset`, dequantized and normalized to unit length. */
export function dequantize(data: Buffer, offset: number, dimensions: number): Float32Array {
  const scale = data.readFloatLE(offset);
  const vector = new Float32Array(dimensions);
  let norm = 0;
  for (let i = 0; i < dimensions; i++) {
    const value = data.readInt8(offset + 4 + i) * scale;
    vector[i] = value;
    norm += value * value;
  }
  const inverse = norm === 0 ? 0 : 1 / Math.sqrt(norm);
  for (let i = 0; i < dimensions; i++) vector[i]! *= inverse;
  return vector;
}

export function loadRecallSet(dir = DATA_DIR): RecallSet {
  const text = JSON.parse(readFileSync(join(dir, TEXT_FILE), 'utf8')) as RecallText;
  const data = gunzipSync(readFileSync(join(dir, VECTOR_FILE)));
  const size = recordBytes(text.dimensions);
  const total = text.corpus.length + text.queries.length;
  if (data.length !== total * size) throw new Error(`${VECTOR_FILE}: ${data.length} bytes, expected ${total * size}`);
  const vectors = Array.from({ length: total }, (_, i) => dequantize(data, i * size, text.dimensions));
  return { ...text, corpusVectors: vectors.slice(0, text.corpus.length), queryVectors: vectors.slice(text.corpus.length) };
}

/** Cosine similarity of two unit vectors. */
export function similarity(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return dot;
}

/** The exact nearest neighbour among the first `size` corpus vectors. */
export function bruteForceNearest(corpus: readonly Float32Array[], size: number, query: Float32Array): { index: number; similarity: number } {
  let best = { index: -1, similarity: -Infinity };
  for (let i = 0; i < size; i++) {
    const value = similarity(corpus[i]!, query);
    if (value > best.similarity) best = { index: i, similarity: value };
  }
  return best;
}
