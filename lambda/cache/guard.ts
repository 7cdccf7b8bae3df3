import { CacheUnavailableError } from '../core/errors';
import { CircuitBreaker } from './circuit-breaker';

/** The message of ioredis' own `commandTimeout` rejection. */
const COMMAND_TIMED_OUT = /^Command timed out/;

/** The outcome of a guarded cache operation: a value, or the reason it was skipped. */
export type Guarded<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string; readonly error?: unknown };

/**
 * Runs cache operations so that they can never fail or stall a request: each gets a deadline,
 * errors become a `{ ok: false }` result, and a circuit breaker skips the cache entirely while
 * it keeps failing.
 */
export class CacheGuard {
  constructor(
    private readonly timeoutMs: number,
    readonly breaker: CircuitBreaker = new CircuitBreaker(),
  ) {}

  /** True while the breaker refuses calls; such a request must not take a lock it cannot release. */
  get available(): boolean {
    return this.breaker.state !== 'open';
  }

  async run<T>(operation: () => Promise<T>): Promise<Guarded<T>> {
    if (!this.breaker.allow()) return { ok: false, reason: 'circuit-open' };
    let timer: NodeJS.Timeout | undefined;
    const expired = new CacheUnavailableError(`cache operation exceeded ${this.timeoutMs} ms`);
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(expired), this.timeoutMs);
    });
    try {
      const value = await Promise.race([operation(), deadline]);
      this.breaker.succeeded();
      return { ok: true, value };
    } catch (error) {
      this.breaker.failed();
      // Only a deadline is a timeout; a refused or lost connection is an error, and says so.
      const timedOut = error === expired || (error instanceof Error && COMMAND_TIMED_OUT.test(error.message));
      return { ok: false, reason: timedOut ? 'timeout' : 'error', error };
    } finally {
      clearTimeout(timer);
    }
  }
}
