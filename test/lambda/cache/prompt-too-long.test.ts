import { decodeValue } from '../../../lambda/core/entry';
import { EmbeddingInputTooLongError } from '../../../lambda/core/errors';
import { build, keyOf, request, scopeOf } from './fakes';

describe('a prompt longer than the embedding model takes', () => {
  function tooLong() {
    const built = build();
    built.embedder.failure = new EmbeddingInputTooLongError('the prompt is longer than amazon.titan-embed-text-v2:0 takes');
    return { ...built, add: jest.spyOn(built.index, 'add'), search: jest.spyOn(built.index, 'search') };
  }

  it('is served exact-only and says why', async () => {
    const { cache, model } = tooLong();

    const response = await cache.answer(request());

    expect(response).toMatchObject({ cache: 'miss', semantic: 'unavailable', semanticReason: 'prompt-too-long' });
    expect(model.calls).toHaveLength(1);
  });

  it('stores the exact entry but adds nothing to the semantic index and searches nothing', async () => {
    const { cache, store, add, search } = tooLong();
    const req = request();

    await cache.answer(req);

    expect(decodeValue((await store.get(keyOf(req)))!, scopeOf(req)).kind).toBe('entry');
    expect(add).not.toHaveBeenCalled();
    expect(search).not.toHaveBeenCalled();
  });

  it('is not reported as a cache fault', async () => {
    const { cache, observer } = tooLong();

    await cache.answer(request());

    expect(observer.fault).not.toHaveBeenCalled();
  });
});
