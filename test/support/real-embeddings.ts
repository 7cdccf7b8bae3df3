/**
 * Real sentence embeddings in tests: the Universal Sentence Encoder lite (512 dimensions), run
 * locally (tools/real-embeddings). The model loads at most once per test file, and only for texts
 * not yet in the gitignored disk cache (.cache/embeddings/): a rerun embeds nothing.
 *
 *   const embeddings = realEmbeddings();
 *   await embeddings.embedAll(texts);              // warm up in beforeAll (batched)
 *   createRuntime(config, { embedder: embeddings.embedder() });  // EMBEDDING_DIMENSIONS=512
 */
import { UseEmbeddings } from '../../tools/real-embeddings/use-embeddings';

export { cosine, UseEmbeddings, USE_DIMENSIONS as REAL_EMBEDDING_DIMENSIONS, USE_MODEL_ID as REAL_EMBEDDING_MODEL_ID } from '../../tools/real-embeddings/use-embeddings';

let shared: UseEmbeddings | undefined;

/** This test file's embeddings (one per file: jest gives each file its own module registry). */
export function realEmbeddings(): UseEmbeddings {
  shared ??= new UseEmbeddings();
  return shared;
}
