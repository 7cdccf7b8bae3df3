import { NAMESPACE_PATTERN, NAMESPACE_RULE } from '../settings/values';
import { InvalidRequestError } from './errors';
import { namespaceOfKey } from './key-layout';
import { KEY_PREFIX, KEY_VERSION } from './keys';

/**
 * What a purge needs of the key layout (`key-layout.ts` lists the forms): one SCAN pattern for
 * all of a namespace's keys, and which of them are exact entries (`entries` counts those).
 */

/** Throws `InvalidRequestError` unless `namespace` is one a request may name (so it holds no glob character). */
export function requireNamespace(namespace: string): string {
  if (!NAMESPACE_PATTERN.test(namespace)) throw new InvalidRequestError(`namespace must be ${NAMESPACE_RULE}`);
  return namespace;
}

/**
 * A SCAN MATCH pattern every key of `namespace` matches, whatever its form, so a purge walks the
 * keyspace once. It matches some other keys too (`*` spans `:`, and a namespace may be named like
 * a model slug or a dimension): check each match with `namespaceOfKey`.
 */
export function namespaceScanPattern(namespace: string): string {
  return `${KEY_PREFIX}*:${requireNamespace(namespace)}:*`;
}

/** Whether `key` is an exact entry's key of `namespace` (`llmcache:v1:<ns>:<id>`: an entry or its single-flight lock). */
export function isEntryKey(key: string, namespace: string): boolean {
  const prefix = `${KEY_PREFIX}${KEY_VERSION}:${namespace}:`;
  return key.startsWith(prefix) && !key.includes(':', prefix.length) && namespaceOfKey(key) === namespace;
}
