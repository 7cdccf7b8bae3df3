import { canonicalForms, sha256Hex, toConverseRequest, type KeyEncoder } from '../core/keys';
import type { CacheRequest, EntryRef } from '../core/types';

/**
 * The entry a request is stored under, computed as `CacheLookup.find` computes its key and scope
 * (the same Converse request, the same canonical forms, the same encoder): no lookup, no
 * embedding. Its `id` is also the request's own digest, the `asker` of a rejection.
 */
export function entryRefOfRequest(request: CacheRequest, encode: KeyEncoder = sha256Hex): EntryRef {
  const canonical = canonicalForms(request.namespace, toConverseRequest(request));
  return { namespace: request.namespace, scope: encode(canonical.scope), id: encode(canonical.request) };
}
