import { SingleFlight } from '../../../lambda/cache/single-flight';

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('SingleFlight', () => {
  it('runs concurrent calls with the same key once and shares the result', async () => {
    const flights = new SingleFlight<string>();
    const gate = deferred<string>();
    const work = jest.fn(() => gate.promise);

    const calls = [flights.run('k', work), flights.run('k', work), flights.run('k', work)];
    gate.resolve('answer');
    const results = await Promise.all(calls);

    expect(work).toHaveBeenCalledTimes(1);
    expect(results.map((r) => r.value)).toEqual(['answer', 'answer', 'answer']);
    expect(results.map((r) => r.leader)).toEqual([true, false, false]);
  });

  it('runs calls with different keys independently', async () => {
    const flights = new SingleFlight<string>();
    const work = jest.fn(async () => 'x');

    await Promise.all([flights.run('a', work), flights.run('b', work)]);

    expect(work).toHaveBeenCalledTimes(2);
  });

  it('shares a failure with every waiter and then forgets the key', async () => {
    const flights = new SingleFlight<string>();
    const gate = deferred<string>();

    const first = flights.run('k', () => gate.promise);
    const second = flights.run('k', () => gate.promise);
    gate.reject(new Error('model down'));

    await expect(first).rejects.toThrow('model down');
    await expect(second).rejects.toThrow('model down');
    expect(flights.size).toBe(0);
  });

  it('runs the work again for a call made after the previous one settled', async () => {
    const flights = new SingleFlight<number>();
    let runs = 0;
    const work = async () => ++runs;

    await flights.run('k', work);
    const again = await flights.run('k', work);

    expect(again).toEqual({ value: 2, leader: true });
    expect(flights.size).toBe(0);
  });

  it('tracks the keys in flight', () => {
    const flights = new SingleFlight<string>();

    void flights.run('k', () => new Promise<string>(() => undefined));

    expect(flights.size).toBe(1);
  });
});
