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

/** The position of a scope that has read nothing yet. */
const START = '0-0';

/**
 * Brings a scope's in-memory vectors up to date from its change log on the server: the first
 * read bootstraps the scope (pages of `LOG_PAGE`), later ones read from the last entry applied,
 * inclusive (`XRANGE log <last id> + COUNT n`: just that entry when nothing changed). Entries are
 * stores (`d` id, `q` quantized vector, `x` expiry) and removals (`r` id: the vector leaves).
 *
 * Reading the last entry again is how a container sees that its position is gone, with no extra
 * round trip: when the reply does not start with it, the log was trimmed past it (more changes
 * than the cap since this container last read) or deleted (a purge, or every entry expired), and
 * removals it held may be lost. The scope's vectors are then dropped and the reply, which is the
 * log from its first entry, starts the scope's bootstrap again.
 */
export class ChangeLog {
  constructor(
    private readonly redis: RedisProvider,
    private readonly keys: ClientIndexKeys,
    private readonly dimensions: number,
    private readonly now: () => number,
    /** Drops a scope's vectors and position (`ScopeStates.reset`). */
    private readonly reset: (state: ScopeState) => void,
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
    const log = this.keys.log(state.namespace, state.scope);
    for (;;) {
      const resuming = state.lastId !== START;
      const reply: unknown = await redis.xrangeBuffer(log, resuming ? state.lastId : '-', '+', 'COUNT', LOG_PAGE);
      const entries = Array.isArray(reply) ? (reply as unknown[]) : [];
      let fresh = entries;
      if (resuming) {
        if (idOf(entries[0]) === state.lastId) fresh = entries.slice(1);
        else this.reset(state); // position lost: `entries` is the log from its start
      }
      this.apply(state, fresh);
      if (entries.length < LOG_PAGE) break;
    }
    state.bootstrapped = true;
  }

  /** Applies log entries `[id, [field, value, ...]]` in order. */
  private apply(state: ScopeState, entries: readonly unknown[]): void {
    const now = this.now();
    for (const item of entries) {
      if (!Array.isArray(item) || item.length < 2 || !Array.isArray(item[1])) continue;
      const fields = item[1] as Buffer[];
      let id: string | undefined;
      let removed: string | undefined;
      let blob: Buffer | undefined;
      let expiresAt = Number.NaN;
      for (let i = 0; i + 1 < fields.length; i += 2) {
        const name = String(fields[i]);
        if (name === 'd') id = String(fields[i + 1]);
        else if (name === 'q') blob = fields[i + 1];
        else if (name === 'x') expiresAt = Number(String(fields[i + 1]));
        else if (name === 'r') removed = String(fields[i + 1]);
      }
      state.lastId = String(item[0]);
      if (removed !== undefined) state.vectors.remove(removed);
      if (id === undefined || blob === undefined || !(expiresAt > now)) continue;
      const quantized = decodeQuantized(blob, this.dimensions);
      if (quantized !== null) state.vectors.put(id, quantized, expiresAt);
    }
  }
}

/** The stream id of a log entry `[id, fields]`, if it is one. */
function idOf(entry: unknown): string | undefined {
  return Array.isArray(entry) && entry.length >= 1 ? String(entry[0]) : undefined;
}
