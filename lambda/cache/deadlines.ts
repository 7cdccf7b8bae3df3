/** One operation's deadline: `expire` runs once when it passes, unless `finish` came first. */
export interface Deadline {
  readonly at: number;
  readonly expire: () => void;
  done: boolean;
}

/**
 * The deadlines of one guard, kept on a single timer. Every operation gets the same timeout, so
 * deadlines expire in the order they were started: a FIFO queue, and one timer armed for the
 * oldest unfinished deadline, replace a timer and a `Promise.race` per operation (which cost more
 * than the GET they guarded). The timer is not cleared when an operation finishes: it fires at the
 * oldest deadline and re-arms only for one still in flight, so a busy container sets about one
 * timer per timeout, not one per operation. Finished deadlines leave the queue at once while they
 * are at its head (in order, the usual case), so it holds only what is in flight.
 *
 * The timer is unref'd: it never keeps a process alive by itself (the guarded operation's own
 * socket or timer does that).
 */
export class Deadlines {
  private queue: Deadline[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly timeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts a deadline `timeoutMs` from now; `expire` runs when it passes. */
  start(expire: () => void): Deadline {
    const deadline: Deadline = { at: this.now() + this.timeoutMs, expire, done: false };
    this.queue.push(deadline);
    if (this.timer === undefined) this.arm(this.timeoutMs);
    return deadline;
  }

  /** Marks `deadline` finished; false when it had already expired (the operation lost the race). */
  finish(deadline: Deadline): boolean {
    if (deadline.done) return false;
    deadline.done = true;
    this.dropFinished();
    return true;
  }

  /** Finished deadlines at the head leave at once, so the queue holds only what is in flight. */
  private dropFinished(): void {
    while (this.head < this.queue.length && this.queue[this.head]!.done) this.head += 1;
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    }
  }

  private arm(delayMs: number): void {
    this.timer = setTimeout(() => this.fire(), Math.max(1, delayMs));
    this.timer.unref();
  }

  private fire(): void {
    this.timer = undefined;
    const now = this.now();
    while (this.head < this.queue.length) {
      const deadline = this.queue[this.head]!;
      if (!deadline.done) {
        // The timer may fire a little before the clock reaches the deadline: wait for the rest.
        if (deadline.at > now) break;
        deadline.done = true;
        deadline.expire();
      }
      this.head += 1;
    }
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
      return;
    }
    if (this.head > 1024) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.arm(this.queue[this.head]!.at - now);
  }
}
