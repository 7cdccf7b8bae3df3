import { KEY_PREFIX, KEY_VERSION, modelSlug } from '../../../core/keys';

/** Where one scope's change log and documents live. */
export interface ClientIndexKeys {
  log(scope: string): string;
  document(scope: string, id: string): string;
}

/**
 * Key names of the client-side index. Model and dimension are in every name, and all keys of a
 * scope share the hash tag `{<scope>}`, so a scope lives in one cluster slot:
 * `llmcache:cv:v1:<model>:<dim>:{<scope>}:log` (change log, a capped stream) and
 * `llmcache:cv:v1:<model>:<dim>:{<scope>}:d:<id>` (float32 vector + answer, with the entry's TTL).
 */
export function clientIndexKeys(embeddingModelId: string, dimensions: number): ClientIndexKeys {
  const model = modelSlug(embeddingModelId);
  const prefix = `${KEY_PREFIX}cv:${KEY_VERSION}:${model}:${dimensions}:`;
  return {
    log: (scope) => `${prefix}{${scope}}:log`,
    document: (scope, id) => `${prefix}{${scope}}:d:${id}`,
  };
}
