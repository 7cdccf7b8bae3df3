import { NAMESPACE_PATTERN, NAMESPACE_RULE } from '../settings/values';
import { InvalidRequestError } from './errors';
import { KEY_PREFIX, KEY_VERSION } from './keys';

/**
 * Version of the client-side index's key layout (`llmcache:cv:<version>:...`). Version 2 put the
 * namespace in every key (`...:<model>:<dim>:<ns>:{<scope>}:...`), so a purge finds a namespace's
 * change logs, vectors and rejections by SCAN; version-1 keys are no longer read and expire by TTL.
 */
export const CLIENT_INDEX_KEY_VERSION = 'v2';

/**
 * The key forms that belong to a namespace, and a parser for them. Every key the Redis backends
 * write for a namespace carries the namespace in a fixed position, so a purge can find them with
 * SCAN and must then check each match here: `*` in a MATCH pattern spans `:`, so the pattern
 * alone also matches keys of other namespaces (a namespace named like a model slug or a dimension).
 *
 * - exact entries and their single-flight locks: `llmcache:v1:<ns>:<id>`;
 * - refresh locks: `llmcache:v1:<ns>:<id>:refresh`;
 * - FT documents: `llmcache:sem:v1:s<n>:<model>:<dim>:<ns>:<id>` (version 2 wrote the same shape);
 * - client-side index: `llmcache:cv:v2:<model>:<dim>:<ns>:{<scope>}:log`, `...:d:<id>` (vector and
 *   answer) and `...:r:<id>` (the askers its owner rejected it for).
 */
export type KeyKind = 'entry' | 'refresh-lock' | 'search-document' | 'client-index';

export interface ParsedKey {
  readonly namespace: string;
  readonly kind: KeyKind;
}

/** A namespace as every key carries it (`NAMESPACE_PATTERN`: no glob special characters, no `:`). */
const NS = '([A-Za-z0-9_.-]{1,64})';
/** An exact-key digest or a scope hash: hex, as `EntryRef` takes them. */
const HEX = '[0-9a-f]{16,128}';
/** An embedding model as `modelSlug` writes it. */
const MODEL = '[a-z0-9]+(?:-[a-z0-9]+)*';

const FORMS: readonly (readonly [RegExp, KeyKind])[] = [
  [new RegExp(`^${KEY_PREFIX}${KEY_VERSION}:${NS}:${HEX}$`), 'entry'],
  [new RegExp(`^${KEY_PREFIX}${KEY_VERSION}:${NS}:${HEX}:refresh$`), 'refresh-lock'],
  [new RegExp(`^${KEY_PREFIX}sem:${KEY_VERSION}:s[0-9]+:${MODEL}:[0-9]+:${NS}:${HEX}$`), 'search-document'],
  [new RegExp(`^${KEY_PREFIX}cv:${CLIENT_INDEX_KEY_VERSION}:${MODEL}:[0-9]+:${NS}:\\{${HEX}\\}:(?:log|[dr]:${HEX})$`), 'client-index'],
];

/** The namespace and kind of a key in one of the forms above; undefined for any other key. */
export function parseKey(key: string): ParsedKey | undefined {
  if (!key.startsWith(KEY_PREFIX)) return undefined;
  for (const [form, kind] of FORMS) {
    const match = form.exec(key);
    if (match !== null) return { namespace: match[1]!, kind };
  }
  return undefined;
}

/**
 * The namespace a key of this runtime belongs to, or undefined for any other key (an index name,
 * a key of another application, a malformed one). Purge checks each SCAN match with it.
 */
export function namespaceOfKey(key: string): string | undefined {
  return parseKey(key)?.namespace;
}

/** Throws `InvalidRequestError` unless `namespace` is one a request may name (so it holds no glob character). */
export function requireNamespace(namespace: string): string {
  if (!NAMESPACE_PATTERN.test(namespace)) throw new InvalidRequestError(`namespace must be ${NAMESPACE_RULE}`);
  return namespace;
}

/**
 * A SCAN MATCH pattern every key of `namespace` matches (and some others: check each with
 * `parseKey`). One pattern for all forms, so a purge walks the keyspace once.
 */
export function namespaceScanPattern(namespace: string): string {
  return `${KEY_PREFIX}*:${requireNamespace(namespace)}:*`;
}
