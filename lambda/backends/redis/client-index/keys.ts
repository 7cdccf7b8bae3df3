import { CLIENT_INDEX_KEY_VERSION } from '../../../core/key-layout';
import { KEY_PREFIX, modelSlug } from '../../../core/keys';

/** Where one scope's change log, documents and rejections live. */
export interface ClientIndexKeys {
  log(namespace: string, scope: string): string;
  document(namespace: string, scope: string, id: string): string;
  /** The askers document `id`'s owner rejected it for (`SemanticIndex.reject`), with the document's TTL. */
  rejections(namespace: string, scope: string, id: string): string;
}

/**
 * Key names of the client-side index. Model, dimension and namespace are in every name (a purge
 * of the namespace finds them: `namespaceOfKey`), and all keys of a scope share the hash tag
 * `{<scope>}`, so a scope lives in one cluster slot:
 * `llmcache:cv:v2:<model>:<dim>:<ns>:{<scope>}:log` (change log, a capped stream),
 * `...:{<scope>}:d:<id>` (float32 vector + answer, with the entry's TTL) and
 * `...:{<scope>}:r:<id>` (rejecting askers, with the document's TTL).
 */
export function clientIndexKeys(embeddingModelId: string, dimensions: number): ClientIndexKeys {
  const prefix = `${KEY_PREFIX}cv:${CLIENT_INDEX_KEY_VERSION}:${modelSlug(embeddingModelId)}:${dimensions}:`;
  return {
    log: (namespace, scope) => `${prefix}${namespace}:{${scope}}:log`,
    document: (namespace, scope, id) => `${prefix}${namespace}:{${scope}}:d:${id}`,
    rejections: (namespace, scope, id) => `${prefix}${namespace}:{${scope}}:r:${id}`,
  };
}
