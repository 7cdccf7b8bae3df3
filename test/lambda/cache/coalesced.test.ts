import { decodeValue } from '../../../lambda/core/entry';
import { build, LAS_VEGAS, LAS_VEGAS_REPHRASED, request } from './fakes';

const NO_USAGE = { inputTokens: 0, outputTokens: 0 };
const MODEL_USAGE = { inputTokens: 10, outputTokens: 20 };

describe('requests that wait on an identical request in flight', () => {
  it('report an exact hit with zero usage and the leader usage as saved; only the leader reports usage', async () => {
    const { cache, model } = build();
    model.delayMs = 30;

    const responses = await Promise.all(Array.from({ length: 5 }, () => cache.answer(request())));

    expect(model.calls).toHaveLength(1);
    const leaders = responses.filter((r) => r.usage.inputTokens + r.usage.outputTokens > 0);
    expect(leaders).toHaveLength(1);
    expect(leaders[0]).toMatchObject({ cache: 'miss', usage: MODEL_USAGE });
    expect(leaders[0]!.coalesced).toBeUndefined();
    const waiters = responses.filter((r) => r !== leaders[0]);
    expect(waiters).toHaveLength(4);
    for (const waiter of waiters) {
      expect(waiter).toMatchObject({ cache: 'exact', coalesced: true, usage: NO_USAGE, savedUsage: MODEL_USAGE, text: `answer to: ${LAS_VEGAS}` });
    }
  });

  it('are counted as exact hits without a model call', async () => {
    const { cache, model, observer } = build();
    model.delayMs = 30;

    await Promise.all(Array.from({ length: 3 }, () => cache.answer(request())));

    const outcomes = observer.answered.mock.calls.map(([, response, details]) => `${response.cache}:${String(details.modelCalled)}`);
    expect(outcomes.sort()).toEqual(['exact:false', 'exact:false', 'miss:true']);
  });

  it('keep the leader TTL on the one entry: a waiter with another ttlSeconds writes nothing, like any exact hit', async () => {
    const { cache, store, model } = build();
    model.delayMs = 30;
    const set = jest.spyOn(store, 'set');

    const [leader, waiter] = await Promise.all([cache.answer(request({ ttlSeconds: 60 })), cache.answer(request({ ttlSeconds: 7200 }))]);

    expect(model.calls).toHaveLength(1);
    expect(leader).toMatchObject({ cache: 'miss', usage: MODEL_USAGE });
    expect(waiter).toMatchObject({ cache: 'exact', coalesced: true, usage: NO_USAGE });
    const entryWrites = set.mock.calls.filter(([, value]) => decodeValue(value).kind === 'entry');
    expect(entryWrites.map(([, , ttlMs]) => ttlMs)).toEqual([60_000]);
  });

  it('index the answer for a semantic waiter whose leader was a standard request', async () => {
    const { cache, model } = build();
    model.delayMs = 30;

    const [standard, semantic] = await Promise.all([cache.answer(request({ mode: 'standard' })), cache.answer(request({ mode: 'semantic' }))]);
    const paraphrase = await cache.answer(request({ prompt: LAS_VEGAS_REPHRASED }));

    expect(model.calls).toHaveLength(1);
    expect(standard.cache).toBe('miss');
    expect(semantic).toMatchObject({ cache: 'exact', coalesced: true, usage: NO_USAGE });
    expect(paraphrase).toMatchObject({ cache: 'semantic', text: `answer to: ${LAS_VEGAS}` });
  });
});
