import type { TlsOptions } from 'node:tls';
import { BackendClient, type BackendAddress } from './backend-client';
import { FtEngine } from './engine';
import { slotOf, SLOTS } from './key-slot';
import { listen, type FtCommands, type ProxyListener } from './proxy';
import type { RespValue } from './resp';

/** Where a client reaches one node's proxy. */
export interface ProxyAddress {
  readonly host: string;
  readonly port: number;
}

/** A running cluster-mode double: one proxy per master, one FT engine behind all of them. */
export interface FtClusterDouble {
  /** One proxy per master, in the order of `nodes` given to `startFtClusterDouble`. */
  readonly proxies: readonly ProxyAddress[];
  /**
   * ioredis Cluster `natMap`: each master's `host:port`, exactly as CLUSTER SLOTS names it (and
   * MOVED / ASK), mapped to its proxy.
   */
  readonly natMap: Readonly<Record<string, ProxyAddress>>;
  /** FT.* commands each proxy answered, by command name (upper case), in proxy order. */
  ftCalls(): ReadonlyArray<Readonly<Record<string, number>>>;
  /** Which master (index into `nodes`) owns `key`, from the cluster's slot map at start. */
  shardOf(key: string): number;
  /** Names of the indexes the engine holds (cluster-wide). */
  indexNames(): string[];
  /** Closes every proxy and the engine; the cluster keeps running. Idempotent. */
  stop(): Promise<void>;
}

export interface FtClusterDoubleOptions {
  /**
   * Every master of the cluster (no replicas), with the credentials and TLS options the double's
   * own connections use (an admin user: CONFIG SET, PSUBSCRIBE, SCAN, HGETALL of any key).
   */
  readonly nodes: readonly BackendAddress[];
  /** Certificate and key: clients must reach the proxies with TLS. @default plain TCP */
  readonly serverTls?: TlsOptions;
}

/**
 * The FT double in cluster mode, shaped like valkey-search's coordinator: FT.* sent to any node's
 * proxy is answered by one shared engine (an index created through one proxy exists for all;
 * FT.SEARCH through any proxy ranks the documents of every shard, each read back from the master
 * that owns it). Everything else goes unchanged to that proxy's own node; CLUSTER SLOTS passes
 * through (clients reach the proxies with ioredis' `natMap`), while MOVED and ASK name the owner's
 * proxy: ioredis 5 records a MOVED target without applying `natMap` (cluster/index.js, `moved`
 * handler), so a redirection to a real node's address would send its retries to random proxies. The slot map is
 * read once at start (resharding is not followed).
 */
export async function startFtClusterDouble(options: FtClusterDoubleOptions): Promise<FtClusterDouble> {
  const { nodes } = options;
  if (nodes.length === 0) throw new Error('a cluster double needs at least one master');
  const slots = await readSlotMap(nodes);
  const ownerOf = (key: Buffer): number => slots.owners[slotOf(key)] ?? 0;
  const engine = new FtEngine(nodes, ownerOf);
  await engine.start();
  const calls = nodes.map(() => ({}) as Record<string, number>);
  // Filled once every proxy listens; read only when a reply is rewritten.
  const natMap: Record<string, ProxyAddress> = {};
  const listeners: ProxyListener[] = [];
  const stopAll = async (): Promise<void> => {
    engine.stop();
    await Promise.all(listeners.map((listener) => listener.close()));
  };
  try {
    for (const [i, node] of nodes.entries()) {
      const counting: FtCommands = {
        execute: (args) => {
          const name = args[0].toString('latin1').toUpperCase();
          calls[i][name] = (calls[i][name] ?? 0) + 1;
          return engine.execute(args);
        },
        noteCommand: (args) => engine.noteCommand(args),
        rewriteReply: (raw) => redirectToProxy(raw, natMap),
      };
      listeners.push(await listen(node, counting, options.serverTls));
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  const proxies = listeners.map(({ port }) => ({ host: '127.0.0.1', port }));
  for (const [address, i] of slots.addresses) natMap[address] = proxies[i];
  let stopped: Promise<void> | undefined;
  return {
    proxies,
    natMap,
    ftCalls: () => calls.map((counts) => ({ ...counts })),
    shardOf: (key) => ownerOf(Buffer.from(key, 'latin1')),
    indexNames: () => engine.indexNames(),
    stop: () => (stopped ??= stopAll()),
  };
}

/** Slot owners (index into `nodes`) and each master's address as CLUSTER SLOTS names it, from node 0. */
async function readSlotMap(nodes: readonly BackendAddress[]): Promise<{ owners: number[]; addresses: Map<string, number> }> {
  const client = await BackendClient.connect(nodes[0]);
  let reply: RespValue;
  try {
    reply = await client.command(['CLUSTER', 'SLOTS']);
  } finally {
    client.close();
  }
  if (!Array.isArray(reply)) throw new Error('CLUSTER SLOTS did not answer an array: is the backing server a cluster node?');
  const owners = new Array<number>(SLOTS);
  const addresses = new Map<string, number>();
  for (const range of reply) {
    if (!Array.isArray(range) || !Array.isArray(range[2])) continue;
    const [start, end, master] = range as [number, number, RespValue[]];
    const host = String(master[0]);
    const port = Number(master[1]);
    const owner = nodes.findIndex((node) => node.port === port);
    if (owner < 0) throw new Error(`CLUSTER SLOTS names ${host}:${port}, which is not one of the double's masters`);
    addresses.set(`${host}:${port}`, owner);
    for (let slot = start; slot <= end; slot++) owners[slot] = owner;
  }
  return { owners, addresses };
}

/** `-MOVED <slot> <node>` / `-ASK <slot> <node>` naming the node's proxy instead; other replies unchanged. */
function redirectToProxy(raw: Buffer, natMap: Readonly<Record<string, ProxyAddress>>): Buffer {
  if (raw[0] !== 0x2d) return raw;
  const match = /^-(MOVED|ASK) (\d+) (\S+)\r\n$/.exec(raw.toString('latin1'));
  const proxy = match === null ? undefined : natMap[match[3]!];
  if (match === null || proxy === undefined) return raw;
  return Buffer.from(`-${match[1]!} ${match[2]!} ${proxy.host}:${proxy.port}\r\n`, 'latin1');
}
