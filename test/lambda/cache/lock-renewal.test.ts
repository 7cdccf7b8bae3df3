import { EntryLock, type LockOptions } from '../../../lambda/cache/entry-lock';
import { CacheGuard } from '../../../lambda/cache/guard';
import { encodeEntry, encodeLock, toEntry } from '../../../lambda/core/entry';
import { MemoryStore } from '../../../lambda/backends/memory/memory-store';
import { BrokenStore, fakeObserver } from './fakes';

const OPTIONS: LockOptions = { ttlMs: 300, waitMs: 1000, pollMs: 25 };
const KEY = 'llmcache:v1:ns:abc';
const ENTRY = toEntry({ text: 'In Nevada.', stopReason: 'end_turn', usage: { inputTokens: 1, outputTokens: 2 }, modelId: 'm', latencyMs: 5 }, 'scope-1', 0);

describe('lock renewal', () => {
  let store: MemoryStore;
  let observer: ReturnType<typeof fakeObserver>;
  let lock: EntryLock;

  beforeEach(() => {
    jest.useFakeTimers();
    // Expiry reads the clock through Date.now at each call, so jest's fake timers drive it.
    store = new MemoryStore(1000, () => Date.now());
    observer = fakeObserver();
    lock = new EntryLock(store, new CacheGuard(100), observer, OPTIONS);
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  async function takeToken(): Promise<string> {
    const taken = await lock.take(KEY);
    if (taken.kind !== 'taken') throw new Error('precondition: the lock was free');
    return taken.token;
  }

  it('renews its own lock only: not another holder\'s, not an entry written over it, not a lock that is gone', async () => {
    const token = await takeToken();

    await expect(lock.renew(KEY, token)).resolves.toBe('renewed');
    await expect(lock.renew(KEY, 'someone-else')).resolves.toBe('lost');
    await store.set(KEY, encodeEntry(ENTRY), 10_000);
    await expect(lock.renew(KEY, token)).resolves.toBe('lost');
    expect(await store.get(KEY)).toBe(encodeEntry(ENTRY));
    await store.deleteIfEquals(KEY, encodeEntry(ENTRY));
    await expect(lock.renew(KEY, token)).resolves.toBe('lost');
    expect(await store.get(KEY)).toBeNull(); // a renewal never recreates a lock
  });

  it('keeps a lock alive far past its TTL while its holder works; once stopped, the lock expires within the TTL', async () => {
    const token = await takeToken();

    const renewal = lock.keepAlive(KEY, token);
    await jest.advanceTimersByTimeAsync(OPTIONS.ttlMs * 10);
    const alive = await store.get(KEY);
    await renewal.stop();
    await jest.advanceTimersByTimeAsync(OPTIONS.ttlMs + 1);

    expect(alive).toBe(encodeLock(token));
    expect(await store.get(KEY)).toBeNull();
    expect(jest.getTimerCount()).toBe(0); // no renewal timer left behind
  });

  it('without renewal (a holder that died) the lock expires after its TTL', async () => {
    await takeToken();

    await jest.advanceTimersByTimeAsync(OPTIONS.ttlMs + 1);

    expect(await store.get(KEY)).toBeNull();
  });

  it('renews every third of the TTL and stops renewing once the lock is no longer its own', async () => {
    const token = await takeToken();
    const extend = jest.spyOn(store, 'extendIfEquals');

    const renewal = lock.keepAlive(KEY, token);
    await jest.advanceTimersByTimeAsync(OPTIONS.ttlMs);
    const renewalsInOneTtl = extend.mock.calls.length;
    await store.set(KEY, encodeLock('a-new-holder'), 10_000);
    await jest.advanceTimersByTimeAsync(OPTIONS.ttlMs * 3);
    const afterLoss = extend.mock.calls.length;
    await jest.advanceTimersByTimeAsync(OPTIONS.ttlMs * 3);

    expect(renewalsInOneTtl).toBe(3);
    expect(extend.mock.calls.length).toBe(afterLoss); // no renewal after the one that found the lock lost
    expect(await store.get(KEY)).toBe(encodeLock('a-new-holder'));
    expect(jest.getTimerCount()).toBe(0);
    await renewal.stop();
  });

  it('reports a renewal that fails as a lock fault, never throws, and tries again at the next tick', async () => {
    const broken = new EntryLock(new BrokenStore('throw'), new CacheGuard(100), observer, OPTIONS);

    const renewal = broken.keepAlive(KEY, 'ours');
    await jest.advanceTimersByTimeAsync(OPTIONS.ttlMs);
    await renewal.stop();
    await jest.advanceTimersByTimeAsync(OPTIONS.ttlMs);

    expect(observer.fault).toHaveBeenCalledTimes(3); // one per tick, none after stop
    expect(observer.fault).toHaveBeenCalledWith(expect.objectContaining({ operation: 'lock', reason: 'error' }));
  });

  it('waits for a renewal in flight when stopped, so nothing runs after its holder is done', async () => {
    const token = await takeToken();
    let finish: (value: boolean) => void = () => undefined;
    jest.spyOn(store, 'extendIfEquals').mockImplementation(() => new Promise<boolean>((resolve) => (finish = resolve)));
    const renewal = lock.keepAlive(KEY, token);
    await jest.advanceTimersByTimeAsync(OPTIONS.ttlMs / 3 + 1); // a renewal starts and does not answer yet
    let stopped = false;

    const stopping = renewal.stop().then(() => (stopped = true));
    await Promise.resolve();
    const stoppedBeforeAnswer = stopped;
    finish(true);
    await stopping;

    expect(stoppedBeforeAnswer).toBe(false);
    expect(stopped).toBe(true);
  });

  it("starts no renewal past the holder's invocation end, and each renewal cuts the lock's life to it", async () => {
    const deadline = performance.now() + 500;
    const taken = await lock.take(KEY, deadline);
    const token = taken.kind === 'taken' ? taken.token : '';
    const extend = jest.spyOn(store, 'extendIfEquals');

    const renewal = lock.keepAlive(KEY, token, deadline);
    await jest.advanceTimersByTimeAsync(2000);
    await renewal.stop();

    // Ticks at 100, 200, 300 and 400 ms; the one at 500 would be past the deadline.
    expect(extend.mock.calls.map((call) => call[2])).toEqual([300, 300, 200, 100]);
    expect(await store.get(KEY)).toBeNull();
  });
});
