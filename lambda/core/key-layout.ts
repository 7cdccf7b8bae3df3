import { NAMESPACE_PATTERN, NAMESPACE_RULE } from '../settings/values';
import { InvalidRequestError } from './errors';
import { KEY_PREFIX, KEY_VERSION } from './keys';

/**
 * The key forms that belong to a namespace, and a parser for them. Every key the Redis backends
 * write for a namespace carries the namespace in a fixed position, so a purge can find them with
 * SCAN and must then check each match here: `*` in a MATCH pattern spans `:`, so the pattern
 * alone also matches keys of other namespaces (a namespace named like a model slug or a dimension).
 *
 * - exact entries and their single-flight locks: `llmcache:v1:<ns>:<id>`;
 * - refresh locks: `llmcache:v1:<ns>:<id>:refresh`;
 * - FT documents (index version 3 on): `llmcache:sem:v1:s<n>:<model>:<dim>:<ns>:<id>`;
 * - client-side index: `llmcache:cv:v2:<model>:<dim>:<ns>:{<scope>}:<rest>` (`log`, `d:<id>`, ...).
 */
export type KeyKind = 'entry' | 'refresh-lock' | 'search-document' | 'client-index';

export interface ParsedKey {
  readonly namespace: string;
  readonly kind: KeyKind;
}

/** Namespaces as the request parser accepts them (`NAMESPACE_PATTERN`): no glob special characters. */
const NS = '([A-Za-z0-9_.-]{1,64})';
const MODEL = '[a-z0-9-]+';
const EXACT = new RegExp(`^${KEY_PREFIX}${KEY_VERSION}:${NS}:[^:]+$`);
const REFRESH = new RegExp(`^${KEY_PREFIX}${KEY_VERSION}:${NS}:[^:]+:refresh$`);
/** Search index versions before 3 had no namespace in their document keys. */
const SEARCH = new RegExp(`^${KEY_PREFIX}sem:${KEY_VERSION}:s(?:[3-9]|[1-9][0-9]+):${MODEL}:[0-9]+:${NS}:[^:]+$`);
const CLIENT = new RegExp(`^${KEY_PREFIX}cv:v2:${MODEL}:[0-9]+:${NS}:\\{[^{}]+\\}:.+$`);

const FORMS: readonly (readonly [RegExp, KeyKind])[] = [
  [EXACT, 'entry'],
  [REFRESH, 'refresh-lock'],
  [SEARCH, 'search-document'],
  [CLIENT, 'client-index'],
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

/** The namespace a key belongs to, or undefined when it is not in one of the namespace's forms. */
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
