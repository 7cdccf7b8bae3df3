import { CacheGuard } from '../../../lambda/cache/guard';
import { LlmCache } from '../../../lambda/cache/llm-cache';
import { decodeValue } from '../../../lambda/core/entry';
import { FailingSetStore, FakeEmbedder, FakeModel, fakeObserver, keyOf, request } from './fakes';

/** Long enough that a follower waiting it out is unmistakable next to the leader's 100 ms model call. */
const LOCK = { ttlMs: 10_000, waitMs: 4000, pollMs: 5 };

/** One Lambda container: its own cache, model and observer over the shared store. */
function container(store: FailingSetStore) {
  const model = new FakeModel();
  const observer = fakeObserver();
  const cache = new LlmCache({ store, semanticIndex: async () => null, model, embedder: new FakeEmbedder(), guard: new CacheGuard(100), observer, lock: LOCK });
  return { cache, model, observer };
}

/** Resolves once the leader's lock sits at the entry key. */
async function lockTaken(store: FailingSetStore, key: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const value = await store.get(key);
    if (value !== null && decodeValue(value, 'any').kind === 'lock') return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error('the leader never took the lock');
}

describe('a leader whose store fails', () => {
  it.each(['throw', 'hang'] as const)('releases its lock (store that %s), so a follower in another container calls the model at once', async (failure) => {
    const store = new FailingSetStore();
    store.failSets = failure;
    const leader = container(store);
    const follower = container(store);
    leader.model.delayMs = 100;
    const req = request({ mode: 'standard' });

    const leading = leader.cache.answer(req);
    await lockTaken(store, keyOf(req));
    const started = performance.now();
    const [, followed] = await Promise.all([leading, follower.cache.answer(req)]);
    const followerMs = performance.now() - started;

    expect(followed).toMatchObject({ cache: 'miss', text: `answer to: ${req.prompt}` });
    expect(follower.model.calls).toHaveLength(1);
    // The leader's model call (100 ms) plus a store timeout (100 ms) and a few polls: far below the 4 s wait bound.
    expect(followerMs).toBeLessThan(1000);
    expect(await store.get(keyOf(req))).toBeNull();
    expect(leader.observer.fault).toHaveBeenCalledWith(expect.objectContaining({ operation: 'store' }));
  });

  it('reports the follower wait apart from its model latency', async () => {
    const store = new FailingSetStore();
    store.failSets = 'throw';
    const leader = container(store);
    const follower = container(store);
    leader.model.delayMs = 150;
    const req = request({ mode: 'standard' });

    const leading = leader.cache.answer(req);
    await lockTaken(store, keyOf(req));
    await Promise.all([leading, follower.cache.answer(req)]);

    const [, response, details] = follower.observer.answered.mock.calls[0]!;
    expect(details.modelCalled).toBe(true);
    // The model's own latency (the fake reports 7 ms), never the time spent waiting on the lock.
    expect(details.modelMs).toBe(7);
    expect(details.waitMs).toBeGreaterThan(100);
    expect(response.latencyMs).toBeGreaterThanOrEqual(details.waitMs);
  });
});
