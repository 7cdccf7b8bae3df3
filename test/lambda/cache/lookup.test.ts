import { CacheGuard } from '../../../lambda/cache/guard';
import { CacheLookup } from '../../../lambda/cache/lookup';
import { SemanticLookup } from '../../../lambda/cache/semantic-lookup';
import { encodeEntry, encodeLock, toEntry } from '../../../lambda/core/entry';
import { exactKeyOf, sha256Hex, toConverseRequest } from '../../../lambda/core/keys';
import type { CacheRequest } from '../../../lambda/core/types';
import { MemoryIndex } from '../../../lambda/backends/memory/memory-index';
import { MemoryStore } from '../../../lambda/backends/memory/memory-store';
import type { EntryStore } from '../../../lambda/stores/entry-store';
import type { SemanticIndex } from '../../../lambda/semantic/semantic-index';
import { BrokenStore, FakeEmbedder, fakeObserver, keyOf, LAS_VEGAS, LAS_VEGAS_REPHRASED, request, scopeOf } from './fakes';
import { questionFacts } from '../../../lambda/semantic/same-question/facts';

const ANSWER = { text: 'In Nevada.', stopReason: 'end_turn', usage: { inputTokens: 1, outputTokens: 2 }, modelId: 'model-a', latencyMs: 5 };

/** A lookup over `store` and `index` (`null`: the backend has no semantic index). */
function lookupOver(store: EntryStore, index: SemanticIndex | null = new MemoryIndex()) {
  const observer = fakeObserver();
  const embedder = new FakeEmbedder();
  const guard = new CacheGuard(1000);
  const semantic = new SemanticLookup(async () => index, embedder, guard, observer);
  return { lookup: new CacheLookup(store, guard, observer, semantic, sha256Hex), observer, embedder };
}

function find(lookup: CacheLookup, req: CacheRequest) {
  return lookup.find(req, toConverseRequest(req));
}

describe('CacheLookup', () => {
  it('returns an exact hit with the time spent in the cache, without embedding', async () => {
    const store = new MemoryStore();
    const req = request();
    await store.set(keyOf(req), encodeEntry(toEntry(ANSWER, scopeOf(req), 0)), 10_000);
    const { lookup, embedder } = lookupOver(store);

    const found = await find(lookup, req);

    expect(found).toMatchObject({ kind: 'hit', cache: 'exact', entry: { text: 'In Nevada.' }, scope: scopeOf(req) });
    expect(found.kind === 'hit' && exactKeyOf(req.namespace, found.id)).toBe(keyOf(req));
    expect(found.cacheMs).toBeGreaterThanOrEqual(0);
    expect(embedder.calls).toEqual([]);
  });

  it("returns a miss that carries the key, the scope and the lock it saw at the key", async () => {
    const store = new MemoryStore();
    const req = request({ mode: 'standard' });
    await store.set(keyOf(req), encodeLock('other'), 10_000);
    const { lookup } = lookupOver(store);

    const found = await find(lookup, req);

    expect(found).toMatchObject({ kind: 'miss', key: keyOf(req), scope: scopeOf(req), lockSeen: true });
    expect(found).not.toHaveProperty('skipped');
    expect(found).not.toHaveProperty('indexing');
  });

  it('returns a miss marked skipped, with no semantic lookup, when the exact lookup fails', async () => {
    const { lookup, observer, embedder } = lookupOver(new BrokenStore('throw'));

    const found = await find(lookup, request());

    expect(found).toMatchObject({ kind: 'miss', skipped: 'error', lockSeen: false });
    expect(embedder.calls).toEqual([]);
    expect(observer.fault).toHaveBeenCalledWith(expect.objectContaining({ operation: 'lookup', reason: 'error' }));
  });

  it("gives a semantic miss the prompt's vector and the index, so the miss path can index its answer", async () => {
    const index = new MemoryIndex();
    const { lookup } = lookupOver(new MemoryStore(), index);

    const found = await find(lookup, request());

    expect(found.kind).toBe('miss');
    expect(found.kind === 'miss' && found.indexing?.index).toBe(index);
    expect(found.kind === 'miss' && Array.from(found.indexing!.vector)).toEqual([1, 0, 0]);
  });

  it('returns a semantic hit from the index of the same scope', async () => {
    const index = new MemoryIndex();
    const req = request({ prompt: LAS_VEGAS_REPHRASED });
    const scope = scopeOf(req);
    await index.add({ scope, id: 'a1b2c3d4e5f60718', namespace: 'default', vector: Float32Array.from([1, 0, 0]), entry: encodeEntry(toEntry(ANSWER, scope, 0)), ttlMs: 10_000, facts: questionFacts(LAS_VEGAS) });
    const { lookup } = lookupOver(new MemoryStore(), index);

    const found = await find(lookup, req);

    expect(found).toMatchObject({ kind: 'hit', cache: 'semantic', entry: { text: 'In Nevada.' }, id: 'a1b2c3d4e5f60718', scope });
    expect(found.kind === 'hit' && found.similarity).toBeCloseTo(0.96, 5);
  });

  it("says why semantic lookup was unavailable when the backend has no index", async () => {
    const { lookup } = lookupOver(new MemoryStore(), null);

    const found = await find(lookup, request());

    expect(found).toMatchObject({ kind: 'miss', semanticReason: 'no-index' });
    expect(found).not.toHaveProperty('indexing');
  });

  it('passes over a neighbour its owner rejected for this request, reports it, and still hits for another request', async () => {
    const index = new MemoryIndex();
    const req = request({ prompt: LAS_VEGAS_REPHRASED });
    const scope = scopeOf(req);
    await index.add({ scope, id: 'a', namespace: 'default', vector: Float32Array.from([1, 0, 0]), entry: encodeEntry(toEntry(ANSWER, scope, 0)), ttlMs: 10_000, facts: questionFacts(LAS_VEGAS) });
    const asker = keyOf(req).slice(keyOf(req).lastIndexOf(':') + 1);
    await index.reject(scope, 'a', 'default', asker);
    const { lookup } = lookupOver(new MemoryStore(), index);

    const found = await find(lookup, req);
    const other = await find(lookup, request({ prompt: LAS_VEGAS }));

    expect(found).toMatchObject({ kind: 'miss', semanticRejected: { reason: 'rejected-by-owner', similarity: expect.closeTo(0.96, 5) } });
    expect(other).toMatchObject({ kind: 'hit', cache: 'semantic' });
  });
});
