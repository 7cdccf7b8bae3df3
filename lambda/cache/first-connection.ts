import { CacheUnavailableError } from '../core/errors';

/** The message of a first connection that took too long; the guard reports it as a `timeout`. */
export const NOT_CONNECTED_WITHIN = 'cache not connected within';

/**
 * A container's first connection to its cache, while it is being made. A cold container's first
 * request waits for it (bounded by the connect deadline) instead of spending its per-operation
 * deadline on module loading, credentials, TLS and cluster discovery: measured under Lambda's CPU
 * share at 512 MB, those took longer than the 250 ms operation deadline on a TLS cluster, and
 * every new container then called the model for an answer the cache held (README "Cold start").
 *
 * Once the first attempt has settled (connected, failed, or out of time), `current()` is
 * undefined for good: later operations fail fast on a lost connection, as before, and a hit
 * pays one function call for this.
 */
export class FirstConnection {
  private pending: Promise<void> | undefined;
  private settled = false;

  /**
   * @param connect resolves once the cache is connected (it may load the client, fetch credentials, discover the cluster).
   * @param timeoutMs the connect deadline (`CACHE_CONNECT_TIMEOUT_MS`), counted from the first call:
   *   init's warm-up, or the first request when nothing warmed up.
   */
  constructor(
    private readonly connect: () => Promise<unknown>,
    private readonly timeoutMs: number,
  ) {}

  /** The first connection (started on the first call) while it is in progress; undefined once it settled. */
  current(): Promise<void> | undefined {
    if (this.settled) return undefined;
    this.pending ??= this.start();
    return this.pending;
  }

  private start(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const finish = (error?: unknown): void => {
        if (this.settled) return;
        this.settled = true;
        clearTimeout(timer);
        if (error === undefined) resolve();
        else reject(error);
      };
      const timer = setTimeout(() => finish(new CacheUnavailableError(`${NOT_CONNECTED_WITHIN} ${this.timeoutMs} ms`)), this.timeoutMs);
      // Never keeps a process alive by itself: the connection's own sockets and timers do that.
      timer.unref();
      let attempt: Promise<unknown>;
      try {
        attempt = this.connect();
      } catch (error) {
        finish(error ?? new CacheUnavailableError('cache connection failed'));
        return;
      }
      attempt.then(
        () => finish(),
        (error: unknown) => finish(error ?? new CacheUnavailableError('cache connection failed')),
      );
    });
  }
}
