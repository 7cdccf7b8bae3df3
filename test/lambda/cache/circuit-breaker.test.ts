import { CircuitBreaker } from '../../../lambda/cache/circuit-breaker';

function breakerAt(clock: { now: number }, failureThreshold = 3, coolDownMs = 1000): CircuitBreaker {
  return new CircuitBreaker({ failureThreshold, coolDownMs }, () => clock.now);
}

function fail(breaker: CircuitBreaker, times: number): void {
  for (let i = 0; i < times; i++) breaker.failed();
}

describe('CircuitBreaker', () => {
  it('starts closed and allows calls', () => {
    const breaker = breakerAt({ now: 0 });

    expect(breaker.state).toBe('closed');
    expect(breaker.allow()).toBe(true);
  });

  it('stays closed below the failure threshold', () => {
    const breaker = breakerAt({ now: 0 });

    fail(breaker, 2);

    expect(breaker.state).toBe('closed');
    expect(breaker.allow()).toBe(true);
  });

  it('opens after the threshold of consecutive failures and refuses calls', () => {
    const breaker = breakerAt({ now: 0 });

    fail(breaker, 3);

    expect(breaker.state).toBe('open');
    expect(breaker.allow()).toBe(false);
  });

  it('counts only consecutive failures: a success resets the count', () => {
    const breaker = breakerAt({ now: 0 });

    fail(breaker, 2);
    breaker.succeeded();
    fail(breaker, 2);

    expect(breaker.state).toBe('closed');
  });

  it('uses three failures and five seconds when no options are given', () => {
    const clock = { now: 0 };
    const breaker = new CircuitBreaker({}, () => clock.now);

    fail(breaker, 3);
    clock.now = 4999;
    const stillOpen = breaker.state;
    clock.now = 5000;

    expect(stillOpen).toBe('open');
    expect(breaker.state).toBe('half-open');
  });

  it('becomes half-open after the cool-down and lets exactly one probe through', () => {
    const clock = { now: 0 };
    const breaker = breakerAt(clock);
    fail(breaker, 3);

    clock.now = 1000;

    expect(breaker.state).toBe('half-open');
    expect(breaker.allow()).toBe(true);
    expect(breaker.allow()).toBe(false);
  });

  it('closes when the probe succeeds', () => {
    const clock = { now: 0 };
    const breaker = breakerAt(clock);
    fail(breaker, 3);
    clock.now = 1000;
    breaker.allow();

    breaker.succeeded();

    expect(breaker.state).toBe('closed');
    expect(breaker.allow()).toBe(true);
  });

  it('opens again for a full cool-down when the probe fails', () => {
    const clock = { now: 0 };
    const breaker = breakerAt(clock);
    fail(breaker, 3);
    clock.now = 1000;
    breaker.allow();

    breaker.failed();

    expect(breaker.state).toBe('open');
    clock.now = 1999;
    expect(breaker.allow()).toBe(false);
    clock.now = 2000;
    expect(breaker.allow()).toBe(true);
  });

  describe('reporting an opening through onOpen', () => {
    function watched(clock: { now: number }) {
      const onOpen = jest.fn();
      const breaker = new CircuitBreaker({ failureThreshold: 3, coolDownMs: 1000, onOpen }, () => clock.now);
      return { breaker, onOpen };
    }

    it('calls onOpen once when the threshold of failures opens the circuit', () => {
      const { breaker, onOpen } = watched({ now: 0 });

      fail(breaker, 3);

      expect(onOpen).toHaveBeenCalledTimes(1);
    });

    it('does not call onOpen again for failures that arrive while the circuit is already open', () => {
      const { breaker, onOpen } = watched({ now: 0 });

      fail(breaker, 5);

      expect(onOpen).toHaveBeenCalledTimes(1);
    });

    it('calls onOpen again when a half-open probe fails', () => {
      const clock = { now: 0 };
      const { breaker, onOpen } = watched(clock);
      fail(breaker, 3);
      clock.now = 1000;
      breaker.allow();

      breaker.failed();

      expect(onOpen).toHaveBeenCalledTimes(2);
    });

    it('opens even when onOpen throws: reporting never breaks the guard', () => {
      const breaker = new CircuitBreaker({ failureThreshold: 1, onOpen: () => { throw new Error('reporter down'); } }, () => 0);

      expect(() => breaker.failed()).not.toThrow();
      expect(breaker.state).toBe('open');
    });

    it('does not call onOpen below the threshold', () => {
      const { breaker, onOpen } = watched({ now: 0 });

      fail(breaker, 2);

      expect(onOpen).not.toHaveBeenCalled();
    });
  });
});
