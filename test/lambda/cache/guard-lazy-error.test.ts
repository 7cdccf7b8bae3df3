import { CacheGuard } from '../../../lambda/cache/guard';
import * as errors from '../../../lambda/core/errors';

jest.mock('../../../lambda/core/errors', () => {
  const actual = jest.requireActual<typeof errors>('../../../lambda/core/errors');
  return { ...actual, CacheUnavailableError: jest.fn((message: string) => new actual.CacheUnavailableError(message)) };
});

/** A stack capture per guarded operation cost more than the GET it guarded: only a timeout creates one. */
describe('CacheGuard timeout error', () => {
  const created = errors.CacheUnavailableError as unknown as jest.Mock;

  beforeEach(() => created.mockClear());
  afterEach(() => jest.useRealTimers());

  it('creates no error for operations that finish in time', async () => {
    const guard = new CacheGuard(100);

    for (let i = 0; i < 3; i++) await guard.run(async () => i);

    expect(created).not.toHaveBeenCalled();
  });

  it('creates the timeout error when the deadline passes and returns it', async () => {
    jest.useFakeTimers();
    const guard = new CacheGuard(100);

    const pending = guard.run(() => new Promise<void>(() => undefined));
    expect(created).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(100);
    const result = await pending;

    expect(created).toHaveBeenCalledTimes(1);
    expect(result).toMatchObject({ ok: false, reason: 'timeout', error: expect.objectContaining({ message: 'cache operation exceeded 100 ms' }) });
  });
});
