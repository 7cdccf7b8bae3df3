import { ExpiringLru } from '../../../lambda/core/expiring-lru';

function lruAt(clock: { now: number }, removed: string[] = [], limits = { maxEntries: 100, maxBytes: 1_000_000 }): ExpiringLru<string> {
  return new ExpiringLru<string>(limits, () => clock.now, (key) => removed.push(key));
}

describe('ExpiringLru', () => {
  it('sweeps every expired entry on the first write after the earliest expiry', () => {
    const clock = { now: 0 };
    const lru = lruAt(clock);
    for (let i = 0; i < 10; i++) lru.set(`old-${i}`, 'v', 100 + i, 1);
    lru.set('long', 'v', 10_000, 1);

    clock.now = 200;
    lru.set('new', 'v', 100, 1);

    expect(lru.size).toBe(2);
    expect(lru.bytes).toBe(2);
  });

  it('sweeps at most once a second, so steady expiries never cost a full pass per write', () => {
    const clock = { now: 5000 };
    const lru = lruAt(clock);
    lru.set('a', 'v', 10, 1);
    lru.set('b', 'v', 20, 1);
    clock.now = 5015;
    lru.set('c', 'v', 10_000, 1); // sweeps: a leaves

    clock.now = 5500;
    lru.set('d', 'v', 10_000, 1); // b has expired, but the last sweep was 485 ms ago

    expect(lru.size).toBe(3);
    clock.now = 6015;
    lru.set('e', 'v', 10_000, 1);
    expect(lru.size).toBe(3);
  });

  it('tells its owner about every removal: expiry, eviction, delete and replacement', () => {
    const clock = { now: 0 };
    const removed: string[] = [];
    const lru = lruAt(clock, removed, { maxEntries: 2, maxBytes: 1_000_000 });
    lru.set('expiring', 'v', 10, 1);
    lru.set('replaced', 'v1', 1000, 1);
    lru.set('replaced', 'v2', 1000, 1);
    lru.set('evicts-expiring', 'v', 1000, 1);
    lru.delete('replaced');
    clock.now = 2000;
    lru.get('evicts-expiring');

    expect(removed).toEqual(['replaced', 'expiring', 'replaced', 'evicts-expiring']);
  });

  it('evicts until an oversized write fits, itself included', () => {
    const lru = lruAt({ now: 0 }, [], { maxEntries: 100, maxBytes: 10 });
    lru.set('small', 'v', 1000, 5);

    lru.set('huge', 'v', 1000, 11);

    expect(lru.size).toBe(0);
    expect(lru.bytes).toBe(0);
  });
});

describe('ExpiringLru.deleteWhere', () => {
  it('removes the live entries it is asked to, tells onRemove of each, and counts them', () => {
    const removed: string[] = [];
    const lru = lruAt({ now: 0 }, removed);
    for (const key of ['a:1', 'a:2', 'b:1']) lru.set(key, 'v', 1000, 10);

    const count = lru.deleteWhere((key) => key.startsWith('a:'));

    expect(count).toBe(2);
    expect(removed).toEqual(['a:1', 'a:2']);
    expect(lru.size).toBe(1);
    expect(lru.bytes).toBe(10);
  });

  it('drops expired entries on the way without asking or counting them', () => {
    const clock = { now: 0 };
    const lru = lruAt(clock);
    lru.set('a:old', 'v', 10, 1);
    lru.set('b:old', 'v', 10, 1);
    lru.set('a:new', 'v', 1000, 1);
    clock.now = 10;
    const asked: string[] = [];

    const count = lru.deleteWhere((key) => {
      asked.push(key);
      return key.startsWith('a:');
    });

    expect(count).toBe(1);
    expect(asked).toEqual(['a:new']);
    expect(lru.size).toBe(0);
  });
});
