import { decodeEntryId } from '../core/entry-id';
import { InvalidRequestError } from '../core/errors';
import { isRecord, quoteName, text } from '../core/fields';
import { parseRequest, type RequestDefaults } from '../core/request';
import type { EntryRef } from '../core/types';
import { NAMESPACE_PATTERN, NAMESPACE_RULE } from '../settings/values';
import { ACTION_NAMES, type CacheAction } from './action-types';

/** Whether a payload asks for an action (it has an `action` field) rather than an answer. */
export function isActionPayload(payload: unknown): payload is Record<string, unknown> {
  return isRecord(payload) && Object.hasOwn(payload, 'action');
}

/**
 * Validates an action payload. Throws `InvalidRequestError` naming the field; never anything else.
 *
 * `boundNamespace` (`NAMESPACE_FROM`, as in `parseRequest`): an action touches only the caller's
 * namespace. An `entryId` of another namespace, or a body `namespace` that is not the caller's, is
 * refused with the status a request naming another namespace gets (400). The request an action
 * names is read by `parseRequest`: the same rules, defaults and binding as a request to answer.
 */
export function parseAction(payload: Record<string, unknown>, defaults: RequestDefaults, boundNamespace?: string): CacheAction {
  const { action, entryId, ...rest } = payload;
  if (typeof action !== 'string' || !(ACTION_NAMES as readonly string[]).includes(action)) {
    throw new InvalidRequestError(`"action" must be one of ${ACTION_NAMES.join(', ')}`);
  }
  if (action === 'purge') {
    if (entryId !== undefined) throw new InvalidRequestError('a purge takes "namespace" only, not "entryId"');
    return { action, namespace: purgedNamespace(rest, boundNamespace) };
  }
  if (action === 'invalidate') {
    if (entryId === undefined) return { action, request: parseRequest(rest, defaults, boundNamespace) };
    const extra = Object.keys(rest);
    if (extra.length > 0) {
      throw new InvalidRequestError(`invalidate takes "entryId" alone, or the fields of a request without it; got "entryId" with ${extra.slice(0, 5).map(quoteName).join(', ')}`);
    }
    return { action, entry: entryOf(entryId, boundNamespace) };
  }
  if (entryId === undefined) throw new InvalidRequestError('reject needs the "entryId" of the hit it rejects, with the fields of the request that got it');
  const entry = entryOf(entryId, boundNamespace);
  const request = parseRequest(rest, defaults, boundNamespace);
  if (entry.namespace !== request.namespace) {
    throw new InvalidRequestError(`"entryId" names an entry of namespace ${quoteName(entry.namespace)}, and the request is in ${quoteName(request.namespace)}: it cannot have answered it`);
  }
  return { action: 'reject', entry, request };
}

function entryOf(entryId: unknown, boundNamespace: string | undefined): EntryRef {
  const entry = decodeEntryId(entryId);
  if (boundNamespace !== undefined && entry.namespace !== boundNamespace) {
    throw new InvalidRequestError(`"entryId" names an entry of namespace ${quoteName(entry.namespace)}, which is not the caller's namespace: this function binds the namespace to the caller's identity`);
  }
  return entry;
}

/**
 * The namespace a purge empties: the body's `namespace`, required (a purge never falls back on
 * the default namespace), or the caller's own when the function binds it (then a body `namespace`
 * must be that one).
 */
function purgedNamespace(fields: Record<string, unknown>, boundNamespace: string | undefined): string {
  const extra = Object.keys(fields).filter((key) => key !== 'namespace');
  if (extra.length > 0) throw new InvalidRequestError(`a purge takes "namespace" only; got ${extra.slice(0, 5).map(quoteName).join(', ')}`);
  const requested = text(fields.namespace, 'namespace', 64);
  if (boundNamespace !== undefined && requested !== undefined && requested !== boundNamespace) {
    throw new InvalidRequestError(`"namespace" ${quoteName(requested)} is not the caller's namespace: this function binds the namespace to the caller's identity; omit the field`);
  }
  const namespace = boundNamespace ?? requested;
  if (namespace === undefined) throw new InvalidRequestError('a purge needs "namespace": the namespace to empty (it never falls back on the default namespace)');
  if (!NAMESPACE_PATTERN.test(namespace)) throw new InvalidRequestError(`"namespace" must be ${NAMESPACE_RULE}`);
  return namespace;
}
