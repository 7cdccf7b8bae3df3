import { CircuitBreaker } from '../../../lambda/cache/circuit-breaker';
import { CacheGuard } from '../../../lambda/cache/guard';

const failing = (): Promise<never> => Promise.reject(new Error('ECONNREFUSED'));

describe('CacheGuard reporting breaker openings', () => {
  it('gives a new partition breaker the name of its partition, so an opening can say which shard', async () => {
    const opened: string[] = [];
    const guard = new CacheGuard(
      1000,
      new CircuitBreaker(),
      (key) => (key.startsWith('a') ? 'node-a:6379' : 'node-b:6379'),
      (partition) => new CircuitBreaker({ failureThreshold: 1, onOpen: () => opened.push(partition ?? 'none') }),
    );

    await guard.run(failing, 'a-key');
    await guard.run(failing, 'b-key');

    expect(opened).toEqual(['node-a:6379', 'node-b:6379']);
  });

  it('still answers a failed operation with { ok: false } when the opening reporter throws', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, onOpen: () => { throw new Error('reporter down'); } });
    const guard = new CacheGuard(1000, breaker);

    const result = await guard.run(failing);

    expect(result).toMatchObject({ ok: false, reason: 'error' });
    expect(breaker.state).toBe('open');
  });
});
