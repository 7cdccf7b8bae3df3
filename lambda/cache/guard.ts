import { CacheUnavailableError } from '../core/errors';
import { CircuitBreaker } from './circuit-breaker';
import { Deadlines } from './deadlines';

/**
 * The message of ioredis' own `commandTimeout` rejection (the Redis backends set it to the cache
 * timeout): that deadline is a timeout too, even when it rejects before ours.
 */
const COMMAND_TIMED_OUT = /^Command timed out/;

/** The outcome of a guarded cache operation: a value, or the reason it was skipped. */
export type Guarded<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string; readonly error?: unknown };

/**
 * Runs cache operations so that they can never fail or stall a request: each gets a deadline,
 * errors become a `{ ok: false }` result, and a circuit breaker skips the cache (on a cluster,
 * only the failing shard) while it keeps failing.
 */
export class CacheGuard {
  private readonly partitions = new Map<string, CircuitBreaker>();
  private readonly deadlines: Deadlines;

  /**
   * @param breaker the breaker of operations without a key, and of every operation when there is
   *   no `partitionOf`.
   * @param partitionOf names the part of the backend that serves a key (a cluster's shard): each
   *   part gets its own breaker, so one failed shard does not switch the cache off for the others.
   * @param newBreaker makes the breaker of a partition; it gets the partition's name, so an
   *   opening can be reported with the shard it concerns.
   */
  constructor(
    private readonly timeoutMs: number,
    readonly breaker: CircuitBreaker = new CircuitBreaker(),
    private readonly partitionOf?: (key: string) => string | undefined,
    private readonly newBreaker: (partition?: string) => CircuitBreaker = () => new CircuitBreaker(),
  ) {
    this.deadlines = new Deadlines(timeoutMs);
  }

  /**
   * False while the breaker of the part of the backend that serves `key` refuses calls (open): a
   * request must not take a lock there that it could not release or write over.
   */
  availableFor(key: string): boolean {
    return this.breakerFor(key).state !== 'open';
  }

  private breakerFor(key: string | undefined): CircuitBreaker {
    const partition = key === undefined ? undefined : this.partitionOf?.(key);
    if (partition === undefined) return this.breaker;
    let breaker = this.partitions.get(partition);
    if (breaker === undefined) {
      breaker = this.newBreaker(partition);
      this.partitions.set(partition, breaker);
    }
    return breaker;
  }

  /**
   * Runs `operation` under the deadline; `key`, when given, picks the breaker of its partition.
   * The timeout error is created only when a deadline passes: a stack capture per operation
   * cost more than the operation on a hit.
   */
  run<T>(operation: () => Promise<T>, key?: string): Promise<Guarded<T>> {
    const breaker = this.breakerFor(key);
    if (!breaker.allow()) return Promise.resolve(CIRCUIT_OPEN);
    let pending: Promise<T>;
    try {
      pending = operation();
    } catch (error) {
      breaker.failed();
      return Promise.resolve(failure(error));
    }
    return new Promise<Guarded<T>>((resolve) => {
      const deadline = this.deadlines.start(() => {
        breaker.failed();
        resolve({ ok: false, reason: 'timeout', error: new CacheUnavailableError(`cache operation exceeded ${this.timeoutMs} ms`) });
      });
      pending.then(
        (value) => {
          if (!this.deadlines.finish(deadline)) return;
          breaker.succeeded();
          resolve({ ok: true, value });
        },
        (error: unknown) => {
          if (!this.deadlines.finish(deadline)) return;
          breaker.failed();
          resolve(failure(error));
        },
      );
    });
  }
}

const CIRCUIT_OPEN = { ok: false, reason: 'circuit-open' } as const;

/** Only a deadline (ours, or ioredis' `commandTimeout`) is a timeout; a refused or lost connection is an error, and says so. */
function failure(error: unknown): Guarded<never> {
  const timedOut = error instanceof Error && COMMAND_TIMED_OUT.test(error.message);
  return { ok: false, reason: timedOut ? 'timeout' : 'error', error };
}
