import { BackendClient, type BackendAddress } from './backend-client';
import { RespError, type RespValue } from './resp';

const KEYSPACE_PATTERN = '__keyspace@0__:*';
const KEYSPACE_PREFIX = '__keyspace@0__:';
/** Keyspace events the index needs: K (keyspace channel) + A (generic, string, list, set, zset, hash, expired, evicted, stream). */
const NEEDED_EVENTS = 'KA';

/** The double's two connections to one server: commands, and keyspace notifications. */
interface Shard {
  readonly loader: BackendClient;
  readonly subscriber: BackendClient;
  readonly runId: string;
}

/**
 * Where the indexed hashes live: one standalone server, or every master of a cluster (each holds
 * the keys of its own slots, as valkey-search indexes "ingestion is local"). `ownerOf` names the
 * shard (index into `addresses`) that owns a key; a standalone set has one shard, which owns all.
 * Every shard gets keyspace notifications turned on and its events reported through `onKey`.
 */
export class BackendShards {
  private shards: Shard[] = [];
  private runIds: (string | undefined)[] = [];

  constructor(
    private readonly addresses: readonly BackendAddress[],
    private readonly onKey: (key: string) => void,
    private readonly ownerOf: (key: Buffer) => number = () => 0,
  ) {}

  /** Every shard's connections are open. */
  get open(): boolean {
    return this.shards.length === this.addresses.length && this.shards.every((shard) => !shard.loader.closed && !shard.subscriber.closed);
  }

  /** (Re)connects every shard; resolves `true` when a shard restarted (its `run_id` changed) since the last connect. */
  async connect(): Promise<boolean> {
    this.close();
    const settled = await Promise.allSettled(this.addresses.map((address) => this.connectShard(address)));
    const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    const shards = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    if (failed !== undefined) {
      for (const shard of shards) closeShard(shard);
      throw failed.reason;
    }
    const restarted = shards.some((shard, i) => this.runIds[i] !== undefined && this.runIds[i] !== shard.runId);
    this.runIds = shards.map((shard) => shard.runId);
    this.shards = shards;
    return restarted;
  }

  close(): void {
    for (const shard of this.shards) closeShard(shard);
  }

  /** Resolves once every notification of a write that completed before the call has been received (PING on each subscriber). */
  async barrier(): Promise<void> {
    await Promise.all(this.connected().map((shard) => shard.subscriber.command(['PING'])));
  }

  /** Sends `command <key>` for every key to the shard that owns it, pipelined per shard; replies in `keys` order. */
  async perKey(command: string, keys: readonly string[]): Promise<RespValue[]> {
    const shards = this.connected();
    const groups = new Map<number, number[]>();
    keys.forEach((key, i) => {
      const owner = shards.length === 1 ? 0 : this.ownerOf(Buffer.from(key, 'latin1'));
      let group = groups.get(owner);
      if (group === undefined) groups.set(owner, (group = []));
      group.push(i);
    });
    const replies: RespValue[] = new Array<RespValue>(keys.length);
    await Promise.all(
      [...groups].map(async ([owner, indexes]) => {
        const answered = await shards[owner].loader.pipeline(indexes.map((i) => [command, Buffer.from(keys[i], 'latin1')]));
        answered.forEach((reply, j) => (replies[indexes[j]] = reply));
      }),
    );
    return replies;
  }

  /** Every hash whose name matches `pattern` (a SCAN MATCH pattern), on every shard. */
  async scanHashes(pattern: Buffer, onKey: (key: string) => void): Promise<void> {
    for (const shard of this.connected()) {
      let cursor = '0';
      do {
        const reply = await shard.loader.command(['SCAN', cursor, 'MATCH', pattern, 'COUNT', '1000', 'TYPE', 'hash']);
        if (!Array.isArray(reply) || !Buffer.isBuffer(reply[0]) || !Array.isArray(reply[1])) throw new Error(`unexpected SCAN reply: ${describeValue(reply)}`);
        cursor = reply[0].toString('latin1');
        for (const key of reply[1]) if (Buffer.isBuffer(key)) onKey(key.toString('latin1'));
      } while (cursor !== '0');
    }
  }

  private connected(): Shard[] {
    if (!this.open) throw new Error('not connected');
    return this.shards;
  }

  private async connectShard(address: BackendAddress): Promise<Shard> {
    const loader = await BackendClient.connect(address);
    let subscriber: BackendClient | undefined;
    try {
      subscriber = await BackendClient.connect(address, (message) => this.onKeyspaceEvent(message));
      const current = await loader.command(['CONFIG', 'GET', 'notify-keyspace-events']);
      const flags = Array.isArray(current) && Buffer.isBuffer(current[1]) ? current[1].toString('latin1') : '';
      const merged = [...new Set(flags + NEEDED_EVENTS)].join('');
      const set = await loader.command(['CONFIG', 'SET', 'notify-keyspace-events', merged]);
      if (set instanceof RespError) throw new Error(`cannot enable keyspace notifications on the backing server: ${set.message}`);
      await subscriber.command(['PSUBSCRIBE', KEYSPACE_PATTERN]);
      return { loader, subscriber, runId: await serverRunId(loader) };
    } catch (error) {
      loader.close();
      subscriber?.close();
      throw error;
    }
  }

  private onKeyspaceEvent(message: RespValue[]): void {
    const channel = message[2];
    if (!Buffer.isBuffer(channel)) return;
    this.onKey(channel.subarray(KEYSPACE_PREFIX.length).toString('latin1'));
  }
}

function closeShard(shard: Shard): void {
  shard.loader.close();
  shard.subscriber.close();
}

async function serverRunId(loader: BackendClient): Promise<string> {
  const info = await loader.command(['INFO', 'server']);
  const text = Buffer.isBuffer(info) ? info.toString('latin1') : '';
  return /run_id:(\w+)/.exec(text)?.[1] ?? '';
}

function describeValue(value: RespValue): string {
  if (value instanceof RespError) return value.message;
  return Array.isArray(value) ? `array(${value.length})` : String(value);
}
