import { CacheGuard } from '../../lambda/cache/guard';
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
