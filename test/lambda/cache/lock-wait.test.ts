import { CacheGuard } from '../../../lambda/cache/guard';
import { waitForEntry, type LockOptions } from '../../../lambda/cache/lock-wait';
import { encodeEntry, encodeLock, toEntry } from '../../../lambda/core/entry';
import { MemoryStore } from '../../../lambda/stores/memory-store';

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
