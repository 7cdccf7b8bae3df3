import { CacheGuard } from '../../lambda/cache/guard';
import { keySlot } from '../../lambda/backends/redis/cluster/key-slot';
import { CacheUnavailableError } from '../../lambda/core/errors';

/** The reason a response gives for skipping the cache must say what happened. */
describe('CacheGuard reasons', () => {
  it('reports a refused connection (CacheUnavailableError from the connection factory) as "error"', async () => {
    const guard = new CacheGuard(1000);
    const result = await guard.run(() => Promise.reject(new CacheUnavailableError('cache connection failed')));
    expect(result).toMatchObject({ ok: false, reason: 'error' });
  });

  it("reports the client's own command timeout as \"timeout\"", async () => {
    const guard = new CacheGuard(1000);
    const result = await guard.run(() => Promise.reject(new Error('Command timed out')));
    expect(result).toMatchObject({ ok: false, reason: 'timeout' });
  });

  it('reports its own deadline as "timeout"', async () => {
    const guard = new CacheGuard(10);
    const result = await guard.run(() => new Promise(() => undefined));
    expect(result).toMatchObject({ ok: false, reason: 'timeout' });
  });
});

describe('CacheGuard partitions', () => {
  it("opens the breaker of a failing partition only; other partitions' keys still run", async () => {
    const guard = new CacheGuard(1000, undefined, (key) => key.split(':')[0]);
    for (let i = 0; i < 3; i++) await guard.run(() => Promise.reject(new Error('down')), 'a:key');

    expect(await guard.run(async () => 1, 'a:other')).toEqual({ ok: false, reason: 'circuit-open' });
    expect(guard.availableFor('a:key')).toBe(false);
    expect(await guard.run(async () => 2, 'b:key')).toEqual({ ok: true, value: 2 });
    expect(guard.availableFor('b:key')).toBe(true);
    // The breaker of keyless operations is not the failed partition's.
    expect(guard.breaker.state).not.toBe('open');
  });
});

describe('keySlot', () => {
  it.each([
    ['123456789', 12739], // the CRC16/XMODEM check value, mod 16384
    ['foo', 12182],
    ['{user1000}.following', 3443],
    ['{user1000}.followers', 3443],
    ['foo{}{bar}', 8363],
  ])('hashes %s to slot %i as Redis Cluster does', (key, slot) => {
    expect(keySlot(key)).toBe(slot);
  });
});
