/**
 * Client-side semantic index (SEMANTIC_INDEX=client) on a real redis-server started on a free
 * local port: semantic lookup latency at 1k / 10k / 50k entries of 1024 dims (excluding the
 * embedding call), bootstrap time of a 10k scope, container memory per 10k entries, server
 * memory per entry, and agreement with an exact float32 brute force.
 *
 * One timed lookup is what the orchestration does on an exact miss: the exact GET and the
 * index's catch-up (`prepare`) issued together, then `search` (in-memory scan, then one MGET of
 * the candidates' documents when one may reach the threshold).
 *
 * Data: clustered unit vectors (documents at cosine ~0.85 to their cluster centre, so siblings
 * sit at ~0.72: hard negatives), half the queries near a stored document (cosine ~0.96: hits),
 * half new members of a known cluster (nearest ~0.75: misses that still stress the scan).
 *
 * Run: npx tsx bench/client-index.ts [--sizes 1000,10000,50000] [--lookups 400]
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import Redis from 'ioredis';
import { ClientIndex } from '../lambda/backends/redis/client-index/client-index';
import type { RedisCommands } from '../lambda/backends/redis/connection/redis-commands';
import { startStandalone } from '../tools/redis-servers';

const DIMENSIONS = 1024;
const THRESHOLD = 0.9;
const MODEL = 'bench-client-index';
const ENTRY = JSON.stringify({ v: 1, text: 'x'.repeat(800), modelId: 'bench', stopReason: 'end_turn', createdAt: 0 });

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function argument(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1]! : fallback;
}

/** Deterministic normal samples (xorshift + Box-Muller). */
function normals(seed: number): () => number {
  let state = seed >>> 0 || 1;
  const uniform = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

function unit(random: () => number): Float32Array {
  const v = new Float32Array(DIMENSIONS);
  for (let i = 0; i < DIMENSIONS; i++) v[i] = random();
  return normalize(v);
}

function normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  const n = Math.sqrt(sum);
  for (let i = 0; i < v.length; i++) v[i] = v[i]! / n;
  return v;
}

/** Unit vector at cosine `c` to unit `base`. */
function near(base: Float32Array, c: number, random: () => number): Float32Array {
  const noise = unit(random);
  let along = 0;
  for (let i = 0; i < DIMENSIONS; i++) along += noise[i]! * base[i]!;
  for (let i = 0; i < DIMENSIONS; i++) noise[i] = noise[i]! - along * base[i]!;
  normalize(noise);
  const s = Math.sqrt(1 - c * c);
  const v = new Float32Array(DIMENSIONS);
  for (let i = 0; i < DIMENSIONS; i++) v[i] = c * base[i]! + s * noise[i]!;
  return v;
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function summary(samples: number[]): { p50: number; p99: number; mean: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), mean: samples.reduce((a, b) => a + b, 0) / samples.length };
}

const ms = (value: number): string => value.toFixed(2);
const mib = (bytes: number): string => (bytes / 1048576).toFixed(2);

/** heapUsed + arrayBuffers after full collections. */
async function settledMemory(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

async function usedMemory(admin: Redis): Promise<number> {
  const info = await admin.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}

async function main(): Promise<void> {
  const sizes = argument('sizes', '1000,10000,50000').split(',').map(Number);
  const lookups = Number(argument('lookups', '400'));
  const server = await startStandalone({ password: 'bench-password' });
  const client = new Redis({ host: server.host, port: server.port, password: 'bench-password', enableAutoPipelining: true });
  const admin = server.adminClient();
  const redis = async (): Promise<RedisCommands> => client as unknown as RedisCommands;
  const rows: string[] = [];
  const extra: string[] = [];
  try {
    for (const size of sizes) {
      const scope = `bench-${size}`;
      const random = normals(size);
      const centres = Array.from({ length: Math.max(1, Math.floor(size / 20)) }, () => unit(random));
      const documents = Array.from({ length: size }, (_, i) => near(centres[i % centres.length]!, 0.85, random));
      const options = { embeddingModelId: MODEL, dimensions: DIMENSIONS, maxEntriesPerScope: Math.max(10_000, size) };
      const writer = new ClientIndex(redis, options);
      const before = await usedMemory(admin);
      for (let start = 0; start < size; start += 500) {
        await Promise.all(documents.slice(start, start + 500).map((vector, i) => writer.add({ scope, id: `bench:${start + i}`, namespace: 'default', vector, entry: ENTRY, ttlMs: 3_600_000 })));
      }
      const serverBytes = (await usedMemory(admin)) - before;

      // Bootstrap: a fresh container reading the whole log (median of 5).
      const bootstraps: number[] = [];
      let reader!: ClientIndex;
      for (let run = 0; run < 5; run++) {
        reader = new ClientIndex(redis, options);
        const started = performance.now();
        await reader.prepare(scope, 'default');
        bootstraps.push(performance.now() - started);
      }
      // Memory: three more containers' indexes held at once, after full collections; per index.
      const held: ClientIndex[] = [];
      const before2 = await settledMemory();
      for (let run = 0; run < 3; run++) {
        const fresh = new ClientIndex(redis, options);
        await fresh.prepare(scope, 'default');
        held.push(fresh);
      }
      const after2 = await settledMemory();
      const heapDelta = (after2 - before2) / held.length;
      const arrayBytes = held[0]!.held(scope)!.bytes;
      held.length = 0;

      // Lookups: hits (cosine ~0.96 to a stored document) and misses, alternating.
      const latencies: number[] = [];
      const hitLatencies: number[] = [];
      const missLatencies: number[] = [];
      let agree = 0;
      let hits = 0;
      const warmup = 50;
      for (let n = 0; n < lookups + warmup; n++) {
        const wantHit = n % 2 === 0;
        const query = wantHit ? near(documents[(n * 7919) % size]!, 0.96, random) : near(centres[n % centres.length]!, 0.85, random);
        const started = performance.now();
        await Promise.all([client.get(`llmcache:v1:bench:missing-${n}`), reader.prepare(scope, 'default')]);
        const hit = await reader.search(scope, query, THRESHOLD);
        const elapsed = performance.now() - started;
        if (n < warmup) continue;
        latencies.push(elapsed);
        (wantHit ? hitLatencies : missLatencies).push(elapsed);
        // Exact float32 brute force over every document: the reference answer.
        let best = -1;
        let bestId = -1;
        for (let i = 0; i < size; i++) {
          const s = dot(query, documents[i]!);
          if (s > best) [best, bestId] = [s, i];
        }
        const expected = best >= THRESHOLD ? `bench:${bestId}` : null;
        if ((hit?.id ?? null) === expected && (hit === null || Math.abs(hit.similarity - best) < 1e-6)) agree++;
        if (hit !== null) hits++;
      }
      // Baseline: the exact GET alone, the round trip every lookup pays anyway.
      const gets: number[] = [];
      for (let n = 0; n < lookups; n++) {
        const started = performance.now();
        await client.get(`llmcache:v1:bench:missing-${n}`);
        gets.push(performance.now() - started);
      }
      // The in-memory scan alone (no network), for the same kind of queries.
      const scans: number[] = [];
      const vectors = reader.held(scope)!;
      for (let n = 0; n < lookups; n++) {
        const query = n % 2 === 0 ? near(documents[(n * 104729) % size]!, 0.96, random) : near(centres[n % centres.length]!, 0.85, random);
        const started = performance.now();
        vectors.candidates(query, THRESHOLD, Date.now(), { prefilter: 128, rerank: 4 });
        scans.push(performance.now() - started);
      }
      const all = summary(latencies);
      const hit = summary(hitLatencies);
      const miss = summary(missLatencies);
      const scan = summary(scans);
      const get = summary(gets);
      const boot = summary(bootstraps);
      rows.push(
        `| ${size.toLocaleString('en-US')} | ${ms(all.p50)} | ${ms(all.p99)} | ${ms(hit.p50)} / ${ms(hit.p99)} | ${ms(miss.p50)} / ${ms(miss.p99)} | ${ms(scan.p50)} / ${ms(scan.p99)} | ${ms(get.p50)} / ${ms(get.p99)} | ${ms(boot.p50)} | ${mib(heapDelta)} (${mib(arrayBytes)} typed arrays) | ${(serverBytes / size / 1024).toFixed(1)} KiB | ${((100 * agree) / lookups).toFixed(1)}% (${hits} hits) |`,
      );
      extra.push(`${size}: bootstrap runs ms ${bootstraps.map(ms).join(', ')}`);
      await admin.flushall();
    }
  } finally {
    client.disconnect();
    admin.disconnect();
    await server.stop();
  }
  process.stdout.write(`\nClient-side semantic index, ${DIMENSIONS} dims, threshold ${THRESHOLD}, ${lookups} lookups per size (half hits), local redis-server ${process.version} ${process.arch}\n\n`);
  process.stdout.write('| entries | lookup p50 ms | lookup p99 ms | hit p50 / p99 | miss p50 / p99 | scan only p50 / p99 | exact GET alone p50 / p99 | bootstrap ms (median of 5) | container memory MiB | server memory per entry | same answer as exact brute force |\n');
  process.stdout.write('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n');
  process.stdout.write(`${rows.join('\n')}\n\n${extra.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
