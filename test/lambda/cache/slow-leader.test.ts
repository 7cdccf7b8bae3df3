/**
 * Cross-container single flight with an answer that takes longer than the lock's TTL: two caches
 * (two containers) over one store. The leader keeps its lock alive while the model answers, so the
 * other waits for its answer instead of calling the model a second time; a lock nobody renews (a
 * dead leader) still expires and is taken over; a waiter whose invocation ends first is told so.
 */
import { CacheGuard } from '../../../lambda/cache/guard';
import { ANSWER_RESERVE_MS } from '../../../lambda/cache/entry-lock';
import { LlmCache } from '../../../lambda/cache/llm-cache';
import { MemoryStore } from '../../../lambda/backends/memory/memory-store';
import { decodeValue, encodeLock } from '../../../lambda/core/entry';
import { InFlightTimeoutError } from '../../../lambda/core/errors';
import { FakeEmbedder, FakeModel, fakeObserver, keyOf, request } from './fakes';
import type { StreamEvent, StreamingChatModel } from '../../../lambda/cache/stream-types';

/** A lock TTL far shorter than the model's answer (`SLOW_MS`: four TTLs), long enough that a loaded machine's late timer does not let it lapse between renewals. */
const LOCK = { ttlMs: 500, waitMs: 20_000, pollMs: 5 };
const SLOW_MS = 2000;

function container(store: MemoryStore) {
  const model = new FakeModel();
  const observer = fakeObserver();
  const cache = new LlmCache({ store, semanticIndex: async () => null, model, embedder: new FakeEmbedder(), guard: new CacheGuard(100), observer, lock: LOCK });
  return { cache, model, observer };
}

async function lockTaken(store: MemoryStore, key: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const value = await store.get(key);
    if (value !== null && decodeValue(value, 'any').kind === 'lock') return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error('the leader never took the lock');
}

describe('a leader slower than the lock TTL', () => {
  it('keeps its lock alive: the waiter in another container gets its answer, and the model is called once', async () => {
    const store = new MemoryStore();
    const [leader, follower] = [container(store), container(store)];
    leader.model.delayMs = SLOW_MS;
    const req = request({ mode: 'standard' });

    const leading = leader.cache.answer(req);
    await lockTaken(store, keyOf(req));
    const started = performance.now();
    const [led, followed] = await Promise.all([leading, follower.cache.answer(req)]);
    const waiterMs = performance.now() - started;

    process.stdout.write(`slow leader (${SLOW_MS} ms, lock TTL ${LOCK.ttlMs} ms): waiter answered in ${waiterMs.toFixed(0)} ms; model calls ${leader.model.calls.length + follower.model.calls.length}\n`);
    expect(led.cache).toBe('miss');
    expect(followed).toMatchObject({ cache: 'exact', coalesced: true, text: led.text, usage: { inputTokens: 0, outputTokens: 0 } });
    expect(leader.model.calls).toHaveLength(1);
    expect(follower.model.calls).toHaveLength(0);
    expect(leader.observer.fault).not.toHaveBeenCalled();
  });

  it('keeps its lock alive for a streamed answer too', async () => {
    const store = new MemoryStore();
    const [leader, follower] = [container(store), container(store)];
    let streams = 0;
    const slowStream: StreamingChatModel = {
      async *converseStream() {
        streams += 1;
        for (const word of ['In ', 'southern ', 'Nevada.']) {
          await new Promise((resolve) => setTimeout(resolve, SLOW_MS / 3));
          yield { type: 'delta', text: word };
        }
        yield { type: 'end', stopReason: 'end_turn', usage: { inputTokens: 3, outputTokens: 3 }, latencyMs: SLOW_MS };
      },
    };
    const req = request({ mode: 'standard' });
    const events: StreamEvent[] = [];

    const leading = leader.cache.stream(req, { write: () => undefined }, slowStream);
    await lockTaken(store, keyOf(req));
    const followed = await follower.cache.stream(req, { write: (event) => void events.push(event) }, slowStream);
    await leading;

    expect(streams).toBe(1);
    expect('response' in followed && followed.response).toMatchObject({ cache: 'exact', coalesced: true, text: 'In southern Nevada.' });
    expect(events[0]).toMatchObject({ type: 'start', cache: 'exact' });
  });

  it('frees a waiter whose invocation ends first with InFlightTimeout, without a second model call', async () => {
    const store = new MemoryStore();
    const [leader, follower] = [container(store), container(store)];
    leader.model.delayMs = 2000;
    const req = request({ mode: 'standard' });
    const leading = leader.cache.answer(req);
    await lockTaken(store, keyOf(req));
    const started = performance.now();

    const waiting = follower.cache.answer({ ...req, deadline: started + ANSWER_RESERVE_MS + 200 });

    await expect(waiting).rejects.toBeInstanceOf(InFlightTimeoutError);
    const waiterMs = performance.now() - started;
    await leading;
    expect(waiterMs).toBeGreaterThanOrEqual(190);
    expect(waiterMs).toBeLessThan(1000); // it stopped ANSWER_RESERVE_MS before its invocation's end, not at the leader's answer
    expect(follower.model.calls).toHaveLength(0);
    expect(leader.model.calls).toHaveLength(1);
  });
});

describe('a leader that died holding the lock (no renewal)', () => {
  it('loses its lock after the TTL; the waiter takes the lock over, calls the model once and stores the answer', async () => {
    const store = new MemoryStore();
    const follower = container(store);
    const req = request({ mode: 'standard' });
    await store.set(keyOf(req), encodeLock('dead-leader'), LOCK.ttlMs);
    const started = performance.now();

    const followed = await follower.cache.answer(req);
    const waiterMs = performance.now() - started;

    expect(followed.cache).toBe('miss');
    expect(follower.model.calls).toHaveLength(1);
    expect(waiterMs).toBeGreaterThanOrEqual(LOCK.ttlMs - 5);
    expect(waiterMs).toBeLessThan(LOCK.ttlMs + 500);
    expect(decodeValue((await store.get(keyOf(req)))!).kind).toBe('entry');
  });
});
