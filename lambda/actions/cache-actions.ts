import type { RuntimeBackend } from '../backends/backend';
import type { CacheGuard, Guarded } from '../cache/guard';
import { CacheUnavailableError, InvalidRequestError, PurgeDisabledError } from '../core/errors';
import { exactKeyOf, sha256Hex, type KeyEncoder } from '../core/keys';
import type { CacheRequest, EntryRef } from '../core/types';
import { silentObserver, type CacheObserver } from '../observability/observer';
import type { SemanticIndex } from '../semantic/semantic-index';
import type { ActionResult, CacheAction } from './action-types';
import { entryRefOfRequest } from './request-entry';

/**
 * Time a purge leaves itself before the invocation's end, to answer with what it did instead of
 * being cut off by Lambda's timeout. A purge checks its deadline between batches.
 */
export const PURGE_DEADLINE_MARGIN_MS = 1000;

export interface CacheActionsOptions {
  /** The backend's store, index and purge. */
  readonly backend: Pick<RuntimeBackend, 'store' | 'semanticIndex' | 'purge'>;
  /** Bounds each invalidate and reject step (the cache timeout, the shard's breaker). */
  readonly guard: CacheGuard;
  /** `CACHE_ALLOW_PURGE`: without it a purge is `PurgeDisabled`. */
  readonly allowPurge: boolean;
  /** @default silentObserver */
  readonly observer?: CacheObserver;
  /** Must be the encoder `LlmCache` keys entries with. @default sha256Hex */
  readonly keyEncoder?: KeyEncoder;
}

/**
 * Takes answers back (README "Taking an answer back"): invalidate one entry, reject a semantic
 * hit for one request, purge a namespace. Unlike a request, an action has nothing to fall back
 * on: a cache fault fails it loudly (`CacheUnavailable`, naming the step and why), and since each
 * action is idempotent the caller retries it.
 */
export class CacheActions {
  private readonly observer: CacheObserver;
  private readonly encode: KeyEncoder;

  constructor(private readonly options: CacheActionsOptions) {
    this.observer = options.observer ?? silentObserver;
    this.encode = options.keyEncoder ?? sha256Hex;
  }

  /** Runs `action`; `deadline` (performance.now() ms) is the invocation's end, which bounds a purge. */
  async perform(action: CacheAction, deadline?: number): Promise<ActionResult> {
    switch (action.action) {
      case 'invalidate': {
        const entry = 'entry' in action ? action.entry : entryRefOfRequest(action.request, this.encode);
        const invalidated = await this.invalidate(entry);
        this.observer.action?.({ action: 'invalidate', namespace: entry.namespace, count: invalidated });
        return { invalidated };
      }
      case 'reject': {
        const rejected = await this.reject(action.entry, action.request);
        this.observer.action?.({ action: 'reject', namespace: action.entry.namespace, count: rejected });
        return { rejected };
      }
      case 'purge':
        return this.purge(action.namespace, deadline);
    }
  }

  /**
   * Removes the exact entry and its semantic document, both at once; 1 when either existed. The
   * document goes from every container's copy (`SemanticIndex.remove`).
   */
  private async invalidate(entry: EntryRef): Promise<0 | 1> {
    const key = exactKeyOf(entry.namespace, entry.id);
    const [deleted, removed] = await Promise.all([
      this.options.guard.run(() => this.options.backend.store.delete(key), key),
      this.onIndex((index) => index.remove(entry.scope, entry.id, entry.namespace)),
    ]);
    if (!deleted.ok || !removed.ok) {
      const failed = [...(deleted.ok ? [] : [`removing the exact entry (${why(deleted)})`]), ...(removed.ok ? [] : [`removing its semantic document (${why(removed)})`])];
      const done = deleted.ok ? ' (the exact entry is gone)' : removed.ok ? ' (its semantic document is gone)' : '';
      throw new CacheUnavailableError(`invalidate did not complete: ${failed.join(' and ')} failed${done}; retry it, it is idempotent`, { cause: failure(deleted) ?? failure(removed) });
    }
    return deleted.value || removed.value === true ? 1 : 0;
  }

  /**
   * Records that `request` must never be answered by document `entry` again. The entry stays for
   * the question it was made for. 0 when the document is gone (nothing can answer from it).
   */
  private async reject(entry: EntryRef, request: CacheRequest): Promise<0 | 1> {
    const asker = entryRefOfRequest(request, this.encode);
    if (asker.scope !== entry.scope) {
      throw new InvalidRequestError('"entryId" names an entry of another scope (model, system prompt, settings or earlier turns differ): it cannot have answered this request; send the fields of the request that got it');
    }
    if (asker.id === entry.id) {
      throw new InvalidRequestError('"entryId" names this request\'s own exact entry: reject is for a semantic hit that answered another question; to take this answer back, invalidate it');
    }
    const recorded = await this.onIndex((index) => index.reject(entry.scope, entry.id, entry.namespace, asker.id));
    if (!recorded.ok) throw new CacheUnavailableError(`reject did not complete: recording the rejection failed (${why(recorded)}); retry it, it is idempotent`, { cause: recorded.error });
    return recorded.value === true ? 1 : 0;
  }

  /** Empties `namespace` until the invocation's end (less a margin), saying so when it did not finish. */
  private async purge(namespace: string, deadline: number | undefined): Promise<ActionResult> {
    if (!this.options.allowPurge) {
      throw new PurgeDisabledError('purge is not allowed by this deployment (CACHE_ALLOW_PURGE is not true; the stacks\' context key allowPurge); nothing was removed');
    }
    let result;
    try {
      result = await this.options.backend.purge(namespace, deadline === undefined ? undefined : deadline - PURGE_DEADLINE_MARGIN_MS);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new CacheUnavailableError(`purge of ${JSON.stringify(namespace)} did not complete: ${detail}; what it removed stays removed, rerun it to remove the rest`, { cause: error });
    }
    this.observer.action?.({ action: 'purge', namespace, count: result.entries, keys: result.keys, complete: result.complete });
    return result.complete ? { purged: result.entries } : { purged: result.entries, complete: false };
  }

  /** `use` on the backend's semantic index, guarded; `false` when the backend has none. */
  private async onIndex(use: (index: SemanticIndex) => Promise<boolean>): Promise<Guarded<boolean>> {
    const index = await this.options.guard.run(() => this.options.backend.semanticIndex());
    if (!index.ok) return index;
    if (index.value === null) return { ok: true, value: false };
    const resolved = index.value;
    return this.options.guard.run(() => use(resolved));
  }
}

function why(result: Guarded<unknown>): string {
  if (result.ok) return 'ok';
  const detail = result.error instanceof Error ? `: ${result.error.message}` : '';
  return `${result.reason}${detail}`;
}

function failure(result: Guarded<unknown>): unknown {
  return result.ok ? undefined : (result.error ?? result.reason);
}
