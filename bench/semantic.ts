import Redis from 'ioredis';
import { ClientIndex } from '../lambda/backends/redis/client-index/client-index';
import { MemoryIndex } from '../lambda/backends/memory/memory-index';
import { SearchIndex } from '../lambda/backends/redis/search/search-index';
import type { SemanticIndex } from '../lambda/semantic/semantic-index';
import type { RedisCommands } from '../lambda/backends/redis/connection/redis-commands';
import { DEFAULT_MEMORY_MAX_ENTRIES } from '../lambda/core/expiring-lru';
import { startSearchTarget } from '../tools/ft-double';
import { fmtRatio, percentile, ratioSummary, summarize, timed, type LatencySummary, type RatioSummary } from './stats';
import { MEMORY_SEARCH_TARGET_MS, SAME_QUESTION_TARGET_US } from './targets';
import { fmtMicros, runSameQuestionBench, type CheckFigure } from './same-question';

export type SemanticPath = 'ft' | 'client' | 'memory' | 'check';

export interface SemanticRow {
  readonly path: SemanticPath;
  readonly label: string;
  readonly entries: number;
  /** False when the figure is not a performance figure (the FT test double) or the path is missing. */
  readonly performanceFigure: boolean;
  readonly latency?: LatencySummary;
  /** Memory row: its p50 over the client-side index's, per round of interleaved searches. */
  readonly vsClient?: RatioSummary;
  /** Same-question check rows: the per-round medians in µs, and whether the row is a whole lookup's cost (judged against SAME_QUESTION_TARGET_US). */
  readonly roundsUs?: RatioSummary;
  readonly lookup?: boolean;
  readonly note?: string;
}

export interface SemanticOptions {
  readonly sizes: readonly number[];
  readonly dimensions: number;
  /** Timed searches per size and path (the FT double is brute force: fewer there). */
  readonly searches: number;
  readonly doubleSearches: number;
}

export const DEFAULT_SEMANTIC_OPTIONS: SemanticOptions = { sizes: [1_000, 10_000], dimensions: 1024, searches: 200, doubleSearches: 15 };

/** Interleaved searches per round of the memory / client ratio. */
const ROUND = 20;
/**
 * Byte bound of the bench's memory index: 10,000 of its documents (1024-dim vector, prefilter
 * slot, ~900-character answer) take about 76 MiB, over the 64 MiB default, which would evict a
 * fifth of them and turn their queries into misses. The row measures search at 10,000 entries.
 */
const MEMORY_BENCH_MAX_BYTES = 256 * 1024 * 1024;

/** A bench-only embedding model name, so the bench's index and documents never mix with real ones. */
const BENCH_MODEL_ID = 'bench-random-unit-vectors';
const SCOPE = 'a'.repeat(64);
const ENTRY = JSON.stringify({ v: 1, text: 'x'.repeat(800), modelId: 'bench', stopReason: 'end_turn', createdAt: 0 });

/** Deterministic pseudo-random unit vectors (xorshift), so every run indexes the same data. */
export function unitVectors(count: number, dimensions: number, seed = 42): Float32Array[] {
  let state = seed >>> 0 || 1;
  const next = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000 - 0.5;
  };
  return Array.from({ length: count }, () => normalise(Float32Array.from({ length: dimensions }, next)));
}

function normalise(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const value of vector) norm += value * value;
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < vector.length; i++) vector[i]! *= scale;
  return vector;
}

/** A query close to stored vector `i` (similarity about 0.99): every timed search is a hit. */
function nearQuery(vectors: readonly Float32Array[], i: number, noise: Float32Array): Float32Array {
  const base = vectors[i % vectors.length]!;
  return normalise(base.map((value, d) => value + 0.1 * noise[d]!));
}

/** Adds one document at a time, as the cache does after each miss. */
async function addAll(index: SemanticIndex, vectors: readonly Float32Array[], from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++) await index.add({ scope: SCOPE, id: `bench:${i}`, namespace: 'default', vector: vectors[i]!, entry: ENTRY, ttlMs: 3_600_000 });
}

async function timeSearches(index: SemanticIndex, vectors: readonly Float32Array[], loaded: number, searches: number, noise: Float32Array): Promise<LatencySummary> {
  // Warm-up: lets the index catch up on the adds (the FT double re-reads written keys on its first
  // search; the client-side index reads the change log in prepare()).
  await index.prepare?.(SCOPE, 'default');
  const warm = await index.search(SCOPE, nearQuery(vectors, 0, noise), 0.9);
  if (warm === null) throw new Error(`${index.kind}: warm-up search missed`);
  const samples: number[] = [];
  for (let i = 0; i < searches; i++) {
    const query = nearQuery(vectors, (i * 7919) % loaded, noise);
    const hit = await timed(samples, () => index.search(SCOPE, query, 0.9));
    if (hit === null) throw new Error(`${index.kind}: search ${i} missed`);
  }
  return summarize(samples);
}

/**
 * The client-side index and the memory index searched in turn, query by query (which goes first
 * alternates), so a busy stretch of the machine slows both. Returns both latencies and the
 * per-round ratio of their p50s (memory over client).
 */
async function timeInterleaved(client: SemanticIndex, memory: SemanticIndex, vectors: readonly Float32Array[], loaded: number, searches: number, noise: Float32Array): Promise<{ client: LatencySummary; memory: LatencySummary; ratio: RatioSummary }> {
  for (const index of [client, memory]) {
    await index.prepare?.(SCOPE, 'default');
    if ((await index.search(SCOPE, nearQuery(vectors, 0, noise), 0.9)) === null) throw new Error(`${index.kind}: warm-up search missed`);
  }
  const all = { client: [] as number[], memory: [] as number[] };
  const ratios: number[] = [];
  for (let start = 0; start < searches; start += ROUND) {
    const round = { client: [] as number[], memory: [] as number[] };
    for (let i = start; i < Math.min(searches, start + ROUND); i++) {
      const query = nearQuery(vectors, (i * 7919) % loaded, noise);
      const order = i % 2 === 0 ? (['client', 'memory'] as const) : (['memory', 'client'] as const);
      for (const which of order) {
        const index = which === 'client' ? client : memory;
        const hit = await timed(round[which], () => index.search(SCOPE, query, 0.9));
        if (hit === null) throw new Error(`${index.kind}: search ${i} missed`);
      }
    }
    ratios.push(percentile(round.memory, 50) / percentile(round.client, 50));
    all.client.push(...round.client);
    all.memory.push(...round.memory);
  }
  return { client: summarize(all.client), memory: summarize(all.memory), ratio: ratioSummary(ratios) };
}

/**
 * Semantic lookup (`index.search`, embedding excluded) at each size: on the FT path (the test
 * double over a real redis-server, or a real search server from SEARCH_REDIS_URL), the client-side
 * index and the memory backend's index, the last two interleaved and compared as a ratio.
 * Vectors go in through the index's own `add()`.
 */
export async function runSemantic(options: SemanticOptions = DEFAULT_SEMANTIC_OPTIONS): Promise<SemanticRow[]> {
  const largest = Math.max(...options.sizes);
  const vectors = unitVectors(largest, options.dimensions);
  const [noise] = unitVectors(1, options.dimensions, 7);
  const rows: SemanticRow[] = [];

  const target = await startSearchTarget();
  const client = new Redis(target.url);
  const ft = new SearchIndex(async () => client as unknown as RedisCommands, { embeddingModelId: BENCH_MODEL_ID, dimensions: options.dimensions });
  // The client-side index needs no FT.*: it talks to the plain redis-server (behind the double, if any).
  const plain = new Redis(target.server?.url ?? target.url);
  const clientIndex = new ClientIndex(async () => plain as unknown as RedisCommands, { embeddingModelId: BENCH_MODEL_ID, dimensions: options.dimensions });
  const memory = new MemoryIndex(DEFAULT_MEMORY_MAX_ENTRIES, Date.now, MEMORY_BENCH_MAX_BYTES);
  const real = target.kind === 'external';
  const ftLabel = real ? 'FT.SEARCH on SEARCH_REDIS_URL (real search server)' : 'FT test double (not a performance figure)';
  try {
    let loaded = 0;
    for (const size of [...options.sizes].sort((a, b) => a - b)) {
      await addAll(ft, vectors, loaded, size);
      await addAll(memory, vectors, loaded, size);
      await addAll(clientIndex, vectors, loaded, size);
      loaded = size;
      rows.push({
        path: 'ft',
        label: ftLabel,
        entries: size,
        performanceFigure: real,
        latency: await timeSearches(ft, vectors, size, real ? options.searches : options.doubleSearches, noise!),
        ...(real ? {} : { note: 'brute-force test double behind a RESP proxy; set SEARCH_REDIS_URL for a real figure' }),
      });
      const clientLabel = 'client-side index (SEMANTIC_INDEX=client)';
      const memoryLabel = 'memory backend index (in-process prefilter + exact re-score)';
      try {
        const timedPair = await timeInterleaved(clientIndex, memory, vectors, size, options.searches, noise!);
        rows.push({
          path: 'client',
          label: clientLabel,
          entries: size,
          performanceFigure: true,
          latency: timedPair.client,
          note: 'search() only; prepare() (change-log catch-up) runs beside the exact GET',
        });
        rows.push(memoryRow(memoryLabel, size, timedPair.memory, timedPair.ratio));
      } catch (error) {
        // The client-side index is new; a failure here is reported in its row, and the memory
        // index is then timed alone.
        rows.push({ path: 'client', label: clientLabel, entries: size, performanceFigure: false, note: `failed: ${error instanceof Error ? error.message : String(error)}` });
        rows.push(memoryRow(memoryLabel, size, await timeSearches(memory, vectors, size, options.searches, noise!)));
      }
    }
  } finally {
    await client.call('FT.DROPINDEX', ft.indexName, 'DD').catch(() => undefined);
    await client.quit();
    // Remove the client-side index's bench keys (they carry the bench model name).
    const stream = plain.scanStream({ match: 'llmcache:cv:*bench-random-unit-vectors*', count: 1000 });
    for await (const keys of stream) if ((keys as string[]).length > 0) await plain.del(...(keys as string[]));
    await plain.quit();
    await target.stop();
  }
  rows.push(...sameQuestionRows());
  return rows;
}

/**
 * The same-question check, 500-character prompt (`bench/same-question.ts`): the CPU time of the
 * asked prompt's facts (once per request, while the embedding is in flight), and what the check
 * adds to the lookup's path once the embedding has answered (the verdict on the nearest neighbour,
 * per kind; judged against SAME_QUESTION_TARGET_US), and each further neighbour. `entries` is the
 * prompt's length. No round trip: the facts travel with the documents.
 */
function sameQuestionRows(): SemanticRow[] {
  const result = runSameQuestionBench();
  const load = `load average ${result.loadAverage[0].toFixed(1)}-${result.loadAverage[1].toFixed(1)}`;
  const row = (label: string, figure: CheckFigure, note: string, lookup = false): SemanticRow => ({
    path: 'check',
    label,
    entries: 500,
    performanceFigure: true,
    latency: figure.latency,
    roundsUs: figure.roundsUs,
    lookup,
    note: `${fmtMicros(figure)}; ${note}${lookup ? `; target <= ${SAME_QUESTION_TARGET_US} us: ${figure.roundsUs.median <= SAME_QUESTION_TARGET_US ? 'PASS' : 'MISS'}` : ''}`,
  });
  return [
    row("same-question check, CPU: the asked prompt's facts + TAG", result.facts, `once per request, while the embedding is in flight (not on the lookup's path); ${load}`),
    row("same-question check, CPU: the asked prompt's facts + TAG, plain words", result.plainFacts, 'once per request; no number, quote, address, path or identifier'),
    row("same-question check, CPU: of which the in-place verdict's tables", result.tables, 'built with the facts, while the embedding is in flight'),
    row('same-question check, CPU: facts + the verdict on a neighbour stored with other words', result.cpuOtherWords, "the check's whole CPU time for such a lookup"),
    row('same-question check, added to the lookup: neighbour stored with the same facts (client-side, FT)', result.addedSameFacts, 'the verdict after the embedding, on a rewording by politeness (the usual hit)', true),
    row('same-question check, added to the lookup: neighbour stored with other words (client-side, FT)', result.addedOtherWords, 'the verdict after the embedding, on a synonym and an added word (read in place, every rule it runs; a check made long before)', true),
    row('same-question check, added to the lookup: decoded neighbour (memory index)', result.addedDecoded, 'the verdict after the embedding, on a rewording', true),
    row('same-question check: a further neighbour, another number (client-side, FT)', result.verdictOtherNumber, 'per neighbour above the threshold; the literals are read in place'),
    row('same-question check: a further neighbour, other words (client-side, FT)', result.verdictOtherWords, 'per neighbour above the threshold; read in place'),
  ];
}

/** The memory row: its latency, its ratio to the client-side index, and the target at 10,000 entries. */
function memoryRow(label: string, entries: number, latency: LatencySummary, vsClient?: RatioSummary): SemanticRow {
  const notes = [vsClient ? `p50 / client index p50: ${fmtRatio(vsClient)}` : 'client index failed: timed alone'];
  if (entries >= 10_000) notes.push(`target p50 <= ${MEMORY_SEARCH_TARGET_MS} ms: ${latency.p50Ms <= MEMORY_SEARCH_TARGET_MS ? 'PASS' : 'MISS'}`);
  return { path: 'memory', label, entries, performanceFigure: true, latency, ...(vsClient ? { vsClient } : {}), note: notes.join('; ') };
}
