import Redis from 'ioredis';
import type { RedisCommands } from '../lambda/backends/redis/connection/redis-commands';
import { EF_RUNTIME, KNN_CANDIDATES } from '../lambda/backends/redis/search/search-index';
import { loadRecallSet, type RecallSet } from '../tools/recall-data/dataset';
import { CandidateCheck } from '../lambda/semantic/same-question/candidate-check';
import { agreementAt, bruteForceCheckedTruth, checkEffectAt, loadRecallIndex, RECALL_SCOPE, type Agreement, type CheckEffect, type CheckedTruth, type LoadedIndex, type QueryOutcome } from './recall';
import { fmt, fmtRatio, percentile, ratioSummary, since, summarize, type LatencySummary, type RatioSummary } from './stats';

/**
 * Bench section "search recall": with SEARCH_REDIS_URL set, the committed sentence corpus
 * (tools/recall-data) at 1,000 and 10,000 entries in one scope on that server, through the
 * runtime's `SearchIndex` with its production settings; every query searched at 0.8 and 0.9.
 * Agreement with brute force, and the lookup's latency as a ratio to a floor measured in the same
 * rounds: one `HGET` of a stored document on the same server (a single round trip with no search).
 * The documents carry their sentences' same-question facts, and every threshold is run twice: the
 * plain search against plain brute force, then with the check ('on') against brute force followed
 * by the same check.
 */
export interface RecallBenchRow {
  readonly entries: number;
  readonly threshold: number;
  /** The same-question check of the lookups ('off' in results written before it was measured). */
  readonly check?: 'off' | 'on';
  readonly agreement: Agreement;
  /** With the check: how many plain nearest neighbours above the threshold it rejected. */
  readonly effect?: CheckEffect;
  /** `SearchIndex.search`: the KNN round trip (with the check, two KNNs pipelined), and the HGET(s) of a hit. */
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

/**
 * Searches every query at `threshold` (with `checked`, through a fresh CandidateCheck built before
 * the clock starts), each round of ROUND queries interleaved with as many floor HGETs.
 */
async function timeQueries(redis: RedisCommands, loaded: LoadedIndex, set: RecallSet, truths: readonly CheckedTruth[], threshold: number, checked: boolean): Promise<Omit<RecallBenchRow, 'entries'>> {
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
      const check = checked ? new CandidateCheck(set.queries[q]!.text, 'on') : undefined;
      begin = process.hrtime.bigint();
      const hit = await loaded.index.search(RECALL_SCOPE, set.queryVectors[q]!, threshold, check);
      round.search.push(since(begin));
      outcomes.push({ truth: checked ? truths[q]!.checked : truths[q]!.plain, found: hit === null ? null : { index: Number(hit.id), similarity: hit.similarity } });
    }
    ratios.push(percentile(round.search, 50) / percentile(round.floor, 50));
    all.search.push(...round.search);
    all.floor.push(...round.floor);
  }
  return {
    threshold,
    check: checked ? 'on' : 'off',
    agreement: agreementAt(outcomes, threshold),
    ...(checked ? { effect: checkEffectAt(truths, threshold) } : {}),
    latency: summarize(all.search), floor: summarize(all.floor), vsFloor: ratioSummary(ratios) };
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
      const loaded = await loadRecallIndex(redis, data, { size, modelId: `bench-recall-${size}`, facts: true });
      try {
        const truths = bruteForceCheckedTruth(data, size, Math.min(...RECALL_THRESHOLDS));
        for (const threshold of RECALL_THRESHOLDS) {
          for (const checked of [false, true]) rows.push({ entries: size, ...(await timeQueries(redis, loaded, data, truths, threshold, checked)) });
        }
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
    '   entries | threshold | check | agreement with brute force | no hit / worse / unexpected | changed by check (moved) | lookup p50 x floor (median, IQR) | p50 ms | p99 ms | floor p50 ms',
  ];
  for (const row of result.rows) {
    const { agreement, effect } = row;
    const changed = effect === undefined ? '-' : `${effect.changed} of ${effect.eligible} (${effect.moved})`;
    lines.push(
      `   ${String(row.entries).padStart(7)} | ${row.threshold.toFixed(2).padStart(9)} | ${(row.check ?? 'off').padEnd(5)} | ${(100 * agreement.ratio).toFixed(2)} % (${agreement.agree}/${agreement.eligible}) | ${agreement.noHit} / ${agreement.worse} / ${agreement.unexpected ?? 0} | ${changed} | ${fmtRatio(row.vsFloor)} | ${fmt(row.latency.p50Ms)} | ${fmt(row.latency.p99Ms)} | ${fmt(row.floor.p50Ms)}`,
    );
  }
  lines.push('   floor: one HGET of a stored document on the same server; lookup: SearchIndex.search (FT.SEARCH, then HGET of a hit)');
  lines.push('   check on: two FT.SEARCH pipelined (KNN prefiltered on the literal TAG, unfiltered KNN 1), then HGET answer + facts; compared with brute force + the same check');
  return lines.join('\n');
}
