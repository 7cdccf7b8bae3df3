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
  private readonly partitions = new Map<string, CircuitBreaker>();

  /**
   * @param breaker the breaker of operations without a key, and of every operation when there is
   *   no `partitionOf`.
   * @param partitionOf names the part of the backend that serves a key (a cluster's shard): each
   *   part gets its own breaker, so one failed shard does not switch the cache off for the others.
   */
  constructor(
    private readonly timeoutMs: number,
    readonly breaker: CircuitBreaker = new CircuitBreaker(),
    private readonly partitionOf?: (key: string) => string | undefined,
    private readonly newBreaker: () => CircuitBreaker = () => new CircuitBreaker(),
  ) {}

  /** True while the breaker refuses calls; such a request must not take a lock it cannot release. */
  get available(): boolean {
    return this.breaker.state !== 'open';
  }

  /** Like `available`, for the part of the backend that serves `key`. */
  availableFor(key: string): boolean {
    return this.breakerFor(key).state !== 'open';
  }

  private breakerFor(key: string | undefined): CircuitBreaker {
    const partition = key === undefined ? undefined : this.partitionOf?.(key);
    if (partition === undefined) return this.breaker;
    let breaker = this.partitions.get(partition);
    if (breaker === undefined) {
      breaker = this.newBreaker();
      this.partitions.set(partition, breaker);
    }
    return breaker;
  }

  /** Runs `operation` under the deadline; `key`, when given, picks the breaker of its partition. */
  async run<T>(operation: () => Promise<T>, key?: string): Promise<Guarded<T>> {
    const breaker = this.breakerFor(key);
    if (!breaker.allow()) return { ok: false, reason: 'circuit-open' };
    let timer: NodeJS.Timeout | undefined;
    const expired = new CacheUnavailableError(`cache operation exceeded ${this.timeoutMs} ms`);
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(expired), this.timeoutMs);
    });
    try {
      const value = await Promise.race([operation(), deadline]);
      breaker.succeeded();
      return { ok: true, value };
    } catch (error) {
      breaker.failed();
      // Only a deadline is a timeout; a refused or lost connection is an error, and says so.
      const timedOut = error === expired || (error instanceof Error && COMMAND_TIMED_OUT.test(error.message));
      return { ok: false, reason: timedOut ? 'timeout' : 'error', error };
    } finally {
      clearTimeout(timer);
    }
  }
}
