import { EntryLock, waitForEntry, type LockOptions } from '../../../lambda/cache/entry-lock';
import { CacheGuard } from '../../../lambda/cache/guard';
import { decodeValue, encodeEntry, encodeLock, toEntry } from '../../../lambda/core/entry';
import { MemoryStore } from '../../../lambda/backends/memory/memory-store';
import { BrokenStore, fakeObserver } from './fakes';

const OPTIONS: LockOptions = { ttlMs: 10_000, waitMs: 1000, pollMs: 25 };
const KEY = 'llmcache:v1:ns:abc';
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

    const waiting = waitForEntry(store, guard, KEY, 'scope-1', OPTIONS);
    await jest.advanceTimersByTimeAsync(100);
    await store.set(KEY, encodeEntry(ENTRY), 10_000);
    await jest.advanceTimersByTimeAsync(300);

    await expect(waiting).resolves.toEqual(ENTRY);
  });

  it('returns null as soon as the lock disappears without an entry', async () => {
    await store.set(KEY, encodeLock('other'), 10_000);

    const waiting = waitForEntry(store, guard, KEY, 'scope-1', OPTIONS);
    await jest.advanceTimersByTimeAsync(100);
    await store.deleteIfEquals(KEY, encodeLock('other'));
    await jest.advanceTimersByTimeAsync(300);

    await expect(waiting).resolves.toBeNull();
  });

  it('gives up after the wait bound while the lock is still held', async () => {
    await store.set(KEY, encodeLock('other'), 10_000);
    const get = jest.spyOn(store, 'get');
    let settled = false;

    const waiting = waitForEntry(store, guard, KEY, 'scope-1', OPTIONS).finally(() => {
      settled = true;
    });
    await jest.advanceTimersByTimeAsync(900);
    const settledEarly = settled;
    await jest.advanceTimersByTimeAsync(200);

    expect(settledEarly).toBe(false);
    await expect(waiting).resolves.toBeNull();
    expect(get.mock.calls.length).toBeGreaterThan(3);
  });

  it('backs off: polls grow from the first interval up to 250 ms', async () => {
    await store.set(KEY, encodeLock('other'), 10_000);
    const get = jest.spyOn(store, 'get');

    const waiting = waitForEntry(store, guard, KEY, 'scope-1', { ...OPTIONS, waitMs: 5000 });
    await jest.advanceTimersByTimeAsync(5000);
    await waiting;

    // 25, 37.5, 56.25, 84.4, 126.6, 189.8, then 250 each: far fewer polls than 5000 / 25.
    expect(get.mock.calls.length).toBeLessThan(30);
    expect(get.mock.calls.length).toBeGreaterThan(15);
  });

  it('returns null when the value turns into something unreadable here (an entry of another scope)', async () => {
    await store.set(KEY, encodeLock('other'), 10_000);

    const waiting = waitForEntry(store, guard, KEY, 'other-scope', OPTIONS);
    await store.set(KEY, encodeEntry(ENTRY), 10_000);
    await jest.advanceTimersByTimeAsync(100);

    await expect(waiting).resolves.toBeNull();
  });

  it('keeps waiting when the wall clock steps forward during the wait', async () => {
    // The lock outlives the clock step: on a real server its expiry does not follow this client's clock.
    await store.set(KEY, encodeLock('other'), 600_000);

    const waiting = waitForEntry(store, guard, KEY, 'scope-1', OPTIONS);
    await jest.advanceTimersByTimeAsync(50);
    jest.setSystemTime(Date.now() + 60_000);
    await jest.advanceTimersByTimeAsync(100);
    await store.set(KEY, encodeEntry(ENTRY), 10_000);
    await jest.advanceTimersByTimeAsync(300);

    await expect(waiting).resolves.toEqual(ENTRY);
  });

  it('returns null when a read fails', async () => {
    const failing = { ...store, get: async () => Promise.reject(new Error('down')) } as unknown as MemoryStore;

    const waiting = waitForEntry(failing, guard, KEY, 'scope-1', OPTIONS);
    await jest.advanceTimersByTimeAsync(25);

    await expect(waiting).resolves.toBeNull();
  });
});

describe('EntryLock', () => {
  let store: MemoryStore;
  let observer: ReturnType<typeof fakeObserver>;
  let lock: EntryLock;

  beforeEach(() => {
    store = new MemoryStore();
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

    const waiting = lock.waitForEntry(KEY, 'scope-1');
    await jest.advanceTimersByTimeAsync(100);
    await store.set(KEY, encodeEntry(ENTRY), 10_000);
    await jest.advanceTimersByTimeAsync(300);
    const waited = await waiting;

    expect(waited.entry).toEqual(ENTRY);
    expect(waited.waitMs).toBeGreaterThanOrEqual(100);
  });

  it('waits at most the configured wait bound', async () => {
    jest.useFakeTimers();
    await store.set(KEY, encodeLock('other'), 10_000);

    const waiting = lock.waitForEntry(KEY, 'scope-1');
    await jest.advanceTimersByTimeAsync(OPTIONS.waitMs + 50);
    const waited = await waiting;

    expect(waited.entry).toBeNull();
    expect(waited.waitMs).toBeGreaterThanOrEqual(OPTIONS.waitMs);
    expect(waited.waitMs).toBeLessThan(OPTIONS.waitMs + 50);
  });
});
