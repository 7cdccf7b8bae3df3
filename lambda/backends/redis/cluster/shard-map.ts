import { keySlot, SLOT_COUNT } from './key-slot';

/**
 * The part of ioredis' `Cluster` the shard map uses, all of it documented in ioredis' README
 * ("Cluster" > "Events": `ready`, `+node`, `-node`) or a plain command.
 */
export interface ClusterClient {
  readonly status?: string;
  on(event: 'ready' | '+node' | '-node', listener: () => void): unknown;
  call(command: string, ...args: string[]): Promise<unknown>;
}

/** Events after which the slot map may have changed: (re)connected, a node joined or left the client's pool. */
const REFRESH_ON = ['ready', '+node', '-node'] as const;

/**
 * Which master serves each hash slot, from our own `CLUSTER SLOTS` (granted to the cache user as
 * `cluster|slots`, which ioredis needs anyway) rather than ioredis' undocumented `Cluster.slots`.
 * Read once the client is ready and again whenever a node joins or leaves its pool, one read at a
 * time, in the background. A slot keeps its last known master until a reply names another: while
 * a master is down (the moment per-shard breakers exist for), its keys keep their own breaker
 * instead of falling back to the one every other key shares. A failover moves a shard to a new
 * address but not its slots, so the grouping of keys stays right even before the next read.
 */
export class ShardMap {
  private readonly masters: (string | undefined)[] = new Array<string | undefined>(SLOT_COUNT).fill(undefined);
  private readonly tracked = new WeakSet<object>();
  private refreshing = false;
  private again = false;

  /** `host:port` of the master serving `key`'s slot; undefined until the first read answered. */
  shardOf(key: string): string | undefined {
    return this.masters[keySlot(key)];
  }

  /**
   * Keeps the map current for `client`, tracked once. A client without events is ignored, and a
   * standalone one answers `CLUSTER SLOTS` with an error: either way the map stays empty, so one
   * breaker covers the whole backend.
   */
  track(client: object): void {
    if (!isClusterClient(client) || this.tracked.has(client)) return;
    this.tracked.add(client);
    const refresh = (): void => this.refresh(client);
    for (const event of REFRESH_ON) client.on(event, refresh);
    if (client.status === 'ready') refresh();
  }

  /** Applies a `CLUSTER SLOTS` reply: `[[start, end, [host, port, ...], ...replicas], ...]`. */
  apply(reply: unknown): void {
    if (!Array.isArray(reply)) return;
    for (const range of reply) {
      if (!Array.isArray(range) || !Array.isArray(range[2])) continue;
      const [start, end, [host, port]] = range as [unknown, unknown, unknown[]];
      if (typeof start !== 'number' || typeof end !== 'number' || host === undefined || String(host) === '') continue;
      const master = `${String(host)}:${String(port)}`;
      for (let slot = Math.max(0, start); slot <= Math.min(end, SLOT_COUNT - 1); slot++) this.masters[slot] = master;
    }
  }

  /**
   * One read in flight; events meanwhile ask for one more after it. A failed read keeps the map as
   * it was: the client's own connection errors are reported through its hooks already.
   */
  private refresh(client: ClusterClient): void {
    if (this.refreshing) {
      this.again = true;
      return;
    }
    this.refreshing = true;
    client
      .call('CLUSTER', 'SLOTS')
      .then((reply) => this.apply(reply), () => undefined)
      .finally(() => {
        this.refreshing = false;
        if (this.again) {
          this.again = false;
          this.refresh(client);
        }
      })
      .catch(() => undefined);
  }
}

function isClusterClient(client: object): client is ClusterClient & object {
  return typeof (client as { on?: unknown }).on === 'function' && typeof (client as { call?: unknown }).call === 'function';
}
