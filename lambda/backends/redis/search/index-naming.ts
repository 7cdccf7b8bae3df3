import { KEY_PREFIX, KEY_VERSION, modelSlug } from '../../../core/keys';

/**
 * Names of the server-side vector index and its documents. Both carry the embedding model and
 * dimension, so vectors of different models or sizes never share an index.
 */
export interface IndexNames {
  readonly index: string;
  /** The index's PREFIX: a document's key is `<documentPrefix><namespace>:<id>` (`documentKey`). */
  readonly documentPrefix: string;
}

/**
 * Version of the index's FT.CREATE (its attributes and schema). An index's attributes cannot be
 * changed after creation, so a change of them gets a new version: a new index name and a new
 * document prefix, created by the runtime on first use. Version 1 had no segment in the names
 * (`llmcache:idx:v1:<model>:<dim>`); version 2 adds `EF_RUNTIME` and the `check` TAG; version 3
 * (the same schema) names each document `<prefix><namespace>:<id>` with `id` the exact key's digest
 * and may add a `rejected` field (the askers its owner rejected it for), so a namespace's documents
 * can be found and one entry's document removed; version-2 documents are no longer searched.
 * README, "Search index versions", says what a bump does on upgrade.
 */
export const SEARCH_INDEX_VERSION = 3;

export function indexNames(embeddingModelId: string, dimensions: number, version = SEARCH_INDEX_VERSION): IndexNames {
  const model = modelSlug(embeddingModelId);
  const segment = version === 1 ? '' : `s${version}:`;
  return {
    index: `${KEY_PREFIX}idx:${KEY_VERSION}:${segment}${model}:${dimensions}`,
    documentPrefix: `${KEY_PREFIX}sem:${KEY_VERSION}:${segment}${model}:${dimensions}:`,
  };
}

/** The key of document `id` (the exact key's digest) of `namespace`. */
export function documentKey(names: IndexNames, namespace: string, id: string): string {
  return `${names.documentPrefix}${namespace}:${id}`;
}

/** The document id (the exact key's digest) of a document key: what follows its last `:`. */
export function documentIdOf(key: string): string {
  return key.slice(key.lastIndexOf(':') + 1);
}

/**
 * The index names earlier versions gave this model and dimension, oldest first: the runtime drops
 * them (FT.DROPINDEX, keeping their documents, which expire by TTL) so superseded indexes do not
 * pile up against the services' limit of 10 indexes.
 */
export function supersededIndexNames(embeddingModelId: string, dimensions: number, version = SEARCH_INDEX_VERSION): string[] {
  return Array.from({ length: version - 1 }, (_, i) => indexNames(embeddingModelId, dimensions, i + 1).index);
}

/** Float32 little-endian bytes of a vector, the layout FT VECTOR fields and KNN params expect. */
export function vectorBlob(vector: Float32Array): Buffer {
  const blob = Buffer.allocUnsafe(vector.length * 4);
  for (let i = 0; i < vector.length; i++) blob.writeFloatLE(vector[i]!, i * 4);
  return blob;
}
