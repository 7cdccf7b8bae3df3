import { refreshLockKey } from '../../../lambda/cache/refresh-lock';
import { encodeLock } from '../../../lambda/core/entry';
import { InFlightTimeoutError } from '../../../lambda/core/errors';
import type { ChatModel, ConverseRequest, ModelAnswer } from '../../../lambda/core/types';
import { BrokenStore, build, FailingSetStore, keyOf, LAS_VEGAS, LAS_VEGAS_REPHRASED, request } from './fakes';

const NO_USAGE = { inputTokens: 0, outputTokens: 0 };
const MODEL_USAGE = { inputTokens: 10, outputTokens: 20 };

/**
 * A chat model whose every call answers anew: "<prefix>answer <n> to: <prompt>" (a real model may
 * word a second answer differently); the prefix tells two containers' models apart.
 */
class NumberedModel implements ChatModel {
  calls = 0;
  constructor(private readonly prefix = '') {}

  delayMs = 0;
  stopReason = 'end_turn';
  failure: Error | undefined;

  async converse(converse: ConverseRequest): Promise<ModelAnswer> {
    const n = ++this.calls;
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (this.failure) throw this.failure;
    const prompt = converse.messages.at(-1)!.content[0]!.text;
    return { text: `${this.prefix}answer ${n} to: ${prompt}`, stopReason: this.stopReason, usage: MODEL_USAGE, modelId: converse.modelId, latencyMs: 7 };
  }
}

function numbered(overrides: Parameters<typeof build>[0] = {}, prefix = '') {
  const model = new NumberedModel(prefix);
  return { ...build({ model, ...overrides }), model };
}

/** A second container: its own cache (its own flights) over the first one's store and index. */
function secondContainer(first: ReturnType<typeof numbered>) {
  return numbered({ store: first.store, semanticIndex: async () => first.index }, 'second: ');
}

describe('a request in mode refresh', () => {
  it('calls the model although the cache holds an answer, answers refresh, and replaces the entry', async () => {
    const { cache, model } = numbered();
    const stored = await cache.answer(request({ mode: 'standard' }));

    const refreshed = await cache.answer(request({ mode: 'refresh' }));
    const next = await cache.answer(request({ mode: 'standard' }));

    expect(stored.text).toBe(`answer 1 to: ${LAS_VEGAS}`);
    expect(refreshed).toMatchObject({ cache: 'refresh', text: `answer 2 to: ${LAS_VEGAS}`, usage: MODEL_USAGE });
    expect(refreshed.coalesced).toBeUndefined();
    expect(next).toMatchObject({ cache: 'exact', text: `answer 2 to: ${LAS_VEGAS}` });
    expect(model.calls).toBe(2);
  });

  it('writes the entry with its own ttlSeconds', async () => {
    const { cache, store, clock } = numbered();
    await cache.answer(request({ mode: 'standard', ttlSeconds: 3600 }));

    await cache.answer(request({ mode: 'refresh', ttlSeconds: 60 }));
    clock.now += 61_000;

    expect(await store.get(keyOf(request()))).toBeNull();
  });

  it('re-indexes the answer: a paraphrase then gets the new answer, not the replaced one', async () => {
    const { cache } = numbered();
    await cache.answer(request({ mode: 'semantic' }));

    await cache.answer(request({ mode: 'refresh' }));
    const paraphrase = await cache.answer(request({ prompt: LAS_VEGAS_REPHRASED, mode: 'semantic' }));

    expect(paraphrase).toMatchObject({ cache: 'semantic', text: `answer 2 to: ${LAS_VEGAS}` });
  });

  it('takes the old document out when the new answer cannot be embedded: a paraphrase misses instead of getting the replaced answer', async () => {
    const { cache, embedder } = numbered();
    await cache.answer(request({ mode: 'semantic' }));

    embedder.failure = new Error('ThrottlingException');
    const refreshed = await cache.answer(request({ mode: 'refresh' }));
    embedder.failure = undefined;
    const paraphrase = await cache.answer(request({ prompt: LAS_VEGAS_REPHRASED, mode: 'semantic' }));
    const exact = await cache.answer(request({ mode: 'standard' }));

    expect(refreshed).toMatchObject({ cache: 'refresh', text: `answer 2 to: ${LAS_VEGAS}` });
    expect(paraphrase.cache).toBe('miss');
    expect(exact).toMatchObject({ cache: 'exact', text: refreshed.text });
  });

  it('indexes an entry a standard request stored, so paraphrases find it from then on', async () => {
    const { cache, index } = numbered();
    await cache.answer(request({ mode: 'standard' }));
    const add = jest.spyOn(index, 'add');

    await cache.answer(request({ mode: 'refresh' }));
    const paraphrase = await cache.answer(request({ prompt: LAS_VEGAS_REPHRASED, mode: 'semantic' }));

    expect(add).toHaveBeenCalledTimes(1);
    expect(paraphrase).toMatchObject({ cache: 'semantic', text: `answer 2 to: ${LAS_VEGAS}` });
  });

  it('makes one model call for identical concurrent refreshes; the others answer refresh, coalesced, with zero usage', async () => {
    const { cache, model } = numbered();
    await cache.answer(request({ mode: 'standard' }));
    model.delayMs = 30;

    const responses = await Promise.all(Array.from({ length: 5 }, () => cache.answer(request({ mode: 'refresh' }))));

    expect(model.calls).toBe(2);
    const leaders = responses.filter((response) => response.coalesced === undefined);
    expect(leaders).toEqual([expect.objectContaining({ cache: 'refresh', usage: MODEL_USAGE, text: `answer 2 to: ${LAS_VEGAS}` })]);
    for (const follower of responses.filter((response) => response.coalesced)) {
      expect(follower).toMatchObject({ cache: 'refresh', usage: NO_USAGE, savedUsage: MODEL_USAGE, text: `answer 2 to: ${LAS_VEGAS}` });
    }
  });

  it('never joins an ordinary miss in flight, nor lets the miss join it: each calls the model', async () => {
    const { cache, model } = numbered();
    model.delayMs = 30;

    const [miss, refresh] = await Promise.all([cache.answer(request({ mode: 'standard' })), cache.answer(request({ mode: 'refresh' }))]);

    expect(model.calls).toBe(2);
    expect(miss).toMatchObject({ cache: 'miss', usage: MODEL_USAGE });
    expect(refresh).toMatchObject({ cache: 'refresh', usage: MODEL_USAGE });
    expect(new Set([miss.text, refresh.text]).size).toBe(2);
  });

  it('writes over the lock of an ordinary miss in flight elsewhere instead of waiting for it', async () => {
    const { cache, store, model } = numbered();
    await store.setIfAbsent(keyOf(request()), encodeLock('another-container'), 5000);

    const refreshed = await cache.answer(request({ mode: 'refresh' }));
    const next = await cache.answer(request({ mode: 'standard' }));

    expect(refreshed).toMatchObject({ cache: 'refresh', text: `answer 1 to: ${LAS_VEGAS}` });
    expect(next).toMatchObject({ cache: 'exact', text: refreshed.text });
    expect(model.calls).toBe(1);
  });

  it('holds its own lock beside the entry key while the model answers, and releases it after the write', async () => {
    const { cache, store, model } = numbered();
    model.delayMs = 30;
    const key = keyOf(request());

    const refreshing = cache.answer(request({ mode: 'refresh' }));
    await new Promise((resolve) => setTimeout(resolve, 10));
    const held = await store.get(refreshLockKey(key));
    await refreshing;

    expect(refreshLockKey(key)).toBe(`${key}:refresh`);
    expect(held).toMatch(/^\{"lock":/);
    expect(await store.get(refreshLockKey(key))).toBeNull();
  });

  it('keeps the old entry when the new answer cannot be stored, and releases its lock', async () => {
    const { cache, store, model } = numbered();
    await cache.answer(request({ mode: 'standard' }));
    model.stopReason = 'max_tokens';

    const refreshed = await cache.answer(request({ mode: 'refresh' }));
    model.stopReason = 'end_turn';
    const next = await cache.answer(request({ mode: 'standard' }));

    expect(refreshed).toMatchObject({ cache: 'refresh', stopReason: 'max_tokens' });
    expect(next).toMatchObject({ cache: 'exact', text: `answer 1 to: ${LAS_VEGAS}` });
    expect(await store.get(refreshLockKey(keyOf(request())))).toBeNull();
  });

  it('is answered by the model when the cache fails, with the fault reported and the cache skipped', async () => {
    const { cache, model, observer } = numbered({ store: new BrokenStore('throw') });

    const refreshed = await cache.answer(request({ mode: 'refresh' }));

    expect(refreshed).toMatchObject({ cache: 'refresh', text: `answer 1 to: ${LAS_VEGAS}`, cacheSkipped: 'error' });
    expect(model.calls).toBe(1);
    expect(observer.fault).toHaveBeenCalledWith(expect.objectContaining({ operation: 'lock', reason: 'error' }));
  });

  it('returns the answer when the entry write fails, reports it, and still releases its lock', async () => {
    const store = new FailingSetStore();
    const { cache, observer } = numbered({ store });
    store.failSets = 'throw';

    const refreshed = await cache.answer(request({ mode: 'refresh' }));

    expect(refreshed).toMatchObject({ cache: 'refresh', text: `answer 1 to: ${LAS_VEGAS}` });
    expect(observer.fault).toHaveBeenCalledWith(expect.objectContaining({ operation: 'store', reason: 'error' }));
    expect(await store.get(refreshLockKey(keyOf(request())))).toBeNull();
  });

  it('releases its lock when the model fails, and fails like any request', async () => {
    const { cache, store, model } = numbered();
    model.failure = new Error('model down');

    await expect(cache.answer(request({ mode: 'refresh' }))).rejects.toThrow('model down');

    expect(await store.get(refreshLockKey(keyOf(request())))).toBeNull();
  });

  it('is a bypass when the cache is switched off', async () => {
    const { cache } = numbered({ disabled: true });

    expect((await cache.answer(request({ mode: 'refresh' }))).cache).toBe('bypass');
  });
});

describe('refreshes in two containers', () => {
  it('make one model call: the later one waits for the lock, then answers with the new entry', async () => {
    const first = numbered();
    const second = secondContainer(first);
    await first.cache.answer(request({ mode: 'standard' }));
    first.model.delayMs = 60;

    const leading = first.cache.answer(request({ mode: 'refresh' }));
    await new Promise((resolve) => setTimeout(resolve, 15));
    const [led, waited] = await Promise.all([leading, second.cache.answer(request({ mode: 'refresh' }))]);

    expect(first.model.calls + second.model.calls).toBe(2);
    expect(second.model.calls).toBe(0);
    expect(led).toMatchObject({ cache: 'refresh', text: `answer 2 to: ${LAS_VEGAS}` });
    expect(waited).toMatchObject({ cache: 'refresh', coalesced: true, usage: NO_USAGE, text: led.text });
    expect(second.observer.answered).toHaveBeenCalledWith(expect.anything(), waited, expect.objectContaining({ modelCalled: false, waitMs: expect.any(Number) }));
  });

  it('answer InFlightTimeout when the waiting one\'s invocation ends before the leader\'s answer, and call the model no second time', async () => {
    const first = numbered();
    const second = secondContainer(first);
    first.model.delayMs = 300;

    const leading = first.cache.answer(request({ mode: 'refresh' }));
    await new Promise((resolve) => setTimeout(resolve, 15));
    // The wait stops ANSWER_RESERVE_MS (1 s) before the invocation's end: here after about 50 ms.
    const waiting = second.cache.answer(request({ mode: 'refresh', deadline: performance.now() + 1050 }));

    await expect(waiting).rejects.toBeInstanceOf(InFlightTimeoutError);
    await leading;
    expect(second.model.calls).toBe(0);
  });

  it('never answer a waiting refresh with the old entry: when the leader fails, the waiter calls the model itself', async () => {
    const first = numbered();
    const second = secondContainer(first);
    await first.cache.answer(request({ mode: 'standard' }));
    first.model.delayMs = 60;
    first.model.failure = new Error('model down');

    const leading = first.cache.answer(request({ mode: 'refresh' }));
    await new Promise((resolve) => setTimeout(resolve, 15));
    const [led, waited] = await Promise.allSettled([leading, second.cache.answer(request({ mode: 'refresh' }))]);

    expect(led.status).toBe('rejected');
    expect(waited).toMatchObject({ status: 'fulfilled', value: { cache: 'refresh', text: `second: answer 1 to: ${LAS_VEGAS}`, usage: MODEL_USAGE } });
    expect(second.model.calls).toBe(1);
    expect(await first.cache.answer(request({ mode: 'standard' }))).toMatchObject({ cache: 'exact', text: `second: answer 1 to: ${LAS_VEGAS}` });
  });
});
