import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Redis from 'ioredis';
import { baseConfig, DEFAULT_APP_USER_RULES, newAdmin, randomSecret, type AclUserOption } from './config';
import { removeDir, trackDir } from './cleanup';
import { getFreePorts } from './free-port';
import { AddressInUseError, LOCALHOST, ManagedRedis, sleep, type AclCredentials } from './server-process';
import { runtimeEnv, ServerHandle, type RedisTestServer } from './standalone';
import { getTestCa } from './tls-certs';

export const CLUSTER_SLOTS = 16384;

export interface ClusterOptions {
  /** Number of masters (no replicas). Default 3. */
  readonly masters?: number;
  /** TLS on client ports and the cluster bus. Default true. */
  readonly tls?: boolean;
  /** The application ACL user; default `llmcache-app` with a random password and DEFAULT_APP_USER_RULES. */
  readonly aclUser?: AclUserOption;
}

/** A cluster-mode deployment on 127.0.0.1, as ElastiCache Serverless / MemoryDB look to a client. */
export interface RedisTestCluster {
  readonly nodes: readonly RedisTestServer[];
  /** Slot ranges per node, same order as `nodes`: [first, last] inclusive. */
  readonly slotRanges: readonly (readonly [number, number])[];
  /** URL of the first node (the configuration endpoint): `rediss://127.0.0.1:port`. */
  readonly url: string;
  readonly tls: boolean;
  readonly caFile?: string;
  readonly wrongCaFile?: string;
  readonly username: string;
  readonly password: string;
  readonly admin: AclCredentials;
  /** Milliseconds from the first spawn to cluster_state:ok on every node. */
  readonly startupMs: number;
  /** Runtime environment: CACHE_BACKEND=redis-cluster, CACHE_URL, credentials, CA file. */
  env(): Record<string, string>;
  /** Resolves once every running node reports cluster_state:ok and sees all slots. */
  waitUntilHealthy(timeoutMs?: number): Promise<void>;
  /** Stops every node and deletes the dirs. Idempotent. */
  stop(): Promise<void>;
}

/** Evenly split 0..16383 into `count` inclusive ranges. */
export function slotRanges(count: number): [number, number][] {
  const ranges: [number, number][] = [];
  for (let i = 0; i < count; i++) {
    const first = Math.floor((i * CLUSTER_SLOTS) / count);
    const last = Math.floor(((i + 1) * CLUSTER_SLOTS) / count) - 1;
    ranges.push([first, last]);
  }
  return ranges;
}

/**
 * Starts `masters` cluster-enabled redis-servers, assigns slots evenly, joins them with
 * CLUSTER MEET (no redis-cli needed) and resolves once every node reports cluster_state:ok.
 * The `default` user is off; the app user and the harness admin user are the only logins.
 */
export async function startCluster(options: ClusterOptions = {}): Promise<RedisTestCluster> {
  const masters = options.masters ?? 3;
  if (!Number.isInteger(masters) || masters < 1) throw new Error('masters must be a positive integer');
  const useTls = options.tls ?? true;
  const ca = useTls ? getTestCa() : undefined;
  const admin = newAdmin();
  const aclUser: AclUserOption = options.aclUser ?? { username: 'llmcache-app', password: randomSecret(), rules: DEFAULT_APP_USER_RULES };
  const root = mkdtempSync(join(tmpdir(), 'llmcache-cluster-'));
  trackDir(root);
  const started = Date.now();
  const procs: ManagedRedis[] = [];
  try {
    for (let i = 0; i < masters; i++) {
      const dir = join(root, `node-${i}`);
      mkdirSync(dir);
      procs.push(
        new ManagedRedis(
          {
            dir,
            parentDir: root,
            admin,
            tls: ca ? { caFile: ca.caFile } : undefined,
            config: (port, busPort) =>
              `${[
                ...baseConfig({ dir, port, tls: ca, admin, aclUser }),
                'cluster-enabled yes',
                'cluster-config-file nodes.conf',
                `cluster-port ${busPort}`,
                'cluster-node-timeout 2000',
                'cluster-require-full-coverage no',
                ...(ca ? ['tls-cluster yes', 'tls-replication yes'] : []),
              ].join('\n')}\n`,
          },
          0,
          0,
        ),
      );
    }
    await Promise.all(procs.map((proc) => startOnFreePorts(proc)));

    const ranges = slotRanges(masters);
    const admins = procs.map((proc) => proc.adminClient());
    try {
      await Promise.all(admins.map((client, i) => client.call('CLUSTER', 'ADDSLOTSRANGE', String(ranges[i][0]), String(ranges[i][1]))));
      for (let i = 1; i < masters; i++) {
        await admins[0].call('CLUSTER', 'MEET', LOCALHOST, String(procs[i].port), String(procs[i].busPort));
      }
    } finally {
      admins.forEach((client) => client.disconnect());
    }

    const handles = procs.map(
      (proc, i) =>
        new ServerHandle(proc, join(root, `node-${i}`), admin, useTls, 'redis-cluster', ca?.caFile, ca?.wrongCaFile, aclUser.username, aclUser.password),
    );
    const waitUntilHealthy = (timeoutMs = 15_000): Promise<void> => waitForClusterOk(procs.filter((p) => p.running), masters, timeoutMs);
    await waitUntilHealthy();
    const startupMs = Date.now() - started;
    let stopped = false;
    const url = handles[0].url;
    return {
      nodes: handles,
      slotRanges: ranges,
      url,
      tls: useTls,
      caFile: ca?.caFile,
      wrongCaFile: ca?.wrongCaFile,
      username: aclUser.username,
      password: aclUser.password,
      admin,
      startupMs,
      env: () => runtimeEnv('redis-cluster', url, { username: aclUser.username, password: aclUser.password, caFile: ca?.caFile }),
      waitUntilHealthy,
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await Promise.all(procs.map((proc) => proc.stop()));
        removeDir(root);
      },
    };
  } catch (error) {
    await Promise.all(procs.map((proc) => proc.stop()));
    removeDir(root);
    throw error;
  }
}

async function startOnFreePorts(proc: ManagedRedis): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const [port, busPort] = await getFreePorts(2);
    proc.port = port;
    proc.busPort = busPort;
    try {
      await proc.start();
      return;
    } catch (error) {
      proc.releasePorts();
      if (!(error instanceof AddressInUseError) || attempt >= 5) throw error;
    }
  }
}

async function waitForClusterOk(procs: ManagedRedis[], masters: number, timeoutMs: number): Promise<void> {
  const clients = procs.map((proc) => proc.adminClient());
  const deadline = Date.now() + timeoutMs;
  let last = '';
  try {
    for (;;) {
      const states = await Promise.all(clients.map((client) => nodeState(client, masters).catch((e: Error) => e.message)));
      if (states.every((state) => state === 'ok')) return;
      last = states.join(' | ');
      if (Date.now() > deadline) throw new Error(`cluster did not reach cluster_state:ok: ${last}`);
      await sleep(50);
    }
  } finally {
    clients.forEach((client) => client.disconnect());
  }
}

async function nodeState(client: Redis, masters: number): Promise<string> {
  const info = String(await client.call('CLUSTER', 'INFO'));
  const field = (name: string): string => new RegExp(`^${name}:(\\S+)`, 'm').exec(info)?.[1] ?? '?';
  if (field('cluster_state') !== 'ok') return `state ${field('cluster_state')}`;
  if (Number(field('cluster_known_nodes')) !== masters) return `known ${field('cluster_known_nodes')}`;
  if (Number(field('cluster_slots_ok')) !== CLUSTER_SLOTS) return `slots_ok ${field('cluster_slots_ok')}`;
  const slots = (await client.call('CLUSTER', 'SLOTS')) as unknown[];
  if (slots.length !== masters) return `slot ranges ${slots.length}`;
  return 'ok';
}
