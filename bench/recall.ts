import { SearchIndex } from '../lambda/backends/redis/search/search-index';
import { parseCandidates, rankCandidates } from '../lambda/backends/redis/search/ft-reply';
import { knnSearchArgs } from '../lambda/backends/redis/search/ft-query';
import { vectorBlob } from '../lambda/backends/redis/search/index-naming';
import type { RedisCommands } from '../lambda/backends/redis/connection/redis-commands';
import { CandidateCheck } from '../lambda/semantic/same-question/candidate-check';
import { questionFacts, type QuestionFacts } from '../lambda/semantic/same-question/facts';
import { bruteForceNearest, similarity, type RecallSet } from '../tools/recall-data/dataset';
import { since, summarize, type LatencySummary } from './stats';

/**
 * Recall of the server-side vector search on real sentence embeddings (tools/recall-data): the
 * committed corpus loaded into a real engine through the runtime's own `SearchIndex` (its
 * FT.CREATE and document script), all in one scope, then each paraphrase query's nearest
 * neighbour on the engine compared with brute force over the same vectors.
 */

/** Similarities this close count as the same answer (two corpus sentences equally near the query). */
export const TIE = 1e-4;
/** The scope every recall document shares: one scope holding everything is the worst case. */
export const RECALL_SCOPE = '5'.repeat(64);
const ENTRY = '{"v":1}';

/** A nearest neighbour: its corpus index and cosine similarity. */
export interface Neighbour {
  readonly index: number;
  readonly similarity: number;
}

/** One query: brute force's nearest neighbour and the engine's (null: the engine returned none). */
export interface QueryOutcome {
  readonly truth: Neighbour;
  readonly found: Neighbour | null;
}

export interface Agreement {
  readonly threshold: number;
  /** Queries whose true nearest neighbour clears the threshold. */
  readonly eligible: number;
  /** Of those, the engine's best is that neighbour (or one exactly as similar). */
  readonly agree: number;
  /** The engine's best does not clear the threshold (or there is none): a lost hit. */
  readonly noHit: number;
  /** The engine's best clears the threshold but is less similar: a worse answer. */
  readonly worse: number;
  /** Not eligible, yet the engine answered above the threshold (with the check: a hit brute force + the check would not serve). */
  readonly unexpected: number;
  /** agree / eligible (1 when nothing is eligible). */
  readonly ratio: number;
}

/** How often the engine's best answer at `threshold` is brute force's. */
export function agreementAt(outcomes: readonly QueryOutcome[], threshold: number): Agreement {
  let eligible = 0;
  let agree = 0;
  let noHit = 0;
  let worse = 0;
  let unexpected = 0;
  for (const { truth, found } of outcomes) {
    if (truth.similarity < threshold) {
      if (found !== null && found.similarity >= threshold) unexpected++;
      continue;
    }
    eligible++;
    if (found === null || found.similarity < threshold) noHit++;
    else if (found.index === truth.index || Math.abs(found.similarity - truth.similarity) <= TIE) agree++;
    else worse++;
  }
  return { threshold, eligible, agree, noHit, worse, unexpected, ratio: eligible === 0 ? 1 : agree / eligible };
}

/** The namespace the recall documents are stored in. */
export const RECALL_NAMESPACE = 'default';

/** The corpus index of a recall document's key (`<prefix><RECALL_NAMESPACE>:<index>`), or -1. */
export function corpusIndexOf(key: string, documentPrefix: string): number {
  const prefix = `${documentPrefix}${RECALL_NAMESPACE}:`;
  if (!key.startsWith(prefix)) return -1;
  const text = key.slice(prefix.length);
  const index = Number(text);
  return text !== '' && Number.isInteger(index) ? index : -1;
}

export interface LoadedIndex {
  readonly index: SearchIndex;
  readonly size: number;
  /** Wall time of the adds and the engine's indexing, ms. */
  readonly loadMs: number;
  /** Removes the index and its documents. */
  drop(): Promise<void>;
}

/**
 * Loads the first `size` corpus vectors through `SearchIndex.add` (the runtime's document
 * script), `concurrency` adds in flight (ioredis pipelines them), then waits until the engine has
 * indexed them all (valkey-search indexes in the background). The model id names the index, so
 * runs with different settings never share one. With `facts`, each document carries its
 * sentence's same-question facts (the `check` TAG and `facts` field), as the runtime writes them
 * with the check on; searches without the check see such documents as before.
 */
export async function loadRecallIndex(
  redis: RedisCommands,
  set: RecallSet,
  options: { size: number; modelId: string; efRuntime?: number; candidates?: number; concurrency?: number; facts?: boolean },
): Promise<LoadedIndex> {
  const index = new SearchIndex(async () => redis, {
    embeddingModelId: options.modelId,
    dimensions: set.dimensions,
    ...(options.efRuntime !== undefined ? { efRuntime: options.efRuntime } : {}),
    ...(options.candidates !== undefined ? { candidates: options.candidates } : {}),
  });
  const drop = async (): Promise<void> => {
    await redis.call('FT.DROPINDEX', index.indexName).catch(() => undefined);
    await deleteByPrefix(redis, index.documentPrefix);
  };
  await drop(); // leftovers of an interrupted run
  const start = process.hrtime.bigint();
  await index.ensureIndex();
  const concurrency = options.concurrency ?? 500;
  const facts = options.facts === true ? corpusFacts(set) : undefined;
  for (let from = 0; from < options.size; from += concurrency) {
    const adds: Promise<void>[] = [];
    for (let i = from; i < Math.min(options.size, from + concurrency); i++) {
      adds.push(index.add({ scope: RECALL_SCOPE, id: String(i), namespace: RECALL_NAMESPACE, vector: set.corpusVectors[i]!, entry: ENTRY, ttlMs: 3_600_000, ...(facts ? { facts: facts[i]! } : {}) }));
    }
    await Promise.all(adds);
  }
  await waitIndexed(redis, index.indexName, options.size);
  return { index, size: options.size, loadMs: since(start) / 1e6, drop };
}

/** Polls FT.INFO until `count` documents are indexed and no backfill or mutation is pending. */
export async function waitIndexed(redis: RedisCommands, indexName: string, count: number, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const info = infoFields(await redis.call('FT.INFO', indexName));
    const docs = Number(info.get('num_docs') ?? 0);
    const backfill = String(info.get('backfill_in_progress') ?? info.get('indexing') ?? '0');
    const queued = Number(info.get('mutation_queue_size') ?? 0);
    if (docs >= count && backfill === '0' && queued === 0) return;
    if (Date.now() > deadline) throw new Error(`${indexName}: ${docs} of ${count} documents indexed after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** FT.INFO's top-level name/value pairs. */
export function infoFields(reply: unknown): Map<string, unknown> {
  const fields = new Map<string, unknown>();
  if (!Array.isArray(reply)) return fields;
  for (let i = 0; i + 1 < reply.length; i += 2) fields.set(String(reply[i]), reply[i + 1]);
  return fields;
}

async function deleteByPrefix(redis: RedisCommands, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = (await redis.call('SCAN', cursor, 'MATCH', `${prefix}*`, 'COUNT', '1000')) as [string, string[]];
    cursor = String(next);
    if (keys.length > 0) await redis.call('UNLINK', ...keys);
  } while (cursor !== '0');
}

/** Brute force's nearest neighbour of every query among the first `size` corpus vectors. */
export function bruteForceTruth(set: RecallSet, size: number): Neighbour[] {
  return set.queryVectors.map((query) => bruteForceNearest(set.corpusVectors, size, query));
}

export interface RawRecallRun {
  readonly outcomes: QueryOutcome[];
  /** One FT.SEARCH round trip per query (the search alone; a hit's HGET is not included). */
  readonly latency: LatencySummary;
}

/**
 * Every query as one raw FT.SEARCH of the runtime's query (ft-query.ts) with `k` neighbours,
 * ranked as the runtime ranks them: for sweeping K without building an index per K.
 */
export async function runRawQueries(redis: RedisCommands, loaded: LoadedIndex, set: RecallSet, truth: readonly Neighbour[], k: number): Promise<RawRecallRun> {
  const samples: number[] = [];
  const outcomes: QueryOutcome[] = [];
  for (let q = 0; q < set.queryVectors.length; q++) {
    const start = process.hrtime.bigint();
    const reply = await redis.call('FT.SEARCH', ...knnSearchArgs(loaded.index.indexName, 'vec', RECALL_SCOPE, k, vectorBlob(set.queryVectors[q]!)));
    samples.push(since(start));
    const best = rankCandidates(parseCandidates(reply, '__vec_score'))[0];
    const index = best === undefined ? -1 : corpusIndexOf(best.key, loaded.index.documentPrefix);
    outcomes.push({ truth: truth[q]!, found: best === undefined || index < 0 ? null : { index, similarity: 1 - best.distance } });
  }
  return { outcomes, latency: summarize(samples) };
}

/**
 * Every query through `SearchIndex.search` at `threshold`, exactly as the runtime searches
 * (its query, its ranking, the answer read); the hit's id is the corpus index.
 */
export async function runIndexQueries(loaded: LoadedIndex, set: RecallSet, truth: readonly Neighbour[], threshold: number): Promise<RawRecallRun> {
  const samples: number[] = [];
  const outcomes: QueryOutcome[] = [];
  for (let q = 0; q < set.queryVectors.length; q++) {
    const start = process.hrtime.bigint();
    const hit = await loaded.index.search(RECALL_SCOPE, set.queryVectors[q]!, threshold);
    samples.push(since(start));
    outcomes.push({ truth: truth[q]!, found: hit === null ? null : { index: Number(hit.id), similarity: hit.similarity } });
  }
  return { outcomes, latency: summarize(samples) };
}

const factsCache = new WeakMap<RecallSet, QuestionFacts[]>();

/** The same-question facts of every corpus sentence (computed once per set). */
export function corpusFacts(set: RecallSet): QuestionFacts[] {
  let facts = factsCache.get(set);
  if (facts === undefined) {
    facts = set.corpus.map((sentence) => questionFacts(sentence));
    factsCache.set(set, facts);
  }
  return facts;
}

/** No neighbour: the similarity no threshold is cleared by. */
const NONE: Neighbour = { index: -1, similarity: -Infinity };

/** Brute force with the same-question check, per query: its nearest neighbour the check accepts, and the plain nearest. */
export interface CheckedTruth {
  /** The exact nearest neighbour (no check), as bruteForceTruth gives it. */
  readonly plain: Neighbour;
  /** The nearest neighbour at or above `floor` that the check ('on') accepts; NONE when there is none. */
  readonly checked: Neighbour;
}

/**
 * What an exact search followed by the runtime's check would answer: for each query, every corpus
 * neighbour at or above `floor`, nearest first, put to a `CandidateCheck` of the query's text
 * (level 'on') against the sentence's facts; the first accepted is the answer. The check does not
 * depend on the threshold, so one pass at the lowest threshold gives the answer at every higher
 * one (the same neighbour, if it clears it).
 */
export function bruteForceCheckedTruth(set: RecallSet, size: number, floor: number): CheckedTruth[] {
  const facts = corpusFacts(set);
  return set.queryVectors.map((query, q) => {
    const above: Neighbour[] = [];
    let plain = NONE;
    for (let i = 0; i < size; i++) {
      const value = similarity(set.corpusVectors[i]!, query);
      if (value > plain.similarity) plain = { index: i, similarity: value };
      if (value >= floor) above.push({ index: i, similarity: value });
    }
    above.sort((a, b) => b.similarity - a.similarity);
    const check = new CandidateCheck(set.queries[q]!.text, 'on');
    const checked = above.find((neighbour) => check.accepts(facts[neighbour.index], neighbour.similarity)) ?? NONE;
    return { plain, checked };
  });
}

/** What the check did at `threshold` to the queries whose plain nearest neighbour clears it. */
export interface CheckEffect {
  readonly threshold: number;
  /** Queries whose plain nearest neighbour clears the threshold. */
  readonly eligible: number;
  /** Of those, the check rejected that neighbour (and no equally similar one was accepted). */
  readonly changed: number;
  /** Of the changed, another neighbour above the threshold is accepted instead (the rest become misses). */
  readonly moved: number;
}

export function checkEffectAt(truths: readonly CheckedTruth[], threshold: number): CheckEffect {
  let eligible = 0;
  let changed = 0;
  let moved = 0;
  for (const { plain, checked } of truths) {
    if (plain.similarity < threshold) continue;
    eligible++;
    if (checked.index === plain.index || Math.abs(checked.similarity - plain.similarity) <= TIE) continue;
    changed++;
    if (checked.similarity >= threshold) moved++;
  }
  return { threshold, eligible, changed, moved };
}

/**
 * Every query through `SearchIndex.search` at `threshold` with the same-question check ('on', a
 * fresh `CandidateCheck` of the query's text, built before the clock starts, as the runtime builds
 * it before the lookup): the prefiltered KNN, the unfiltered KNN 1 in the same round trip, and the
 * reads of the answer and facts. Compared with `truths[].checked`.
 */
export async function runCheckedQueries(loaded: LoadedIndex, set: RecallSet, truths: readonly CheckedTruth[], threshold: number): Promise<RawRecallRun> {
  const samples: number[] = [];
  const outcomes: QueryOutcome[] = [];
  for (let q = 0; q < set.queryVectors.length; q++) {
    const check = new CandidateCheck(set.queries[q]!.text, 'on');
    const start = process.hrtime.bigint();
    const hit = await loaded.index.search(RECALL_SCOPE, set.queryVectors[q]!, threshold, check);
    samples.push(since(start));
    outcomes.push({ truth: truths[q]!.checked, found: hit === null ? null : { index: Number(hit.id), similarity: hit.similarity } });
  }
  return { outcomes, latency: summarize(samples) };
}
