import { CacheActions, PURGE_DEADLINE_MARGIN_MS } from '../../../lambda/actions/cache-actions';
import { entryRefOfRequest } from '../../../lambda/actions/request-entry';
import type { PurgeResult } from '../../../lambda/backends/backend';
import { CacheGuard } from '../../../lambda/cache/guard';
import { loadConfig } from '../../../lambda/core/config';
import { CacheUnavailableError, InvalidRequestError, PurgeDisabledError } from '../../../lambda/core/errors';
import { exactKeyOf } from '../../../lambda/core/keys';
import { parseRequest } from '../../../lambda/core/request';
import type { CacheRequestInput, EntryRef } from '../../../lambda/core/types';
import type { ActionReport, CacheObserver } from '../../../lambda/observability/observer';
import type { SemanticIndex } from '../../../lambda/semantic/semantic-index';
import type { EntryStore } from '../../../lambda/stores/entry-store';

const config = loadConfig({ CACHE_BACKEND: 'memory' });
const request = (input: CacheRequestInput) => parseRequest({ namespace: 'tenant-a', ...input }, config);

/** Keys and their values; `failing` makes every call reject. Only `delete` matters here. */
class KeyStore implements EntryStore {
  readonly values = new Map<string, string>();
  failing = false;
  private check(): void {
    if (this.failing) throw new Error('connection refused');
  }
  async get(key: string) {
    this.check();
    return this.values.get(key) ?? null;
  }
  async set(key: string, value: string) {
    this.check();
    this.values.set(key, value);
  }
  async setIfAbsent(key: string, value: string) {
    this.check();
    if (this.values.has(key)) return false;
    this.values.set(key, value);
    return true;
  }
  async deleteIfEquals() {
    this.check();
  }
  async extendIfEquals() {
    this.check();
    return false;
  }
  async delete(key: string) {
    this.check();
    return this.values.delete(key);
  }
}

/** Documents by `scope/id`, with the askers each rejected; `failing` makes remove and reject reject. */
class DocumentIndex implements SemanticIndex {
  readonly kind = 'memory';
  readonly documents = new Map<string, Set<string>>();
  failing = false;
  put(entry: EntryRef): void {
    this.documents.set(`${entry.namespace}/${entry.scope}/${entry.id}`, new Set());
  }
  async search() {
    return null;
  }
  async add() {}
  async remove(scope: string, id: string, namespace: string) {
    if (this.failing) throw new Error('index unreachable');
    return this.documents.delete(`${namespace}/${scope}/${id}`);
  }
  async reject(scope: string, id: string, namespace: string, asker: string) {
    if (this.failing) throw new Error('index unreachable');
    const askers = this.documents.get(`${namespace}/${scope}/${id}`);
    askers?.add(asker);
    return askers !== undefined;
  }
}

function build(options: { allowPurge?: boolean; index?: DocumentIndex | null; purge?: (namespace: string, deadline?: number) => Promise<PurgeResult> } = {}) {
  const store = new KeyStore();
  const index = options.index === undefined ? new DocumentIndex() : options.index;
  const reports: ActionReport[] = [];
  const observer = { action: (report: ActionReport) => void reports.push(report) } as unknown as CacheObserver;
  const purge = jest.fn(options.purge ?? (async () => ({ entries: 2, keys: 5, complete: true })));
  const actions = new CacheActions({ backend: { store, semanticIndex: async () => index, purge }, guard: new CacheGuard(1000), observer, allowPurge: options.allowPurge ?? true });
  return { actions, store, index, reports, purge };
}

const asked = request({ prompt: 'Where is Las Vegas?' });
const ENTRY = entryRefOfRequest(asked);

describe('CacheActions', () => {
  describe('invalidate', () => {
    it('removes the exact entry and its semantic document, and counts the entry once', async () => {
      const { actions, store, index, reports } = build();
      store.values.set(exactKeyOf(ENTRY.namespace, ENTRY.id), 'entry');
      index!.put(ENTRY);

      const result = await actions.perform({ action: 'invalidate', entry: ENTRY });

      expect(result).toEqual({ invalidated: 1 });
      expect(store.values.size).toBe(0);
      expect(index!.documents.size).toBe(0);
      expect(reports).toEqual([{ action: 'invalidate', namespace: 'tenant-a', count: 1 }]);
    });

    it('finds the entry of a request by its fields, as the lookup keys it', async () => {
      const { actions, store } = build();
      store.values.set(exactKeyOf(ENTRY.namespace, ENTRY.id), 'entry');

      expect(await actions.perform({ action: 'invalidate', request: request({ prompt: 'Where is Las Vegas?' }) })).toEqual({ invalidated: 1 });
      expect(store.values.size).toBe(0);
    });

    it('counts a semantic document alone (its exact entry already expired)', async () => {
      const { actions, index } = build();
      index!.put(ENTRY);

      expect(await actions.perform({ action: 'invalidate', entry: ENTRY })).toEqual({ invalidated: 1 });
    });

    it('answers 0 when nothing was there, on a backend without a semantic index too', async () => {
      expect(await build().actions.perform({ action: 'invalidate', entry: ENTRY })).toEqual({ invalidated: 0 });
      expect(await build({ index: null }).actions.perform({ action: 'invalidate', entry: ENTRY })).toEqual({ invalidated: 0 });
    });

    it('fails loudly with CacheUnavailable naming the step that failed and what was done', async () => {
      const { actions, store, index } = build();
      store.values.set(exactKeyOf(ENTRY.namespace, ENTRY.id), 'entry');
      index!.failing = true;

      const failed = actions.perform({ action: 'invalidate', entry: ENTRY });

      await expect(failed).rejects.toThrow(CacheUnavailableError);
      await expect(failed).rejects.toThrow(/removing its semantic document \(error: index unreachable\) failed \(the exact entry is gone\); retry it/);
    });

    it('names both steps when the cache is down', async () => {
      const { actions, store, index } = build();
      store.failing = true;
      index!.failing = true;

      await expect(actions.perform({ action: 'invalidate', entry: ENTRY })).rejects.toThrow(/removing the exact entry \(error: connection refused\) and removing its semantic document/);
    });
  });

  describe('reject', () => {
    const paraphrase = request({ prompt: 'Where is Vegas?' });

    it("records the rejecting request's own digest on the document, and keeps the entry", async () => {
      const { actions, store, index, reports } = build();
      store.values.set(exactKeyOf(ENTRY.namespace, ENTRY.id), 'entry');
      index!.put(ENTRY);

      const result = await actions.perform({ action: 'reject', entry: ENTRY, request: paraphrase });

      expect(result).toEqual({ rejected: 1 });
      expect([...index!.documents.values()][0]).toEqual(new Set([entryRefOfRequest(paraphrase).id]));
      expect(store.values.size).toBe(1);
      expect(reports).toEqual([{ action: 'reject', namespace: 'tenant-a', count: 1 }]);
    });

    it('answers 0 when the document is gone, or the backend has no semantic index', async () => {
      expect(await build().actions.perform({ action: 'reject', entry: ENTRY, request: paraphrase })).toEqual({ rejected: 0 });
      expect(await build({ index: null }).actions.perform({ action: 'reject', entry: ENTRY, request: paraphrase })).toEqual({ rejected: 0 });
    });

    it('refuses the request\'s own exact entry: that is an invalidate', async () => {
      await expect(build().actions.perform({ action: 'reject', entry: ENTRY, request: asked })).rejects.toThrow(/own exact entry.*invalidate it/);
    });

    it('refuses an entry of another scope, which cannot have answered the request', async () => {
      const otherModel = request({ prompt: 'Where is Vegas?', maxTokens: 100 });

      await expect(build().actions.perform({ action: 'reject', entry: ENTRY, request: otherModel })).rejects.toThrow(InvalidRequestError);
    });

    it('fails loudly with CacheUnavailable when the index fails', async () => {
      const { actions, index } = build();
      index!.failing = true;

      await expect(actions.perform({ action: 'reject', entry: ENTRY, request: paraphrase })).rejects.toThrow(/reject did not complete: recording the rejection failed \(error: index unreachable\)/);
    });
  });

  describe('purge', () => {
    it('is refused with PurgeDisabled unless allowed, before anything is removed', async () => {
      const { actions, purge } = build({ allowPurge: false });

      await expect(actions.perform({ action: 'purge', namespace: 'tenant-a' })).rejects.toThrow(PurgeDisabledError);
      expect(purge).not.toHaveBeenCalled();
    });

    it("answers the entries removed, and stops a margin before the invocation's end", async () => {
      const { actions, purge, reports } = build();

      expect(await actions.perform({ action: 'purge', namespace: 'tenant-a' }, 50_000)).toEqual({ purged: 2 });
      expect(purge).toHaveBeenCalledWith('tenant-a', 50_000 - PURGE_DEADLINE_MARGIN_MS);
      expect(reports).toEqual([{ action: 'purge', namespace: 'tenant-a', count: 2, keys: 5, complete: true }]);
    });

    it('runs without a deadline outside Lambda', async () => {
      const { actions, purge } = build();

      await actions.perform({ action: 'purge', namespace: 'tenant-a' });

      expect(purge).toHaveBeenCalledWith('tenant-a', undefined);
    });

    it('says when it did not finish in time', async () => {
      const { actions } = build({ purge: async () => ({ entries: 700, keys: 1500, complete: false }) });

      expect(await actions.perform({ action: 'purge', namespace: 'tenant-a' }, 1)).toEqual({ purged: 700, complete: false });
    });

    it('fails loudly with CacheUnavailable when the backend fails', async () => {
      const { actions } = build({ purge: async () => Promise.reject(new Error('NOPERM this user has no permissions to run the scan command')) });

      await expect(actions.perform({ action: 'purge', namespace: 'tenant-a' })).rejects.toThrow(/purge of "tenant-a" did not complete: NOPERM .*rerun it/);
    });
  });
});
