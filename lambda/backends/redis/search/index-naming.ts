import { KEY_PREFIX, KEY_VERSION, modelSlug } from '../../../core/keys';

/**
 * Names of the server-side vector index and its documents. Both carry the embedding model and
 * dimension, so vectors of different models or sizes never share an index.
 */
export interface IndexNames {
  readonly index: string;
  readonly documentPrefix: string;
}

export function indexNames(embeddingModelId: string, dimensions: number): IndexNames {
  const model = modelSlug(embeddingModelId);
  return {
    index: `${KEY_PREFIX}idx:${KEY_VERSION}:${model}:${dimensions}`,
    documentPrefix: `${KEY_PREFIX}sem:${KEY_VERSION}:${model}:${dimensions}:`,
  };
}

/** Float32 little-endian bytes of a vector, the layout FT VECTOR fields and KNN params expect. */
export function vectorBlob(vector: Float32Array): Buffer {
  const blob = Buffer.allocUnsafe(vector.length * 4);
  for (let i = 0; i < vector.length; i++) blob.writeFloatLE(vector[i]!, i * 4);
  return blob;
}
