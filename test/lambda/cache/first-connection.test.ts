import { CacheGuard } from '../../../lambda/cache/guard';
import { FirstConnection } from '../../../lambda/cache/first-connection';
import { CacheUnavailableError } from '../../../lambda/core/errors';

/** A connection the test settles by hand. */
function controlled(): { connect: () => Promise<void>; succeed: () => void; fail: (error: Error) => void; calls: () => number } {
  let settle: { resolve: () => void; reject: (error: Error) => void } | undefined;
  let calls = 0;
  return {
    connect: () => {
      calls += 1;
      return new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    },
    succeed: () => settle?.resolve(),
    fail: (error) => settle?.reject(error),
    calls: () => calls,
  };
}

describe('FirstConnection', () => {
  afterEach(() => jest.useRealTimers());

  it('starts connecting once and is undefined for good once connected', async () => {
    const connection = controlled();
    const first = new FirstConnection(connection.connect, 1000);

    const pending = first.current();
    expect(first.current()).toBe(pending);
    connection.succeed();
    await expect(pending).resolves.toBeUndefined();

    expect(first.current()).toBeUndefined();
    expect(connection.calls()).toBe(1);
  });

  it('rejects with the connection\'s error and then lets operations fail fast (undefined)', async () => {
    const connection = controlled();
    const first = new FirstConnection(connection.connect, 1000);
    const refused = new Error('connect ECONNREFUSED');

    const pending = first.current();
    connection.fail(refused);

    await expect(pending).rejects.toBe(refused);
    expect(first.current()).toBeUndefined();
  });

  it('gives up at the connect deadline with a CacheUnavailableError naming it', async () => {
    jest.useFakeTimers();
    const first = new FirstConnection(() => new Promise(() => undefined), 1000);

    const pending = first.current();
    const outcome = pending?.catch((error: unknown) => error);
    await jest.advanceTimersByTimeAsync(999);
    expect(first.current()).toBe(pending);
    await jest.advanceTimersByTimeAsync(1);

    const error = await outcome;
    expect(error).toBeInstanceOf(CacheUnavailableError);
    expect((error as Error).message).toBe('cache not connected within 1000 ms');
    expect(first.current()).toBeUndefined();
  });
});

describe('CacheGuard with a first connection in progress', () => {
  afterEach(() => jest.useRealTimers());

  it('starts the operation\'s deadline only once connected, so a slow first connection is not a timeout', async () => {
    jest.useFakeTimers();
    const connection = controlled();
    const first = new FirstConnection(connection.connect, 1000);
    const guard = new CacheGuard(250, undefined, undefined, undefined, () => first.current());
    let started = false;

    const pending = guard.run(async () => {
      started = true;
      return 'hit';
    });
    await jest.advanceTimersByTimeAsync(600); // connecting takes longer than the operation deadline
    expect(started).toBe(false);
    connection.succeed();

    await expect(pending).resolves.toEqual({ ok: true, value: 'hit' });
  });

  it('fails open with reason "timeout" when the first connection outlives the connect deadline', async () => {
    jest.useFakeTimers();
    const first = new FirstConnection(() => new Promise(() => undefined), 1000);
    const guard = new CacheGuard(250, undefined, undefined, undefined, () => first.current());
    const operation = jest.fn(async () => 'never');

    const pending = guard.run(operation);
    await jest.advanceTimersByTimeAsync(1000);

    await expect(pending).resolves.toMatchObject({ ok: false, reason: 'timeout' });
    expect(operation).not.toHaveBeenCalled();
  });

  it('fails open with reason "error" at once when the first connection is refused, and counts it on the breaker', async () => {
    const connection = controlled();
    const first = new FirstConnection(connection.connect, 1000);
    const guard = new CacheGuard(250, undefined, undefined, undefined, () => first.current());

    const results = [guard.run(async () => 'a'), guard.run(async () => 'b'), guard.run(async () => 'c')];
    connection.fail(new Error('connect ECONNREFUSED 127.0.0.1:1'));

    expect(await Promise.all(results)).toEqual([
      expect.objectContaining({ ok: false, reason: 'error' }),
      expect.objectContaining({ ok: false, reason: 'error' }),
      expect.objectContaining({ ok: false, reason: 'error' }),
    ]);
    expect(guard.breaker.state).toBe('open');
  });
});
