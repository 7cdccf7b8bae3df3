/** What one renewal found: the lock extended, the lock no longer ours (or gone), or the cache failed (already reported). */
export type Renewed = 'renewed' | 'lost' | 'failed';

/**
 * Keeps a held single-flight lock alive while its holder works (the model call), so waiters in
 * other containers keep waiting for a live holder instead of calling the model a second time once
 * the lock's TTL passes. `renew` runs every `intervalMs` (a third of the TTL: two renewals may fail
 * before the lock lapses); a renewal that failed is tried again at the next tick, and one that
 * found the lock no longer ours ends the renewals. None is started past `until` (the holder's
 * invocation ends then, and the lock with it). A holder that dies stops renewing, so its lock still
 * expires within the TTL.
 *
 * One timer at a time, unref'd (it never keeps a process alive); `stop` clears it and waits for a
 * renewal in flight, so nothing runs after the holder is done. The holder calls `stop` on every path.
 */
export class LockRenewal {
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly renew: () => Promise<Renewed>,
    private readonly intervalMs: number,
    private readonly until: number = Number.POSITIVE_INFINITY,
  ) {
    this.schedule();
  }

  /** Ends the renewals; resolves once none is running. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  private schedule(): void {
    // The global `performance` (not node:perf_hooks' export), so jest's fake timers drive it.
    if (this.stopped || performance.now() + this.intervalMs >= this.until) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.inFlight = this.tick();
    }, this.intervalMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    const renewed = await this.renew();
    this.inFlight = undefined;
    if (renewed !== 'lost') this.schedule();
  }
}
