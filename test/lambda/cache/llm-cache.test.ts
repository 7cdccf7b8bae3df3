import { CacheGuard } from '../../../lambda/cache/guard';
import { CircuitBreaker } from '../../../lambda/cache/circuit-breaker';
import { decodeValue, encodeEntry, encodeLock, toEntry } from '../../../lambda/core/entry';
import { ModelError } from '../../../lambda/core/errors';
import { encodeEntryId } from '../../../lambda/core/entry-id';
import { entryRefOfRequest } from '../../../lambda/actions/request-entry';
import type { CacheRequest, ModelAnswer } from '../../../lambda/core/types';
import type { SemanticIndex } from '../../../lambda/semantic/semantic-index';
import { BrokenStore, build, keyOf, LAS_VEGAS, LAS_VEGAS_REPHRASED, RENO, request, scopeOf } from './fakes';

describe('LlmCache', () => {
  describe('exact cache', () => {
    it('calls the model on a miss and returns its answer', async () => {
      const { cache, model } = build();

      const response = await cache.answer(request());

      expect(model.calls).toHaveLength(1);
      expect(response).toMatchObject({ text: `answer to: ${LAS_VEGAS}`, cache: 'miss', modelId: 'model-a', usage: { inputTokens: 10, outputTokens: 20 } });
      expect(response.coalesced).toBeUndefined();
      expect(response.cacheSkipped).toBeUndefined();
    });

    it('stores a versioned entry in the request scope at the exact key after a miss', async () => {
      const { cache, store } = build();
      const req = request();

      await cache.answer(req);

      const decoded = decodeValue((await store.get(keyOf(req)))!, scopeOf(req));
      expect(decoded).toMatchObject({ kind: 'entry', entry: { text: `answer to: ${LAS_VEGAS}`, stopReason: 'end_turn', modelId: 'model-a' } });
    });

    it('stamps the stored entry with the injected clock', async () => {
      const { cache, store } = build({ now: () => 1_234_567 });
      const req = request();

      await cache.answer(req);

      expect(JSON.parse((await store.get(keyOf(req)))!)).toMatchObject({ createdAt: 1_234_567 });
    });

    it('stores the entry for the requested TTL', async () => {
      const { cache, store, clock } = build();
      const req = request({ ttlSeconds: 60 });
      await cache.answer(req);
      const storedAt = clock.now;

      clock.now = storedAt + 59_999;
      const before = await store.get(keyOf(req));
      clock.now = storedAt + 60_000;

      expect(before).not.toBeNull();
      expect(await store.get(keyOf(req))).toBeNull();
    });

    it('answers an exact repeat from the cache without calling the model or the embedder', async () => {
      const { cache, model, embedder } = build();
      await cache.answer(request());

      const response = await cache.answer(request());

      expect(response).toMatchObject({ text: `answer to: ${LAS_VEGAS}`, cache: 'exact', usage: { inputTokens: 0, outputTokens: 0 }, savedUsage: { inputTokens: 10, outputTokens: 20 } });
      expect(response.entryId).toBe(encodeEntryId(entryRefOfRequest(request())));
      expect(model.calls).toHaveLength(1);
      expect(embedder.calls).toHaveLength(1);
    });

    it('tells the observer whether the model was called', async () => {
      const { cache, observer } = build();

      await cache.answer(request());
      await cache.answer(request());

      expect(observer.answered.mock.calls.map(([, response, details]) => [response.cache, details.modelCalled])).toEqual([
        ['miss', true],
        ['exact', false],
      ]);
    });
  });

  describe('semantic cache', () => {
    it('answers a similar prompt above the threshold from the cache and reports the similarity', async () => {
      const { cache, model } = build();
      await cache.answer(request());

      const response = await cache.answer(request({ prompt: LAS_VEGAS_REPHRASED }));

      expect(response.cache).toBe('semantic');
      expect(response.text).toBe(`answer to: ${LAS_VEGAS}`);
      expect(response.similarity).toBeCloseTo(0.96, 4);
      expect(response.entryId).toBe(encodeEntryId(entryRefOfRequest(request())));
      expect(model.calls).toHaveLength(1);
    });

    it("indexes the answer under its exact key's digest and the request's namespace, so the entry's owner can remove or reject it", async () => {
      const { cache, index } = build();
      const req = request({ namespace: 'tenant-a' });
      await cache.answer(req);
      const digest = keyOf(req).slice(keyOf(req).lastIndexOf(':') + 1);

      expect((await index.search(scopeOf(req), Float32Array.from([1, 0, 0]), 0.99))?.id).toBe(digest);
      expect(await index.remove(scopeOf(req), digest, 'tenant-a')).toBe(true);
    });

    it('misses when the nearest prompt is below the threshold', async () => {
      const { cache, model } = build();
      await cache.answer(request());

      const response = await cache.answer(request({ prompt: RENO }));

      expect(response.cache).toBe('miss');
      expect(response.text).toBe(`answer to: ${RENO}`);
      expect(model.calls).toHaveLength(2);
    });

    it('uses the threshold of the request', async () => {
      const { cache } = build();
      await cache.answer(request());

      const strict = await cache.answer(request({ prompt: LAS_VEGAS_REPHRASED, threshold: 0.97 }));
      // Reno for Las Vegas is a substitution the same-question check rejects: off here, to see the threshold alone.
      const lenient = await cache.answer(request({ prompt: RENO, threshold: 0.5, semanticCheck: 'off' }));

      expect(strict.cache).toBe('miss');
      expect(lenient.cache).toBe('semantic');
    });

    it('neither embeds nor matches semantically in standard mode', async () => {
      const { cache, embedder } = build();
      await cache.answer(request({ mode: 'standard' }));

      const response = await cache.answer(request({ mode: 'standard', prompt: LAS_VEGAS_REPHRASED }));

      expect(response.cache).toBe('miss');
      expect(embedder.calls).toHaveLength(0);
    });

    it('reports semantic "unavailable" and tells the observer when the index resolver returns null', async () => {
      const { cache, observer, embedder } = build({ semanticIndex: async () => null });

      const response = await cache.answer(request());

      expect(response).toMatchObject({ cache: 'miss', semantic: 'unavailable', semanticReason: 'no-index' });
      expect(observer.semanticUnavailable).toHaveBeenCalledTimes(1);
      expect(embedder.calls).toHaveLength(0);
    });

    it('still serves exact hits when the semantic index is unavailable', async () => {
      const { cache, model } = build({ semanticIndex: async () => null });
      await cache.answer(request());

      const response = await cache.answer(request());

      expect(response.cache).toBe('exact');
      expect(model.calls).toHaveLength(1);
    });

    it('answers from the model when the embedder fails, and reports the fault', async () => {
      const { cache, embedder, observer } = build();
      embedder.failure = new Error('throttled');

      const response = await cache.answer(request());

      expect(response.cache).toBe('miss');
      expect(observer.fault).toHaveBeenCalledWith(expect.objectContaining({ operation: 'embed', reason: 'error' }));
    });

    it('answers from the model when the index search fails, and reports the fault', async () => {
      const failingIndex: SemanticIndex = { kind: 'broken', search: () => Promise.reject(new Error('FT down')), add: async () => undefined, remove: async () => false, reject: async () => false };
      const { cache, observer } = build({ semanticIndex: async () => failingIndex });

      const response = await cache.answer(request());

      expect(response.cache).toBe('miss');
      expect(observer.fault).toHaveBeenCalledWith(expect.objectContaining({ operation: 'semantic-lookup', reason: 'error' }));
    });
  });

  describe('scope', () => {
    it.each<[string, Partial<CacheRequest>]>([
      ['namespace', { namespace: 'tenant-b' }],
      ['model id', { modelId: 'model-b' }],
      ['system prompt', { system: 'Answer in French.' }],
      ['temperature', { temperature: 0.7 }],
    ])('never answers an identical prompt from another %s', async (_name, change) => {
      const { cache, model } = build();
      await cache.answer(request());

      const response = await cache.answer(request(change));

      expect(response.cache).toBe('miss');
      expect(model.calls).toHaveLength(2);
    });

    it.each<[string, Partial<CacheRequest>]>([
      ['namespace', { namespace: 'tenant-b' }],
      ['model id', { modelId: 'model-b' }],
      ['system prompt', { system: 'Answer in French.' }],
      ['temperature', { temperature: 0.7 }],
    ])('never answers a similar prompt from another %s', async (_name, change) => {
      const { cache, model } = build();
      await cache.answer(request());

      const response = await cache.answer(request({ ...change, prompt: LAS_VEGAS_REPHRASED, threshold: 0 }));

      expect(response.cache).toBe('miss');
      expect(model.calls).toHaveLength(2);
    });
  });

  describe('bypass', () => {
    it('calls the model and stores nothing in mode off', async () => {
      const { cache, store, model, embedder } = build();

      const first = await cache.answer(request({ mode: 'off' }));
      const second = await cache.answer(request({ mode: 'off' }));

      expect([first.cache, second.cache]).toEqual(['bypass', 'bypass']);
      expect(model.calls).toHaveLength(2);
      expect(embedder.calls).toHaveLength(0);
      expect(store.size).toBe(0);
    });

    it('calls the model and never touches the store when the kill switch is on', async () => {
      const store = new BrokenStore('throw');
      const { cache, model } = build({ store, disabled: true });

      const response = await cache.answer(request());

      expect(response).toMatchObject({ cache: 'bypass', text: `answer to: ${LAS_VEGAS}` });
      expect(response.cacheSkipped).toBeUndefined();
      expect(model.calls).toHaveLength(1);
      expect(store.calls).toBe(0);
    });
  });

  describe('answers that are not stored', () => {
    it.each(['max_tokens', 'content_filtered'])('does not store an answer that stopped with %s, and releases its lock', async (stopReason) => {
      const { cache, store, index, model } = build();
      model.stopReason = stopReason;

      const response = await cache.answer(request());
      const repeat = await cache.answer(request());

      expect(response).toMatchObject({ cache: 'miss', stopReason });
      expect(repeat.cache).toBe('miss');
      expect(model.calls).toHaveLength(2);
      expect(store.size).toBe(0);
      expect(await index.search(scopeOf(request()), Float32Array.from([1, 0, 0]), 0)).toBeNull();
    });

    it('throws the typed model error, stores nothing and releases the lock it took', async () => {
      const { cache, store, model } = build();
      const failure = new ModelError('ModelThrottled', 'Bedrock Converse failed: ThrottlingException');
      model.failure = failure;
      const setIfAbsent = jest.spyOn(store, 'setIfAbsent');

      await expect(cache.answer(request())).rejects.toBe(failure);

      expect(setIfAbsent).toHaveBeenCalledTimes(1);
      expect(await store.get(keyOf(request()))).toBeNull();
      expect(store.size).toBe(0);
    });

    it('calls the model again after a failed call (the failure is not cached)', async () => {
      const { cache, model } = build();
      model.failure = new ModelError('ModelUnavailable', 'down');
      await expect(cache.answer(request())).rejects.toBeInstanceOf(ModelError);
      model.failure = undefined;

      const response = await cache.answer(request());

      expect(response.cache).toBe('miss');
      expect(model.calls).toHaveLength(2);
    });
  });

  describe('failing open', () => {
    it('answers from the model with cacheSkipped "error" when every store call throws', async () => {
      const store = new BrokenStore('throw');
      const { cache, model, observer } = build({ store });

      const response = await cache.answer(request());

      expect(response).toMatchObject({ text: `answer to: ${LAS_VEGAS}`, cache: 'miss', cacheSkipped: 'error' });
      expect(model.calls).toHaveLength(1);
      expect(observer.fault).toHaveBeenCalledWith(expect.objectContaining({ operation: 'lookup', reason: 'error' }));
    });

    it('answers within the guard timeout with cacheSkipped "timeout" when the store hangs', async () => {
      const store = new BrokenStore('hang');
      const { cache, model } = build({ store, guard: new CacheGuard(50) });
      const started = performance.now();

      const response = await cache.answer(request());

      expect(response).toMatchObject({ text: `answer to: ${LAS_VEGAS}`, cacheSkipped: 'timeout' });
      expect(performance.now() - started).toBeLessThan(500);
      expect(model.calls).toHaveLength(1);
    });

    it('opens the breaker after repeated failures and then skips the store entirely', async () => {
      const store = new BrokenStore('throw');
      const clock = { now: 0 };
      const guard = new CacheGuard(1000, new CircuitBreaker({ failureThreshold: 3, coolDownMs: 60_000 }, () => clock.now));
      const { cache, model } = build({ store, guard });
      for (let i = 0; i < 3; i++) await cache.answer(request());
      const callsWhenOpened = store.calls;

      const response = await cache.answer(request());

      expect(response).toMatchObject({ text: `answer to: ${LAS_VEGAS}`, cacheSkipped: 'circuit-open' });
      expect(store.calls).toBe(callsWhenOpened);
      expect(model.calls).toHaveLength(4);
    });
  });

  describe('single flight', () => {
    afterEach(() => {
      jest.useRealTimers();
    });

    it('calls the model once for 50 concurrent identical misses and gives all the same text', async () => {
      const { cache, model } = build();
      model.delayMs = 30;

      const responses = await Promise.all(Array.from({ length: 50 }, () => cache.answer(request())));

      expect(model.calls).toHaveLength(1);
      expect(new Set(responses.map((r) => r.text))).toEqual(new Set([`answer to: ${LAS_VEGAS}`]));
      expect(responses.filter((r) => r.coalesced === true)).toHaveLength(49);
    });

    it('waits for the entry of a lock held by another container and returns it without calling the model', async () => {
      const { cache, store, model } = build();
      const req = request({ mode: 'standard' });
      await store.set(keyOf(req), encodeLock('other-container'), 5000);
      const otherAnswer: ModelAnswer = { text: 'from the other container', stopReason: 'end_turn', usage: { inputTokens: 3, outputTokens: 4 }, modelId: 'model-a', latencyMs: 9 };

      jest.useFakeTimers();

      const pending = cache.answer(req);
      await jest.advanceTimersByTimeAsync(50);
      await store.set(keyOf(req), encodeEntry(toEntry(otherAnswer, scopeOf(req), 0)), 60_000);
      await jest.advanceTimersByTimeAsync(50);
      const response = await pending;

      expect(response).toMatchObject({ text: 'from the other container', cache: 'exact', coalesced: true, savedUsage: { inputTokens: 3, outputTokens: 4 } });
      expect(response.entryId).toBe(encodeEntryId(entryRefOfRequest(req)));
      expect(model.calls).toHaveLength(0);
    });

    it('calls the model itself when the other container lock disappears without an entry', async () => {
      const { cache, store, model } = build();
      const req = request({ mode: 'standard' });
      await store.set(keyOf(req), encodeLock('other-container'), 5000);

      jest.useFakeTimers();

      const pending = cache.answer(req);
      await jest.advanceTimersByTimeAsync(50);
      await store.deleteIfEquals(keyOf(req), encodeLock('other-container'));
      await jest.advanceTimersByTimeAsync(50);
      const response = await pending;

      expect(response).toMatchObject({ text: `answer to: ${LAS_VEGAS}`, cache: 'miss' });
      expect(model.calls).toHaveLength(1);
      expect(decodeValue((await store.get(keyOf(req)))!, scopeOf(req)).kind).toBe('entry');
    });
  });

  describe('corrupt entries', () => {
    const req = request();
    const valid = toEntry({ text: 'old', stopReason: 'end_turn', usage: { inputTokens: 1, outputTokens: 1 }, modelId: 'model-a', latencyMs: 1 }, scopeOf(req), 0);

    it.each<[string, string, string]>([
      ['text that is not JSON', '{not json', 'not-json'],
      ['an unknown version', JSON.stringify({ ...valid, v: 99 }), 'unknown-version'],
      ['an entry of another scope', encodeEntry({ ...valid, scope: 'another-scope' }), 'wrong-scope'],
    ])('treats %s as a miss, reports it and replaces it with the new answer', async (_name, raw, reason) => {
      const { cache, store, model, observer } = build();
      await store.set(keyOf(req), raw, 60_000);

      const response = await cache.answer(req);

      expect(response.cache).toBe('miss');
      expect(model.calls).toHaveLength(1);
      expect(observer.corruptEntry).toHaveBeenCalledWith(reason);
      expect(decodeValue((await store.get(keyOf(req)))!, scopeOf(req))).toMatchObject({ kind: 'entry', entry: { text: `answer to: ${LAS_VEGAS}` } });
    });
  });
});
