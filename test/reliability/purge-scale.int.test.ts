import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import type Redis from 'ioredis';
import { keySlot } from '../../lambda/backends/redis/cluster/key-slot';
import { connectRedisClient, createRedisClient, type RedisClient } from '../../lambda/backends/redis/connection';
import { REDIS_COMMAND_LIST, REDIS_COMMANDS_NOT_GRANTED } from '../../lambda/backends/redis/connection/commands-used';
import { loadConfig } from '../../lambda/core/config';
import { startCluster, type RedisTestCluster, type RedisTestServer } from '../../tools/redis-servers';
import { keysOn } from '../contract/targets';
import type { PurgeReport } from '../support/purge/purge-child';

/**
 * Purge at scale (issue 21): 50,000 entries of one namespace on the 3-master TLS cluster, a part
 * of them with semantic documents in both layouts (client-side index vectors and change logs, FT
 * hashes), plus single-flight and refresh locks; another namespace beside it; two writers keep
 * writing to both while a separate process purges the first. Afterwards no key of the namespace
 * that existed before the purge started is left, every key of the other namespace is there, and
 * the server refused nothing the runtime needs (the app user has exactly `REDIS_COMMANDS_USED`).
 * The purging process's duration and memory are printed (the note's figures).
 */
const A = 'purge-a';
const B = 'purge-b';
const ENTRIES_A = 50_000;
const ENTRIES_B = 5_000;
const MODEL = 'amazon-titan-embed-text-v2-0';
const DIMENSIONS = 1024;
const RULES = `~llmcache:* -@all ${REDIS_COMMAND_LIST.filter((c) => !c.startsWith('ft.')).map((c) => `+${c}`).join(' ')}`;

const digest = (text: string): string => createHash('sha256').update(text).digest('hex');
const entryValue = (text: string): string => JSON.stringify({ v: 1, text, stopReason: 'end_turn', usage: { inputTokens: 12, outputTokens: 80 }, modelId: 'm', createdAt: 0, latencyMs: 1, scope: digest('scope') });
const VECTOR = Buffer.alloc(DIMENSIONS * 4, 7);
const exactKey = (namespace: string, id: string): string => `llmcache:v1:${namespace}:${id}`;
const clientDocument = (namespace: string, scope: string, id: string): string => `llmcache:cv:v2:${MODEL}:${DIMENSIONS}:${namespace}:{${scope}}:d:${id}`;
const clientLog = (namespace: string, scope: string): string => `llmcache:cv:v2:${MODEL}:${DIMENSIONS}:${namespace}:{${scope}}:log`;
const searchDocument = (namespace: string, id: string): string => `llmcache:sem:v1:s3:${MODEL}:${DIMENSIONS}:${namespace}:${id}`;

type Write = readonly [command: 'set' | 'hset' | 'xadd', key: string, ...args: (string | Buffer)[]];

/**
 * A namespace's keys in the real layout: `entries` exact entries, a fifth of them with a
 * client-side index document (100 scopes, each with its change log), one in 25 with an FT hash,
 * 200 single-flight locks and 100 refresh locks.
 */
function* namespaceWrites(namespace: string, entries: number): Generator<Write> {
  const scopes = Array.from({ length: 100 }, (_, i) => digest(`${namespace}-scope-${i}`));
  for (let i = 0; i < entries; i++) {
    const id = digest(`${namespace}-${i}`);
    yield ['set', exactKey(namespace, id), entryValue(`answer ${i}`)];
    if (i % 5 === 0) yield ['set', clientDocument(namespace, scopes[i % scopes.length]!, id), Buffer.concat([VECTOR, Buffer.from(`answer ${i}`)])];
    if (i % 25 === 0) yield ['hset', searchDocument(namespace, id), 'vec', VECTOR, 'scope', scopes[0]!, 'answer', `answer ${i}`];
    if (i < 100) yield ['set', `${exactKey(namespace, id)}:refresh`, JSON.stringify({ lock: `refresh-${i}` })];
  }
  for (let i = 0; i < 200; i++) yield ['set', exactKey(namespace, digest(`${namespace}-lock-${i}`)), JSON.stringify({ lock: `lock-${i}` })];
  for (const scope of scopes) yield ['xadd', clientLog(namespace, scope), '*', 'd', 'x'];
}

/** Writes straight to each master as the harness admin, pipelined per master (the fast way to fill a cluster). */
async function fill(cluster: RedisTestCluster, writes: Iterable<Write>): Promise<Set<string>> {
  const admins = cluster.nodes.map((node) => node.adminClient());
  const written = new Set<string>();
  try {
    let pipelines = admins.map((admin) => admin.pipeline());
    let pending = 0;
    const flush = async (): Promise<void> => {
      const results = await Promise.all(pipelines.map((pipeline) => pipeline.exec()));
      for (const result of results) for (const [error] of result ?? []) if (error) throw error;
      pipelines = admins.map((admin) => admin.pipeline());
      pending = 0;
    };
    for (const [command, key, ...args] of writes) {
      const slot = keySlot(key);
      const node = cluster.slotRanges.findIndex(([first, last]) => slot >= first && slot <= last);
      pipelines[node]!.call(command, key, ...args);
      written.add(key);
      if (++pending >= 5000) await flush();
    }
    await flush();
    return written;
  } finally {
    for (const admin of admins) admin.disconnect();
  }
}

interface Written {
  /** Keys of A acknowledged, with when (performance.now()). */
  readonly a: { key: string; at: number }[];
  /** Keys of B acknowledged. */
  readonly b: string[];
  /** Writes that failed (a loaded machine may time one out); they are not counted as written. */
  failed: number;
}

/** Another container writing as the app user: new entries (and vectors) of A and of B, one pair at a time, until stopped. */
function startWriter(client: RedisClient, name: string): { stop(): Promise<Written> } {
  const written: Written = { a: [], b: [], failed: 0 };
  let running = true;
  const write = async (key: string, value: string): Promise<boolean> =>
    client.set(key, value).then(() => true, () => {
      written.failed++;
      return false;
    });
  const loop = (async () => {
    for (let i = 0; running; i++) {
      const id = digest(`${name}-${i}`);
      const aKey = i % 2 === 0 ? exactKey(A, id) : clientDocument(A, digest(`${name}-scope`), id);
      const bKey = exactKey(B, id);
      const [aDone, bDone] = await Promise.all([write(aKey, entryValue(`new ${i}`)), write(bKey, entryValue(`new ${i}`))]);
      const at = performance.now();
      if (aDone) written.a.push({ key: aKey, at });
      if (bDone) written.b.push(bKey);
      if (!aDone || !bDone) await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return written;
    },
  };
}

/** Runs `purge-child.ts` in its own process; resolves with its report once it has purged. */
function purgeInChild(env: Record<string, string>, namespace: string): { ready: Promise<void>; go(): void; report: Promise<PurgeReport> } {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', join(__dirname, '..', 'support', 'purge', 'purge-child.ts')], {
    env: { ...process.env, AWS_REGION: 'us-east-1', ...env, PURGE_NAMESPACE: namespace },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  let report: PurgeReport | undefined;
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line === 'ready') onReady();
    else if (line.startsWith('{')) report = JSON.parse(line) as PurgeReport;
  });
  const done = new Promise<PurgeReport>((resolve, reject) => {
    child.once('exit', (code) => (report ? resolve(report) : reject(new Error(`purge child exited ${String(code)}: ${stderr}`))));
  });
  return { ready: Promise.race([ready, done.then(() => undefined)]), go: () => child.stdin.write('go\n'), report: done };
}

async function aclDenials(nodes: readonly RedisTestServer[]): Promise<string[]> {
  const denied: string[] = [];
  for (const node of nodes) {
    const admin: Redis = node.adminClient();
    try {
      for (const fields of (await admin.call('ACL', 'LOG')) as unknown[][]) {
        const record = new Map<string, unknown>();
        for (let i = 0; i < fields.length; i += 2) record.set(String(fields[i]), fields[i + 1]);
        const object = String(record.get('object'));
        if (record.get('reason') !== 'command' || !Object.keys(REDIS_COMMANDS_NOT_GRANTED).includes(object)) denied.push(`${String(record.get('reason'))}: ${object}`);
      }
    } finally {
      admin.disconnect();
    }
  }
  return denied;
}

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

describe('purge of 50,000 entries on the 3-master TLS cluster while two writers keep writing', () => {
  let cluster: RedisTestCluster;
  const writerClients: RedisClient[] = [];

  beforeAll(async () => {
    cluster = await startCluster({ aclUser: { username: 'llmcache-app', password: 'purge-test-pw', rules: RULES } });
  }, 60_000);
  afterAll(async () => {
    for (const client of writerClients) client.disconnect();
    await cluster?.stop();
  });

  it('removes every key of the namespace written before it started, and keeps the other namespace whole', async () => {
    const filled = performance.now();
    const beforeA = await fill(cluster, namespaceWrites(A, ENTRIES_A));
    const beforeB = await fill(cluster, namespaceWrites(B, ENTRIES_B));
    const fillMs = performance.now() - filled;
    const config = loadConfig({ AWS_REGION: 'us-east-1', ...cluster.env() });
    for (let i = 0; i < 2; i++) writerClients.push(await connectRedisClient(createRedisClient(config, { username: config.username, password: config.password }), 5000));
    const purger = purgeInChild(cluster.env(), A);
    await purger.ready;

    const writers = writerClients.map((client, i) => startWriter(client, `writer-${i}`));
    await new Promise((resolve) => setTimeout(resolve, 200)); // the writers are under way before the purge starts
    const goAt = performance.now();
    purger.go();
    const report = await purger.report;
    const written = await Promise.all(writers.map((writer) => writer.stop()));

    const leftA = new Set(await keysOn(cluster.nodes, `*:${A}:*`));
    const presentBefore = [...beforeA, ...written.flatMap((w) => w.a.filter((write) => write.at < goAt).map((write) => write.key))];
    expect(presentBefore.filter((key) => leftA.has(key))).toEqual([]);
    const leftB = new Set(await keysOn(cluster.nodes, `*:${B}:*`));
    const expectedB = [...beforeB, ...written.flatMap((w) => w.b)];
    expect(expectedB.filter((key) => !leftB.has(key))).toEqual([]);
    expect(leftB.size).toBeGreaterThanOrEqual(expectedB.length); // a write that failed on the client may still have landed
    expect(report.complete).toBe(true);
    // Exact entries: the 50,000 written before (not the 200 locks), plus whatever entries of the writers it met.
    const writerEntries = written.reduce((sum, w) => sum + w.a.filter((write) => write.key.startsWith('llmcache:v1:')).length, 0);
    expect(report.entries).toBeGreaterThanOrEqual(ENTRIES_A);
    expect(report.entries).toBeLessThanOrEqual(ENTRIES_A + writerEntries);
    expect(report.keys).toBeGreaterThanOrEqual(beforeA.size);
    expect(await aclDenials(cluster.nodes)).toEqual([]);

    // For scale: the same process purging the other namespace, an eighth of the size, alone. Peaks
    // that do not grow with the namespace show the purge holds one batch, never the key list.
    const small = purgeInChild(cluster.env(), B);
    await small.ready;
    small.go();
    const smallReport = await small.report;
    expect(smallReport).toMatchObject({ complete: true, keys: leftB.size });

    const writes = written.reduce((sum, w) => sum + w.a.length + w.b.length, 0);
    const failed = written.reduce((sum, w) => sum + w.failed, 0);
    console.log(
      [
        `purge of ${A}: ${report.entries} entries, ${report.keys} keys (${beforeA.size} written before it) in ${report.durationMs.toFixed(0)} ms`,
        `purging process memory: baseline rss ${mib(report.baseline.rss)}, heap ${mib(report.baseline.heapUsed)}; peak during purge rss ${mib(report.peak.rss)} (+${mib(report.peak.rss - report.baseline.rss)}), heap ${mib(report.peak.heapUsed)} (+${mib(report.peak.heapUsed - report.baseline.heapUsed)}), live heap after GC (every 100 ms) ${mib(report.liveHeapPeak)} (+${mib(report.liveHeapPeak - report.baseline.heapUsed)}); VmHWM (whole life) ${report.vmHwm === undefined ? 'n/a' : mib(report.vmHwm)}`,
        `for scale, ${B} alone: ${smallReport.keys} keys in ${smallReport.durationMs.toFixed(0)} ms, peak rss +${mib(smallReport.peak.rss - smallReport.baseline.rss)}, heap +${mib(smallReport.peak.heapUsed - smallReport.baseline.heapUsed)}, live heap +${mib(smallReport.liveHeapPeak - smallReport.baseline.heapUsed)}`,
        `writers: ${writes} keys written meanwhile (${failed} writes failed); ${B}: ${leftB.size} keys intact; fill ${fillMs.toFixed(0)} ms; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
      ].join('\n'),
    );
  }, 180_000);
});
