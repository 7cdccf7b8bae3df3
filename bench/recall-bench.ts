import Redis from 'ioredis';
import type { RedisCommands } from '../lambda/backends/redis/connection/redis-commands';
import { EF_RUNTIME, KNN_CANDIDATES } from '../lambda/backends/redis/search/search-index';
import { loadRecallSet, type RecallSet } from '../tools/recall-data/dataset';
import { agreementAt, bruteForceTruth, loadRecallIndex, RECALL_SCOPE, type Agreement, type LoadedIndex, type Neighbour, type QueryOutcome } from './recall';
import { fmt, fmtRatio, percentile, ratioSummary, since, summarize, type LatencySummary, type RatioSummary } from './stats';

/**
 * Bench section "search recall": with SEARCH_REDIS_URL set, the committed sentence corpus
 * (tools/recall-data) at 1,000 and 10,000 entries in one scope on that server, through the
 * runtime's `SearchIndex` with its production settings; every query searched at 0.8 and 0.9.
 * Agreement with brute force, and the lookup's latency as a ratio to a floor measured in the same
 * rounds: one `HGET` of a stored document on the same server (a single round trip with no search).
 */
export interface RecallBenchRow {
  readonly entries: number;
  readonly threshold: number;
  readonly agreement: Agreement;
  /** `SearchIndex.search`: the KNN round trip, and the HGET of a hit. */
  readonly latency: LatencySummary;
  readonly floor: LatencySummary;
  /** Per round of ROUND queries: search p50 over floor p50. */
  readonly vsFloor: RatioSummary;
}

export interface RecallBenchResult {
  readonly server?: string;
  readonly efRuntime: number;
  readonly candidates: number;
  readonly rows: readonly RecallBenchRow[];
  /** Why there are no rows (no SEARCH_REDIS_URL). */
  readonly skipped?: string;
}

const ROUND = 20;
export const RECALL_BENCH_SIZES = [1_000, 10_000] as const;
export const RECALL_THRESHOLDS = [0.8, 0.9] as const;

/** Searches every query at `threshold`, each round of ROUND queries interleaved with as many floor HGETs. */
async function timeQueries(redis: RedisCommands, loaded: LoadedIndex, set: RecallSet, truth: readonly Neighbour[], threshold: number): Promise<Omit<RecallBenchRow, 'entries'>> {
  const floorKey = `${loaded.index.documentPrefix}0`;
  const outcomes: QueryOutcome[] = [];
  const all = { search: [] as number[], floor: [] as number[] };
  const ratios: number[] = [];
  for (let start = 0; start < set.queryVectors.length; start += ROUND) {
    const round = { search: [] as number[], floor: [] as number[] };
    for (let q = start; q < Math.min(set.queryVectors.length, start + ROUND); q++) {
      let begin = process.hrtime.bigint();
      await redis.call('HGET', floorKey, 'answer');
      round.floor.push(since(begin));
      begin = process.hrtime.bigint();
      const hit = await loaded.index.search(RECALL_SCOPE, set.queryVectors[q]!, threshold);
      round.search.push(since(begin));
      outcomes.push({ truth: truth[q]!, found: hit === null ? null : { index: Number(hit.id), similarity: hit.similarity } });
    }
    ratios.push(percentile(round.search, 50) / percentile(round.floor, 50));
    all.search.push(...round.search);
    all.floor.push(...round.floor);
  }
  return { threshold, agreement: agreementAt(outcomes, threshold), latency: summarize(all.search), floor: summarize(all.floor), vsFloor: ratioSummary(ratios) };
}

export async function runRecallBench(url = process.env.SEARCH_REDIS_URL, set?: RecallSet): Promise<RecallBenchResult> {
  if (url === undefined || url === '') return { efRuntime: EF_RUNTIME, candidates: KNN_CANDIDATES, rows: [], skipped: 'SEARCH_REDIS_URL is not set (needs a real search engine)' };
  const data = set ?? loadRecallSet();
  const client = new Redis(url);
  const redis = client as unknown as RedisCommands;
  const rows: RecallBenchRow[] = [];
  try {
    const info = await client.info('server');
    const server = /valkey_version:(\S+)/.exec(info) ? `valkey ${/valkey_version:(\S+)/.exec(info)![1]}` : `redis ${/redis_version:(\S+)/.exec(info)?.[1] ?? '?'}`;
    for (const size of RECALL_BENCH_SIZES) {
      const loaded = await loadRecallIndex(redis, data, { size, modelId: `bench-recall-${size}` });
      try {
        const truth = bruteForceTruth(data, size);
        for (const threshold of RECALL_THRESHOLDS) rows.push({ entries: size, ...(await timeQueries(redis, loaded, data, truth, threshold)) });
      } finally {
        await loaded.drop();
      }
    }
    return { server, efRuntime: EF_RUNTIME, candidates: KNN_CANDIDATES, rows };
  } finally {
    client.disconnect();
  }
}

/** The section's lines for the bench's printed report. */
export function formatRecall(result: RecallBenchResult): string {
  const title = `Search recall (real sentence embeddings, one scope; EF_RUNTIME ${result.efRuntime}, KNN ${result.candidates})`;
  if (result.skipped !== undefined) return `${title}\n   skipped: ${result.skipped}`;
  const lines = [
    `${title} on ${result.server ?? 'SEARCH_REDIS_URL'}`,
    '   entries | threshold | agreement with brute force | no hit / worse | lookup p50 x floor (median, IQR) | p50 ms | p99 ms | floor p50 ms',
  ];
  for (const row of result.rows) {
    const { agreement } = row;
    lines.push(
      `   ${String(row.entries).padStart(7)} | ${row.threshold.toFixed(2).padStart(9)} | ${(100 * agreement.ratio).toFixed(2)} % (${agreement.agree}/${agreement.eligible}) | ${agreement.noHit} / ${agreement.worse} | ${fmtRatio(row.vsFloor)} | ${fmt(row.latency.p50Ms)} | ${fmt(row.latency.p99Ms)} | ${fmt(row.floor.p50Ms)}`,
    );
  }
  lines.push('   floor: one HGET of a stored document on the same server; lookup: SearchIndex.search (FT.SEARCH, then HGET of a hit)');
  return lines.join('\n');
}
