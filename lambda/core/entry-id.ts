import { InvalidRequestError } from './errors';
import type { EntryRef } from './types';
import { NAMESPACE_PATTERN } from '../settings/values';

/** Format tag of an entry id: a later format gets another tag, and this decoder refuses it by name. */
const TAG = 'e1.';
/** A scope hash or an entry digest: the key encoder's hex output (SHA-256 gives 64 characters). */
const DIGEST = /^[0-9a-f]{16,128}$/;
/** Longest text `decodeEntryId` looks at: a 64-character namespace and two 128-character digests, encoded. */
const MAX_CHARS = TAG.length + Math.ceil(((64 + 1 + 128 + 1 + 128) * 4) / 3);

/**
 * The `entryId` of a hit: `e1.` + base64url of `<namespace>\n<scope>\n<id>`. Opaque to callers
 * (they send it back as they got it); readable by operators who decode it. Not a secret and not
 * a capability: an action with it is authorized like any request of its namespace.
 */
export function encodeEntryId(ref: EntryRef): string {
  // Every character is ASCII (NAMESPACE_PATTERN, hex digests): latin1 encodes it as UTF-8 would, at
  // about half the cost (0.2 against 0.35 us; this runs on every hit).
  return TAG + Buffer.from(`${ref.namespace}\n${ref.scope}\n${ref.id}`, 'latin1').toString('base64url');
}

/** Reads an `entryId`; anything this function could not have written is `InvalidRequest`. */
export function decodeEntryId(text: unknown): EntryRef {
  if (typeof text !== 'string' || text === '') throw new InvalidRequestError('"entryId" must be the non-empty string a hit\'s response carried');
  if (!text.startsWith(TAG)) throw new InvalidRequestError(`"entryId" is not an entry id of this cache (expected it to start with "${TAG}")`);
  const body = text.slice(TAG.length);
  if (text.length > MAX_CHARS || !/^[A-Za-z0-9_-]+$/.test(body)) throw new InvalidRequestError('"entryId" is malformed (not the base64url text a hit\'s response carried)');
  // latin1 maps each byte to one character: anything but ASCII then fails the patterns below.
  const parts = Buffer.from(body, 'base64url').toString('latin1').split('\n');
  const [namespace, scope, id] = parts;
  if (parts.length !== 3 || !NAMESPACE_PATTERN.test(namespace) || !DIGEST.test(scope) || !DIGEST.test(id)) {
    throw new InvalidRequestError('"entryId" is malformed (it does not name a namespace, a scope and an entry)');
  }
  return { namespace, scope, id };
}
