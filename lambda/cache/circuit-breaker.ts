/** Settings of the breaker that stops paying the cache timeout while the backend is down. */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. @default 3 */
  readonly failureThreshold?: number;
  /** How long the circuit stays open before one probe is let through, in ms. @default 5000 */
  readonly coolDownMs?: number;
  /**
   * Called when the circuit goes from closed or half-open to open (not for failures of calls
   * still in flight while it is already open), so an opening is reported once. @default none
   */
  readonly onOpen?: () => void;
}

/**
 * Closed: calls pass. After `failureThreshold` consecutive failures it opens: calls are refused
 * at once for `coolDownMs`. Then it lets a single probe through (half-open); the probe's success
 * closes it, its failure opens it again.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | undefined;
  private probing = false;
  private readonly threshold: number;
  private readonly coolDownMs: number;
  private readonly onOpen: (() => void) | undefined;

  constructor(options: CircuitBreakerOptions = {}, private readonly now: () => number = Date.now) {
    this.threshold = options.failureThreshold ?? 3;
    this.coolDownMs = options.coolDownMs ?? 5000;
    this.onOpen = options.onOpen;
  }

  get state(): 'closed' | 'open' | 'half-open' {
    if (this.openedAt === undefined) return 'closed';
    return this.now() - this.openedAt >= this.coolDownMs ? 'half-open' : 'open';
  }

  /** Whether a call may go to the backend now. A true answer in half-open state claims the probe. */
  allow(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.probing) return false;
    this.probing = true;
    return true;
  }

  succeeded(): void {
    this.failures = 0;
    this.openedAt = undefined;
    this.probing = false;
  }

  failed(): void {
    this.failures += 1;
    if (this.probing || this.failures >= this.threshold) {
      const wasOpen = this.state === 'open';
      this.openedAt = this.now();
      if (!wasOpen) this.report();
    }
    this.probing = false;
  }

  /** Calls `onOpen`; a reporter that throws must not break the guard that called `failed()`. */
  private report(): void {
    try {
      this.onOpen?.();
    } catch {
      // Reporting is best effort: the breaker's state is already set.
    }
  }
}
