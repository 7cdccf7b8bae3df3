import { ANSWER_RESERVE_MS, EntryLock, waitForEntry, type LockOptions } from '../../../lambda/cache/entry-lock';
import { CacheGuard } from '../../../lambda/cache/guard';
import { decodeValue, encodeEntry, encodeLock, toEntry } from '../../../lambda/core/entry';
import { MemoryStore } from '../../../lambda/backends/memory/memory-store';
import { BrokenStore, fakeObserver } from './fakes';

const OPTIONS: LockOptions = { ttlMs: 10_000, waitMs: 1000, pollMs: 25 };
const KEY = 'llmcache:v1:ns:abc';
/** The end of a wait of `OPTIONS.waitMs` starting now (on the clock fake timers drive). */
const waitEnd = (): number => performance.now() + OPTIONS.waitMs;
const ENTRY = toEntry({ text: 'In Nevada.', stopReason: 'end_turn', usage: { inputTokens: 1, outputTokens: 2 }, modelId: 'm', latencyMs: 5 }, 'scope-1', 0);

describe('waitForEntry', () => {
  let store: MemoryStore;
  let guard: CacheGuard;

  beforeEach(() => {
    jest.useFakeTimers();
    store = new MemoryStore();
    guard = new CacheGuard(100);
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('returns the entry the lock holder writes while it waits', async () => {
    await store.set(KEY, encodeLock('other'), 10_000);

    const waiting = waitForEntry(store, guard, KEY, 'scope-1', waitEnd(), OPTIONS.pollMs);
    await jest.advanceTimersByTimeAsync(100);
    await store.set(KEY, encodeEntry(ENTRY), 10_000);
    await jest.advanceTimersByTimeAsync(300);

    await expect(waiting).resolves.toEqual({ kind: 'entry', entry: ENTRY });
  });

  it('says the lock is gone as soon as it disappears without an entry', async () => {
    await store.set(KEY, encodeLock('other'), 10_000);

    const waiting = waitForEntry(store, guard, KEY, 'scope-1', waitEnd(), OPTIONS.pollMs);
    await jest.advanceTimersByTimeAsync(100);
    await store.deleteIfEquals(KEY, encodeLock('other'));
    await jest.advanceTimersByTimeAsync(300);

    await expect(waiting).resolves.toEqual({ kind: 'gone' });
  });

  it('gives up at the end of the wait, saying the lock is still held', async () => {
    await store.set(KEY, encodeLock('other'), 10_000);
    const get = jest.spyOn(store, 'get');
    let settled = false;

    const waiting = waitForEntry(store, guard, KEY, 'scope-1', waitEnd(), OPTIONS.pollMs).finally(() => {
      settled = true;
    });
    await jest.advanceTimersByTimeAsync(900);
    const settledEarly = settled;
    await jest.advanceTimersByTimeAsync(200);

    expect(settledEarly).toBe(false);
    await expect(waiting).resolves.toEqual({ kind: 'held' });
    expect(get.mock.calls.length).toBeGreaterThan(3);
  });

  it('backs off: polls grow from the first interval up to 250 ms', async () => {
    await store.set(KEY, encodeLock('other'), 10_000);
    const get = jest.spyOn(store, 'get');

    const waiting = waitForEntry(store, guard, KEY, 'scope-1', performance.now() + 5000, OPTIONS.pollMs);
    await jest.advanceTimersByTimeAsync(5000);
    await waiting;

    // 25, 37.5, 56.25, 84.4, 126.6, 189.8, then 250 each: far fewer polls than 5000 / 25.
    expect(get.mock.calls.length).toBeLessThan(30);
    expect(get.mock.calls.length).toBeGreaterThan(15);
  });

  it('says unusable when the value turns into something unreadable here (an entry of another scope)', async () => {
    await store.set(KEY, encodeLock('other'), 10_000);

    const waiting = waitForEntry(store, guard, KEY, 'other-scope', waitEnd(), OPTIONS.pollMs);
    await store.set(KEY, encodeEntry(ENTRY), 10_000);
    await jest.advanceTimersByTimeAsync(100);

    await expect(waiting).resolves.toEqual({ kind: 'unusable' });
  });

  it('keeps waiting when the wall clock steps forward during the wait', async () => {
    // The lock outlives the clock step: on a real server its expiry does not follow this client's clock.
    await store.set(KEY, encodeLock('other'), 600_000);

    const waiting = waitForEntry(store, guard, KEY, 'scope-1', waitEnd(), OPTIONS.pollMs);
    await jest.advanceTimersByTimeAsync(50);
    jest.setSystemTime(Date.now() + 60_000);
    await jest.advanceTimersByTimeAsync(100);
    await store.set(KEY, encodeEntry(ENTRY), 10_000);
    await jest.advanceTimersByTimeAsync(300);

    await expect(waiting).resolves.toEqual({ kind: 'entry', entry: ENTRY });
  });

  it('says unusable when a read fails', async () => {
    const failing = { ...store, get: async () => Promise.reject(new Error('down')) } as unknown as MemoryStore;

    const waiting = waitForEntry(failing, guard, KEY, 'scope-1', waitEnd(), OPTIONS.pollMs);
    await jest.advanceTimersByTimeAsync(25);

    await expect(waiting).resolves.toEqual({ kind: 'unusable' });
  });
});

describe('EntryLock', () => {
  let store: MemoryStore;
  let observer: ReturnType<typeof fakeObserver>;
  let lock: EntryLock;

  beforeEach(() => {
    // Expiry reads the clock through Date.now at each call, so jest's fake timers drive it.
    store = new MemoryStore(1000, () => Date.now());
    observer = fakeObserver();
    lock = new EntryLock(store, new CacheGuard(100), observer, OPTIONS);
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('takes a free key with a token of its own, written as a lock marker', async () => {
    const taken = await lock.take(KEY);

    expect(taken.kind).toBe('taken');
    const token = taken.kind === 'taken' ? taken.token : '';
    expect(decodeValue((await store.get(KEY))!)).toEqual({ kind: 'lock', token });
    expect(taken.cacheMs).toBeGreaterThanOrEqual(0);
  });

  it('gives each taker its own token', async () => {
    const first = await lock.take(KEY);
    await store.deleteIfEquals(KEY, encodeLock(first.kind === 'taken' ? first.token : ''));

    const second = await lock.take(KEY);

    expect(first.kind === 'taken' && second.kind === 'taken' && first.token !== second.token).toBe(true);
  });

  it('reports "held" and leaves the value alone when another request holds the key', async () => {
    await store.set(KEY, encodeLock('other'), 10_000);

    const taken = await lock.take(KEY);

    expect(taken.kind).toBe('held');
    expect(await store.get(KEY)).toBe(encodeLock('other'));
  });

  it('reports "failed" with the reason, and a lock fault, when the cache fails', async () => {
    const broken = new EntryLock(new BrokenStore('throw'), new CacheGuard(100), observer, OPTIONS);

    const taken = await broken.take(KEY);

    expect(taken).toMatchObject({ kind: 'failed', reason: 'error' });
    expect(observer.fault).toHaveBeenCalledWith(expect.objectContaining({ operation: 'lock', reason: 'error' }));
  });

  it('releases its own lock', async () => {
    const taken = await lock.take(KEY);

    await lock.release(KEY, taken.kind === 'taken' ? taken.token : '');

    expect(await store.get(KEY)).toBeNull();
  });

  it("never deletes another request's lock or an entry written over ours", async () => {
    await store.set(KEY, encodeLock('other'), 10_000);
    await lock.release(KEY, 'ours');
    expect(await store.get(KEY)).toBe(encodeLock('other'));

    await store.set(KEY, encodeEntry(ENTRY), 10_000);
    await lock.release(KEY, 'other');
    expect(await store.get(KEY)).toBe(encodeEntry(ENTRY));
  });

  it('reports a release that fails as a lock fault and does not throw', async () => {
    const broken = new EntryLock(new BrokenStore('throw'), new CacheGuard(100), observer, OPTIONS);

    await expect(broken.release(KEY, 'ours')).resolves.toBeUndefined();

    expect(observer.fault).toHaveBeenCalledWith(expect.objectContaining({ operation: 'lock', reason: 'error' }));
  });

  it("returns the holder's entry with the time it waited (the LockWait metric)", async () => {
    jest.useFakeTimers();
    await store.set(KEY, encodeLock('other'), 10_000);

    const acquiring = lock.acquire(KEY, 'scope-1', true);
    await jest.advanceTimersByTimeAsync(100);
    await store.set(KEY, encodeEntry(ENTRY), 10_000);
    await jest.advanceTimersByTimeAsync(300);
    const acquired = await acquiring;

    expect(acquired).toMatchObject({ kind: 'entry', entry: ENTRY });
    expect(acquired.waitMs).toBeGreaterThanOrEqual(100);
  });

  it('waits at most the configured wait bound, then lets the request call the model without the lock', async () => {
    jest.useFakeTimers();
    await store.set(KEY, encodeLock('other'), 60_000);

    const acquiring = lock.acquire(KEY, 'scope-1', true);
    await jest.advanceTimersByTimeAsync(OPTIONS.waitMs + 50);
    const acquired = await acquiring;

    expect(acquired.kind).toBe('none');
    expect(acquired.waitMs).toBeGreaterThanOrEqual(OPTIONS.waitMs);
    expect(acquired.waitMs).toBeLessThan(OPTIONS.waitMs + 50);
  });

  it("stops waiting ANSWER_RESERVE_MS before its invocation's end while the holder is alive, and says it is out of time", async () => {
    jest.useFakeTimers();
    const patient = new EntryLock(store, new CacheGuard(100), observer, { ...OPTIONS, waitMs: 900_000 });
    await store.set(KEY, encodeLock('other'), 60_000);
    const deadline = performance.now() + 3000;

    const acquiring = patient.acquire(KEY, 'scope-1', true, deadline);
    await jest.advanceTimersByTimeAsync(3000);
    const acquired = await acquiring;

    expect(acquired.kind).toBe('out-of-time');
    expect(acquired.waitMs).toBeGreaterThanOrEqual(3000 - ANSWER_RESERVE_MS);
    expect(acquired.waitMs).toBeLessThan(3000 - ANSWER_RESERVE_MS + 50);
  });

  it('takes the lock over when it goes away without an entry (its holder failed, or died and the lock expired)', async () => {
    jest.useFakeTimers();
    await store.set(KEY, encodeLock('dead-holder'), 500);

    const acquiring = lock.acquire(KEY, 'scope-1', true);
    await jest.advanceTimersByTimeAsync(800);
    const acquired = await acquiring;

    expect(acquired.kind).toBe('taken');
    const token = acquired.kind === 'taken' ? acquired.token : '';
    expect(decodeValue((await store.get(KEY))!)).toEqual({ kind: 'lock', token });
    expect(acquired.waitMs).toBeGreaterThanOrEqual(500);
  });

  it("takes a lock that lives no longer than the taker's invocation", async () => {
    jest.useFakeTimers();

    const taken = await lock.take(KEY, performance.now() + 2000);
    jest.advanceTimersByTime(1900);
    const before = await store.get(KEY);
    jest.advanceTimersByTime(200);

    expect(taken.kind).toBe('taken');
    expect(before).not.toBeNull();
    expect(await store.get(KEY)).toBeNull(); // OPTIONS.ttlMs is 10 s; the invocation ended after 2
  });
});
