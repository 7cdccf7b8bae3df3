import { CacheGuard } from '../../../lambda/cache/guard';
import { CacheLookup } from '../../../lambda/cache/lookup';
import { SemanticLookup } from '../../../lambda/cache/semantic-lookup';
import { encodeEntry, toEntry } from '../../../lambda/core/entry';
import { sha256Hex, toConverseRequest } from '../../../lambda/core/keys';
import { MemoryIndex } from '../../../lambda/backends/memory/memory-index';
import { MemoryStore } from '../../../lambda/backends/memory/memory-store';
import { FakeEmbedder, fakeObserver, LAS_VEGAS, LAS_VEGAS_REPHRASED, request, scopeOf } from './fakes';
import { questionFacts } from '../../../lambda/semantic/same-question/facts';

const ANSWER = { text: 'In Nevada.', stopReason: 'end_turn', usage: { inputTokens: 1, outputTokens: 2 }, modelId: 'model-a', latencyMs: 5 };
const OPERATION_MS = 250;
const PREPARE_MS = 2000;

/** A memory index whose scope catch-up (`prepare`, a client-side index's bootstrap) takes `prepareMs`. */
class SlowPreparingIndex extends MemoryIndex {
  constructor(private readonly prepareMs: number) {
    super();
  }

  prepare(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, this.prepareMs));
  }
}

async function lookupWith(prepareMs: number, embedder = new FakeEmbedder()) {
  const index = new SlowPreparingIndex(prepareMs);
  const req = request({ prompt: LAS_VEGAS_REPHRASED });
  const scope = scopeOf(req);
  await index.add({ scope, id: 'a', namespace: 'default', vector: Float32Array.from([1, 0, 0]), entry: encodeEntry(toEntry(ANSWER, scope, 0)), ttlMs: 60_000, facts: questionFacts(LAS_VEGAS) });
  const observer = fakeObserver();
  const guard = new CacheGuard(OPERATION_MS);
  const semantic = new SemanticLookup(async () => index, embedder, guard, observer, PREPARE_MS);
  const lookup = new CacheLookup(new MemoryStore(), guard, observer, semantic, sha256Hex);
  return { found: lookup.find(req, toConverseRequest(req)), index, observer };
}

describe('a semantic lookup whose scope is still being read (client-side index bootstrap)', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('waits for it past the per-operation deadline, within its own budget, and finds the similar answer', async () => {
    const { found } = await lookupWith(900);

    await jest.advanceTimersByTimeAsync(900);

    await expect(found).resolves.toMatchObject({ kind: 'hit', cache: 'semantic' });
  });

  it('embeds the prompt only once the scope is read: a cold embedding (the SDK\'s load) must not hold up the read\'s reply', async () => {
    const embedder = new FakeEmbedder();
    const { found } = await lookupWith(900, embedder);

    await jest.advanceTimersByTimeAsync(899);
    expect(embedder.calls).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);

    await expect(found).resolves.toMatchObject({ kind: 'hit', cache: 'semantic' });
    expect(embedder.calls).toEqual([LAS_VEGAS_REPHRASED]);
  });

  it('past its budget: a miss reported as a timeout that still carries the index and vector, so the answer is indexed', async () => {
    const { found, index, observer } = await lookupWith(PREPARE_MS + 1000);

    await jest.advanceTimersByTimeAsync(PREPARE_MS);
    const miss = await found;

    expect(miss.kind).toBe('miss');
    expect(miss.kind === 'miss' && miss.indexing?.index).toBe(index);
    expect(observer.fault).toHaveBeenCalledWith(expect.objectContaining({ operation: 'semantic-lookup', reason: 'timeout' }));
  });
});
