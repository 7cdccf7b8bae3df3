/**
 * Concurrent calls with the same key share one execution: the first runs `work`, the rest await
 * its promise. The key is released when the work settles, success or failure.
 */
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, Promise<T>>();

  /** Runs `work` unless a call with `key` is already running; `leader` says which happened. */
  async run(key: string, work: () => Promise<T>): Promise<{ readonly value: T; readonly leader: boolean }> {
    const running = this.inFlight.get(key);
    if (running !== undefined) return { value: await running, leader: false };
    const promise = work().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return { value: await promise, leader: true };
  }

  get size(): number {
    return this.inFlight.size;
  }
}
