import { decodeQuantized } from '../../../semantic/vectors/quantize';
import type { RedisProvider } from '../connection/redis-commands';
import type { ClientIndexKeys } from './keys';
import type { ScopeState } from './scope-states';

/**
 * Log entries per read (~256 KiB at 1024 dims): a bootstrap reads the log in pages, so no single
 * reply approaches the per-command timeout, and a page that fails leaves the ones before it applied.
 * 1000 (~1 MiB) was too many at a 512 MB function's CPU share: parsing one page's reply outlived
 * the 250 ms command timeout on a busy host and failed a cold container's first semantic lookup.
 */
export const LOG_PAGE = 250;

/**
 * Brings a scope's in-memory vectors up to date from its change log on the server: the first
 * read bootstraps the scope (pages of `LOG_PAGE`), later ones read only what is new
 * (`XRANGE log (<last id> + COUNT n`, empty when nothing changed).
 */
export class ChangeLog {
  constructor(
    private readonly redis: RedisProvider,
    private readonly keys: ClientIndexKeys,
    private readonly dimensions: number,
    private readonly now: () => number,
  ) {}

  /**
   * One log read at a time per scope. A call made while a read is in flight waits for one more
   * read after it (shared by every such caller), so it sees every change stored before it began.
   */
  catchUp(state: ScopeState): Promise<void> {
    if (state.running === undefined) {
      const running = this.read(state).finally(() => {
        if (state.running === running) state.running = undefined;
      });
      state.running = running;
      return running;
    }
    state.queued ??= state.running
      .catch(() => undefined)
      .then(() => {
        state.queued = undefined;
        return this.catchUp(state);
      });
    return state.queued;
  }

  private async read(state: ScopeState): Promise<void> {
    const redis = await this.redis();
    for (;;) {
      const reply: unknown = await redis.xrangeBuffer(this.keys.log(state.scope), `(${state.lastId}`, '+', 'COUNT', LOG_PAGE);
      const read = Array.isArray(reply) ? this.apply(state, reply as unknown[]) : 0;
      if (read < LOG_PAGE) break;
    }
    state.bootstrapped = true;
  }

  /** Applies log entries `[id, [field, value, ...]]` in order; returns how many were read. */
  private apply(state: ScopeState, entries: unknown[]): number {
    const now = this.now();
    for (const item of entries) {
      if (!Array.isArray(item) || item.length < 2 || !Array.isArray(item[1])) continue;
      const fields = item[1] as Buffer[];
      let id: string | undefined;
      let blob: Buffer | undefined;
      let expiresAt = Number.NaN;
      for (let i = 0; i + 1 < fields.length; i += 2) {
        const name = String(fields[i]);
        if (name === 'd') id = String(fields[i + 1]);
        else if (name === 'q') blob = fields[i + 1];
        else if (name === 'x') expiresAt = Number(String(fields[i + 1]));
      }
      state.lastId = String(item[0]);
      if (id === undefined || blob === undefined || !(expiresAt > now)) continue;
      const quantized = decodeQuantized(blob, this.dimensions);
      if (quantized !== null) state.vectors.put(id, quantized, expiresAt);
    }
    return entries.length;
  }
}
