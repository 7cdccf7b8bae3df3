import { CircuitBreaker } from '../../../lambda/cache/circuit-breaker';
import { CacheGuard } from '../../../lambda/cache/guard';

describe('CacheGuard', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('returns the value of an operation that succeeds in time', async () => {
    const guard = new CacheGuard(100);

    const result = await guard.run(async () => 'value');

    expect(result).toEqual({ ok: true, value: 'value' });
  });

  it('turns a thrown error into reason "error" keeping the error', async () => {
    const guard = new CacheGuard(100);
    const failure = new Error('connection reset');

    const result = await guard.run(async () => {
      throw failure;
    });

    expect(result).toEqual({ ok: false, reason: 'error', error: failure });
  });

  it('gives up on an operation that outlives the timeout with reason "timeout"', async () => {
    jest.useFakeTimers();
    const guard = new CacheGuard(100);

    const pending = guard.run(() => new Promise<string>(() => undefined));
    await jest.advanceTimersByTimeAsync(100);
    const result = await pending;

    expect(result).toMatchObject({ ok: false, reason: 'timeout' });
  });

  it('does not time out an operation that finishes just before the deadline', async () => {
    jest.useFakeTimers();
    const guard = new CacheGuard(100);

    const pending = guard.run(() => new Promise<string>((resolve) => setTimeout(() => resolve('late but in time'), 99)));
    await jest.advanceTimersByTimeAsync(100);

    await expect(pending).resolves.toEqual({ ok: true, value: 'late but in time' });
  });

  it('leaves no timer behind once the deadline of a settled operation has passed', async () => {
    jest.useFakeTimers();
    const guard = new CacheGuard(100);

    await guard.run(async () => 'value');
    await jest.advanceTimersByTimeAsync(100);

    expect(jest.getTimerCount()).toBe(0);
  });

  it('guards concurrent operations with one timer', async () => {
    jest.useFakeTimers();
    const guard = new CacheGuard(100);

    const pending = [1, 2, 3].map(() => guard.run(() => new Promise<void>(() => undefined)));

    expect(jest.getTimerCount()).toBe(1);
    await jest.advanceTimersByTimeAsync(100);
    await expect(Promise.all(pending)).resolves.toEqual([1, 2, 3].map(() => expect.objectContaining({ ok: false, reason: 'timeout' })));
  });

  it('times out a hung operation a full timeout after it started, even when an earlier one finished', async () => {
    jest.useFakeTimers();
    const guard = new CacheGuard(100);
    await guard.run(async () => 'first');
    await jest.advanceTimersByTimeAsync(60);
    let settled = false;
    const hung = guard.run(() => new Promise<void>(() => undefined)).then((result) => {
      settled = true;
      return result;
    });

    await jest.advanceTimersByTimeAsync(99);
    expect(settled).toBe(false);
    await jest.advanceTimersByTimeAsync(1);

    await expect(hung).resolves.toMatchObject({ ok: false, reason: 'timeout' });
  });

  it('ignores an operation that settles after its deadline passed', async () => {
    jest.useFakeTimers();
    const guard = new CacheGuard(100, new CircuitBreaker({ failureThreshold: 2 }));
    let finish: (value: string) => void = () => undefined;

    const pending = guard.run(() => new Promise<string>((resolve) => (finish = resolve)));
    await jest.advanceTimersByTimeAsync(100);
    finish('too late');

    await expect(pending).resolves.toMatchObject({ ok: false, reason: 'timeout' });
    // The late success did not close the breaker: one more failure opens it.
    await guard.run(async () => {
      throw new Error('down');
    });
    expect(guard.breaker.state).toBe('open');
  });

  it('turns an operation that throws before returning a promise into reason "error"', async () => {
    const guard = new CacheGuard(100);
    const failure = new Error('not connected');

    const result = await guard.run(() => {
      throw failure;
    });

    expect(result).toEqual({ ok: false, reason: 'error', error: failure });
  });

  it('refuses with reason "circuit-open" without calling the operation while the breaker is open', async () => {
    const guard = new CacheGuard(100, new CircuitBreaker({ failureThreshold: 1 }));
    await guard.run(async () => {
      throw new Error('down');
    });
    const operation = jest.fn(async () => 'value');

    const result = await guard.run(operation);

    expect(result).toEqual({ ok: false, reason: 'circuit-open' });
    expect(operation).not.toHaveBeenCalled();
    expect(guard.availableFor('llmcache:v1:ns:key')).toBe(false);
  });

  it('counts timeouts as failures of the breaker', async () => {
    jest.useFakeTimers();
    const guard = new CacheGuard(10, new CircuitBreaker({ failureThreshold: 2 }));

    for (let i = 0; i < 2; i++) {
      const pending = guard.run(() => new Promise<void>(() => undefined));
      await jest.advanceTimersByTimeAsync(10);
      await pending;
    }

    expect(guard.breaker.state).toBe('open');
  });

  it('is available while the breaker is closed', () => {
    expect(new CacheGuard(100).availableFor('llmcache:v1:ns:key')).toBe(true);
  });
});
