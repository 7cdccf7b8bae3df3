import { CacheGuard } from '../../../lambda/cache/guard';
import { CacheLookup } from '../../../lambda/cache/lookup';
import { SemanticLookup } from '../../../lambda/cache/semantic-lookup';
import { encodeEntry, toEntry } from '../../../lambda/core/entry';
import { sha256Hex, toConverseRequest } from '../../../lambda/core/keys';
import { MemoryIndex } from '../../../lambda/backends/memory/memory-index';
import { MemoryStore } from '../../../lambda/backends/memory/memory-store';
import * as facts from '../../../lambda/semantic/same-question/facts';
import { FakeEmbedder, fakeObserver, LAS_VEGAS, LAS_VEGAS_REPHRASED, request, scopeOf } from './fakes';

/** The stored neighbour's facts, computed before any test watches the asked prompt's. */
const STORED = facts.questionFacts(LAS_VEGAS);
const ANSWER = { text: 'In Nevada.', stopReason: 'end_turn', usage: { inputTokens: 1, outputTokens: 2 }, modelId: 'model-a', latencyMs: 5 };

/** An embedder that answers after a network-like wait, noting when it answered. */
class SlowEmbedder extends FakeEmbedder {
  constructor(
    private readonly waitMs: number,
    private readonly events: string[],
  ) {
    super();
  }

  async embed(text: string): Promise<Float32Array> {
    const vector = super.embed(text);
    await new Promise((resolve) => setTimeout(resolve, this.waitMs));
    this.events.push('embedded');
    return vector;
  }
}

async function lookupWith(embedder: FakeEmbedder, prompt = LAS_VEGAS_REPHRASED) {
  const index = new MemoryIndex();
  const req = request({ prompt });
  const scope = scopeOf(req);
  await index.add({ scope, namespace: req.namespace, id: 'a', vector: Float32Array.from([1, 0, 0]), entry: encodeEntry(toEntry(ANSWER, scope, 0)), ttlMs: 60_000, facts: STORED });
  const guard = new CacheGuard(250);
  const semantic = new SemanticLookup(async () => index, embedder, guard, fakeObserver());
  return new CacheLookup(new MemoryStore(), guard, fakeObserver(), semantic, sha256Hex).find(req, toConverseRequest(req));
}

describe("a semantic lookup computes the asked prompt's facts while the embedding is in flight", () => {
  const events: string[] = [];
  let spy: jest.SpyInstance;
  beforeEach(() => {
    events.length = 0;
    const real = facts.questionFacts;
    spy = jest.spyOn(facts, 'questionFacts').mockImplementation((prompt) => {
      events.push(`facts of ${prompt}`);
      return real(prompt);
    });
  });
  afterEach(() => spy.mockRestore());

  it('before the embedding answers, once, and the lookup judges and finds the same answer with them', async () => {
    const found = await lookupWith(new SlowEmbedder(20, events));

    expect(found).toMatchObject({ kind: 'hit', cache: 'semantic' });
    expect(events).toEqual([`facts of ${LAS_VEGAS_REPHRASED}`, 'embedded']);
  });

  it('with the check off too (the facts are stored with the answer)', async () => {
    const index = new MemoryIndex();
    const req = request({ prompt: LAS_VEGAS_REPHRASED, semanticCheck: 'off' });
    const guard = new CacheGuard(250);
    const semantic = new SemanticLookup(async () => index, new SlowEmbedder(20, events), guard, fakeObserver());
    const miss = await new CacheLookup(new MemoryStore(), guard, fakeObserver(), semantic, sha256Hex).find(req, toConverseRequest(req));

    expect(miss.kind === 'miss' && miss.indexing?.facts).toEqual(facts.questionFacts(LAS_VEGAS_REPHRASED));
    expect(events.slice(0, 2)).toEqual([`facts of ${LAS_VEGAS_REPHRASED}`, 'embedded']);
  });

  it('an embedding that answers at once: computed then, the same hit', async () => {
    const found = await lookupWith(new FakeEmbedder());

    expect(found).toMatchObject({ kind: 'hit', cache: 'semantic' });
    expect(events).toEqual([`facts of ${LAS_VEGAS_REPHRASED}`]);
  });

  it('a failed embedding: no facts computed, a miss as before', async () => {
    const embedder = new FakeEmbedder();
    embedder.failure = new Error('throttled');
    const found = await lookupWith(embedder);
    await new Promise((resolve) => setImmediate(resolve));

    expect(found.kind).toBe('miss');
    expect(events).toEqual([]);
  });
});
