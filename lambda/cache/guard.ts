import { CacheUnavailableError } from '../core/errors';
import { CircuitBreaker } from './circuit-breaker';
import { Deadlines } from './deadlines';
import { NOT_CONNECTED_WITHIN } from './first-connection';

/**
 * The message of ioredis' own `commandTimeout` rejection (the Redis backends set it to the cache
 * timeout): that deadline is a timeout too, even when it rejects before ours. So is a first
 * connection that did not complete within the connect deadline (`FirstConnection`).
 */
const COMMAND_TIMED_OUT = new RegExp(`^(Command timed out|${NOT_CONNECTED_WITHIN})`);

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
  /** Deadlines of operations with their own budget: one queue per length, so each expires in order. */
  private readonly budgets = new Map<number, Deadlines>();

  /**
   * @param breaker the breaker of operations without a key, and of every operation when there is
   *   no `partitionOf`.
   * @param partitionOf names the part of the backend that serves a key (a cluster's shard): each
   *   part gets its own breaker, so one failed shard does not switch the cache off for the others.
   * @param newBreaker makes the breaker of a partition; it gets the partition's name, so an
   *   opening can be reported with the shard it concerns.
   * @param connecting the backend's first connection while it is being made (`FirstConnection`),
   *   undefined once it settled: an operation waits for it (the connect deadline bounds it) before
   *   its own deadline starts, so a cold container's first request is not failed open by the time
   *   connecting takes.
   */
  constructor(
    private readonly timeoutMs: number,
    readonly breaker: CircuitBreaker = new CircuitBreaker(),
    private readonly partitionOf?: (key: string) => string | undefined,
    private readonly newBreaker: (partition?: string) => CircuitBreaker = () => new CircuitBreaker(),
    private readonly connecting?: () => Promise<void> | undefined,
  ) {
    this.deadlines = new Deadlines(timeoutMs);
  }

  private deadlinesOf(timeoutMs: number): Deadlines {
    if (timeoutMs === this.timeoutMs) return this.deadlines;
    let deadlines = this.budgets.get(timeoutMs);
    if (deadlines === undefined) {
      deadlines = new Deadlines(timeoutMs);
      this.budgets.set(timeoutMs, deadlines);
    }
    return deadlines;
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
   * `timeoutMs` replaces the guard's timeout for an operation that has its own budget (a
   * client-side index's first read of a scope). The timeout error is created only when a
   * deadline passes: a stack capture per operation cost more than the operation on a hit.
   */
  run<T>(operation: () => Promise<T>, key?: string, timeoutMs: number = this.timeoutMs): Promise<Guarded<T>> {
    const first = this.connecting?.();
    if (first !== undefined) return this.afterConnecting(first, operation, key, timeoutMs);
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
      const deadlines = timeoutMs === this.timeoutMs ? this.deadlines : this.deadlinesOf(timeoutMs);
      const deadline = deadlines.start(() => {
        breaker.failed();
        resolve({ ok: false, reason: 'timeout', error: new CacheUnavailableError(`cache operation exceeded ${timeoutMs} ms`) });
      });
      pending.then(
        (value) => {
          if (!deadlines.finish(deadline)) return;
          breaker.succeeded();
          resolve({ ok: true, value });
        },
        (error: unknown) => {
          if (!deadlines.finish(deadline)) return;
          breaker.failed();
          resolve(failure(error));
        },
      );
    });
  }

  /** Waits for the first connection, then runs the operation under its own deadline; a failed first connection fails it. */
  private afterConnecting<T>(first: Promise<void>, operation: () => Promise<T>, key: string | undefined, timeoutMs: number): Promise<Guarded<T>> {
    return first.then(
      () => this.run(operation, key, timeoutMs),
      (error: unknown) => {
        this.breakerFor(key).failed();
        return failure(error);
      },
    );
  }
}

const CIRCUIT_OPEN = { ok: false, reason: 'circuit-open' } as const;

/** Only a deadline (ours, or ioredis' `commandTimeout`) is a timeout; a refused or lost connection is an error, and says so. */
function failure(error: unknown): Guarded<never> {
  const timedOut = error instanceof Error && COMMAND_TIMED_OUT.test(error.message);
  return { ok: false, reason: timedOut ? 'timeout' : 'error', error };
}
