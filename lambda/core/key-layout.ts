import { KEY_PREFIX, KEY_VERSION } from './keys';

/**
 * Version of the client-side index's key layout (`llmcache:cv:<version>:...`). Version 2 put the
 * namespace in every key (`...:<model>:<dim>:<ns>:{<scope>}:...`), so a purge finds a namespace's
 * change logs, vectors and rejections by SCAN; version-1 keys are no longer read and expire by TTL.
 */
export const CLIENT_INDEX_KEY_VERSION = 'v2';

/** A namespace as every key carries it (`NAMESPACE_PATTERN`: no glob special characters, no `:`). */
const NS = '[A-Za-z0-9_.-]{1,64}';
/** An exact-key digest or a scope hash: hex, as `EntryRef` takes them. */
const HEX = '[0-9a-f]{16,128}';
/** An embedding model as `modelSlug` writes it. */
const MODEL = '[a-z0-9]+(?:-[a-z0-9]+)*';

/**
 * Every key form that carries a namespace, each with the namespace as its first group:
 * - exact entries and their single-flight lock `llmcache:v1:<ns>:<id>`, refresh's lock `...:<id>:refresh`;
 * - FT documents `llmcache:sem:v1:s<version>:<model>:<dim>:<ns>:<id>` (version 2 wrote the same shape);
 * - client-side index `llmcache:cv:v2:<model>:<dim>:<ns>:{<scope>}:log`, `...:d:<id>` (vector and
 *   answer) and `...:r:<id>` (the askers its owner rejected it for).
 */
const FORMS: readonly RegExp[] = [
  new RegExp(`^${KEY_PREFIX}${KEY_VERSION}:(${NS}):${HEX}(?::refresh)?$`),
  new RegExp(`^${KEY_PREFIX}sem:${KEY_VERSION}:s[0-9]+:${MODEL}:[0-9]+:(${NS}):${HEX}$`),
  new RegExp(`^${KEY_PREFIX}cv:${CLIENT_INDEX_KEY_VERSION}:${MODEL}:[0-9]+:(${NS}):\\{${HEX}\\}:(?:log|[dr]:${HEX})$`),
];

/**
 * The namespace a key of this runtime belongs to, or undefined for any other key (an index name,
 * a key of another application, a malformed one). Purge checks each SCAN match with it: `*` in a
 * MATCH pattern also matches `:`, so a pattern alone could reach another namespace's keys.
 */
export function namespaceOfKey(key: string): string | undefined {
  for (const form of FORMS) {
    const match = form.exec(key);
    if (match !== null) return match[1];
  }
  return undefined;
}
