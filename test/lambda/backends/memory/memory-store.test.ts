import { DEFAULT_MEMORY_MAX_ENTRIES } from '../../../../lambda/core/expiring-lru';
import { MemoryStore } from '../../../../lambda/backends/memory/memory-store';

/** Every store reads a fake clock: expiry never depends on the machine's wall clock. */
function storeAt(clock: { now: number }, maxEntries = 100): MemoryStore {
  return new MemoryStore(maxEntries, () => clock.now);
}

describe('MemoryStore', () => {
  it('returns null for a key never written', async () => {
    expect(await storeAt({ now: 0 }).get('k')).toBeNull();
  });

  it('returns what was written', async () => {
    const store = storeAt({ now: 0 });

    await store.set('k', 'v', 1000);

    expect(await store.get('k')).toBe('v');
  });

  it('replaces the value on a second write', async () => {
    const store = storeAt({ now: 0 });
    await store.set('k', 'v1', 1000);

    await store.set('k', 'v2', 1000);

    expect(await store.get('k')).toBe('v2');
    expect(store.size).toBe(1);
  });

  it('keeps a value until just before its expiry and drops it at expiry', async () => {
    const clock = { now: 1000 };
    const store = storeAt(clock);
    await store.set('k', 'v', 500);

    clock.now = 1499;
    const before = await store.get('k');
    clock.now = 1500;

    expect(before).toBe('v');
    expect(await store.get('k')).toBeNull();
    expect(store.size).toBe(0);
  });

  it('evicts the least recently written entries beyond its bound', async () => {
    const store = storeAt({ now: 0 }, 2);
    await store.set('a', '1', 1000);
    await store.set('b', '2', 1000);
    await store.set('a', '1 again', 1000);

    await store.set('c', '3', 1000);

    expect(await store.get('b')).toBeNull();
    expect(await store.get('a')).toBe('1 again');
    expect(await store.get('c')).toBe('3');
    expect(store.size).toBe(2);
  });

  it('bounds itself to ten thousand entries by default', async () => {
    const store = new MemoryStore(undefined, () => 0);

    for (let i = 0; i <= DEFAULT_MEMORY_MAX_ENTRIES; i++) await store.set(`k${i}`, 'v', 1000);

    expect(DEFAULT_MEMORY_MAX_ENTRIES).toBe(10_000);
    expect(store.size).toBe(10_000);
    expect(await store.get('k0')).toBeNull();
  });

  it('counts a read as a use: the entry read survives the next eviction', async () => {
    const store = storeAt({ now: 0 }, 2);
    await store.set('a', '1', 1000);
    await store.set('b', '2', 1000);
    await store.get('a');

    await store.set('c', '3', 1000);

    expect(await store.get('a')).toBe('1');
    expect(await store.get('b')).toBeNull();
  });

  it('keeps its estimated bytes within the byte bound, dropping the least recently used', async () => {
    const maxBytes = 100_000;
    const store = new MemoryStore(1_000_000, () => 0, maxBytes);

    for (let i = 0; i < 100; i++) await store.set(`key-${i}`, 'x'.repeat(2000), 1000);

    expect(store.bytes).toBeLessThanOrEqual(maxBytes);
    expect(store.bytes).toBeGreaterThan(maxBytes / 2);
    expect(await store.get('key-0')).toBeNull();
    expect(await store.get('key-99')).toBe('x'.repeat(2000));
  });

  it('counts each entry at no less than two bytes per character of key and value', async () => {
    const store = storeAt({ now: 0 });

    await store.set('k'.repeat(80), 'v'.repeat(5000), 1000);

    expect(store.bytes).toBeGreaterThanOrEqual(2 * (80 + 5000));
  });

  it('sweeps 40,000 expired entries nobody reads again after a few more writes', async () => {
    const clock = { now: 0 };
    const store = new MemoryStore(1_000_000, () => clock.now, Number.MAX_SAFE_INTEGER);
    for (let i = 0; i < 40_000; i++) await store.set(`k${i}`, 'v', 1000);

    clock.now = 1001;
    for (let i = 0; i < 3; i++) await store.set(`later-${i}`, 'v', 1000);

    expect(store.size).toBe(3);
    expect(store.bytes).toBeLessThan(3 * 1000);
  });

  it('gives back the bytes of a replaced or released entry', async () => {
    const store = storeAt({ now: 0 });
    await store.set('k', 'x'.repeat(1000), 1000);
    await store.set('k', 'lock', 1000);

    await store.deleteIfEquals('k', 'lock');

    expect(store.bytes).toBe(0);
  });

  describe('setIfAbsent', () => {
    it('writes to an absent key and says so', async () => {
      const store = storeAt({ now: 0 });

      const written = await store.setIfAbsent('k', 'v', 1000);

      expect(written).toBe(true);
      expect(await store.get('k')).toBe('v');
    });

    it('leaves a present key untouched and says so', async () => {
      const store = storeAt({ now: 0 });
      await store.set('k', 'first', 1000);

      const written = await store.setIfAbsent('k', 'second', 1000);

      expect(written).toBe(false);
      expect(await store.get('k')).toBe('first');
    });

    it('writes over an expired value', async () => {
      const clock = { now: 0 };
      const store = storeAt(clock);
      await store.set('k', 'old', 100);
      clock.now = 100;

      const written = await store.setIfAbsent('k', 'new', 100);

      expect(written).toBe(true);
      expect(await store.get('k')).toBe('new');
    });

    it('lets only one of two concurrent callers win', async () => {
      const store = storeAt({ now: 0 });

      const results = await Promise.all([store.setIfAbsent('k', 'a', 1000), store.setIfAbsent('k', 'b', 1000)]);

      expect(results.filter(Boolean)).toHaveLength(1);
    });
  });

  describe('deleteIfEquals', () => {
    it('deletes the key while it holds the value', async () => {
      const store = storeAt({ now: 0 });
      await store.set('k', 'lock-1', 1000);

      await store.deleteIfEquals('k', 'lock-1');

      expect(await store.get('k')).toBeNull();
    });

    it('keeps the key when it holds another value', async () => {
      const store = storeAt({ now: 0 });
      await store.set('k', 'entry', 1000);

      await store.deleteIfEquals('k', 'lock-1');

      expect(await store.get('k')).toBe('entry');
    });

    it('does nothing for an absent key', async () => {
      const store = storeAt({ now: 0 });

      await expect(store.deleteIfEquals('k', 'v')).resolves.toBeUndefined();
      expect(store.size).toBe(0);
    });
  });

  describe('delete', () => {
    it('deletes the key whatever it holds and says it existed', async () => {
      const store = storeAt({ now: 0 });
      await store.set('k', 'entry', 1000);

      expect(await store.delete('k')).toBe(true);
      expect(await store.get('k')).toBeNull();
      expect(store.size).toBe(0);
    });

    it('answers false for an absent key', async () => {
      expect(await storeAt({ now: 0 }).delete('k')).toBe(false);
    });

    it('answers false for a key whose TTL has passed, as the server would have expired it', async () => {
      const clock = { now: 0 };
      const store = storeAt(clock);
      await store.set('k', 'entry', 1000);
      clock.now = 1000;

      expect(await store.delete('k')).toBe(false);
    });

    it('leaves every other key', async () => {
      const store = storeAt({ now: 0 });
      await store.set('a', 'A', 1000);
      await store.set('b', 'B', 1000);

      await store.delete('a');

      expect(await store.get('b')).toBe('B');
    });
  });
});

describe('MemoryStore.purge', () => {
  const ID = 'ff662ab5cd8a3ee7d41e0a2e207f1314f9b1ea0816192744799e3bb0569a0077';

  it('removes every key of the namespace, counting entries apart from lock markers, and nothing of another', async () => {
    const store = storeAt({ now: 0 });
    await store.set(`llmcache:v1:a:${ID}`, '{"v":1,"text":"x"}', 1000);
    await store.set(`llmcache:v1:a:${ID.replace('f', '0')}`, '{"lock":"token"}', 1000);
    await store.set(`llmcache:v1:a:${ID}:refresh`, '{"lock":"token"}', 1000);
    await store.set(`llmcache:v1:a-other:${ID}`, '{"v":1,"text":"y"}', 1000);

    const removed = store.purge('a');

    expect(removed).toEqual({ entries: 1, keys: 3 });
    expect(store.size).toBe(1);
    expect(await store.get(`llmcache:v1:a-other:${ID}`)).toBe('{"v":1,"text":"y"}');
  });

  it('does not count an entry that had already expired', async () => {
    const clock = { now: 0 };
    const store = storeAt(clock);
    await store.set(`llmcache:v1:a:${ID}`, '{"v":1,"text":"x"}', 100);
    clock.now = 100;

    expect(store.purge('a')).toEqual({ entries: 0, keys: 0 });
    expect(store.size).toBe(0);
  });
});
