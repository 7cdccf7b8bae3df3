import Redis from 'ioredis';
import type { RedisCommands } from '../../../../../lambda/backends/redis/connection/redis-commands';
import { EF_RUNTIME, KNN_CANDIDATES } from '../../../../../lambda/backends/redis/search/search-index';
import { loadRecallSet, type RecallSet } from '../../../../../tools/recall-data/dataset';
import {
  agreementAt,
  bruteForceCheckedTruth,
  checkEffectAt,
  loadRecallIndex,
  runCheckedQueries,
  runIndexQueries,
  type CheckedTruth,
  type LoadedIndex,
} from '../../../../../bench/recall';
import { fmt } from '../../../../../bench/stats';

/**
 * Recall of the runtime's server-side search on a real engine (SEARCH_REDIS_URL: RediSearch,
 * valkey-search, Redis 8), on real sentence embeddings: the committed 10,000 corpus sentences
 * (tools/recall-data) in ONE scope, loaded through `SearchIndex` itself (the production FT.CREATE,
 * EF_RUNTIME included, and the document script, with each sentence's same-question facts), then
 * every paraphrase query searched with `SearchIndex.search` (the production query and ranking).
 *
 * Without the check its best answer must be brute force's nearest neighbour for at least 99.5 %
 * of the queries whose nearest neighbour clears the threshold. With the same-question check ('on':
 * the KNN prefiltered on the literal TAG, the unfiltered KNN 1 beside it, the facts read with the
 * answer) it must be what brute force followed by the same check answers (the nearest neighbour
 * above the threshold the check accepts) for at least 99.5 % of the queries that have one, and it
 * must never answer where that has none. Skipped without SEARCH_REDIS_URL (the FT double is brute
 * force: nothing to measure).
 */
const url = process.env.SEARCH_REDIS_URL;
const REQUIRED = 0.995;
const describeEngine = url ? describe : describe.skip;

describeEngine(`SearchIndex recall on SEARCH_REDIS_URL (10,000 sentences, one scope, EF_RUNTIME ${EF_RUNTIME}, KNN ${KNN_CANDIDATES})`, () => {
  let client: Redis;
  let set: RecallSet;
  let loaded: LoadedIndex;
  let truths: CheckedTruth[];
  /** Lookup p50 / p99 per threshold without the check, to compare with the check's. */
  const plainLatency = new Map<number, string>();

  beforeAll(async () => {
    client = new Redis(url!);
    set = loadRecallSet();
    // Loaded first, brute force after: the suites share the engine, and 10,000 documents being
    // indexed (valkey-search indexes in the background) or waiting in the server's TTL sampling
    // delay the expiry another suite waits for (ft-double's TTL step). Loading at the start keeps
    // it ahead of that step; without their TTL (afterAll deletes them) they stay out of the sampling.
    loaded = await loadRecallIndex(client as unknown as RedisCommands, set, { size: set.corpus.length, modelId: `recall-test-${process.pid}`, facts: true });
    for (let from = 0; from < set.corpus.length; from += 500) {
      const keys = Array.from({ length: Math.min(500, set.corpus.length - from) }, (_, i) => `${loaded.index.documentPrefix}${from + i}`);
      await Promise.all(keys.map((key) => client.persist(key)));
    }
    truths = bruteForceCheckedTruth(set, set.corpus.length, 0.8);
  }, 300_000);

  afterAll(async () => {
    await loaded?.drop();
    client?.disconnect();
  });

  it.each([0.8, 0.9])('agrees with brute force on >= 99.5 %% of the queries whose nearest neighbour clears %s', async (threshold) => {
    const run = await runIndexQueries(loaded, set, truths.map((truth) => truth.plain), threshold);
    const agreement = agreementAt(run.outcomes, threshold);
    plainLatency.set(threshold, `${fmt(run.latency.p50Ms)} / ${fmt(run.latency.p99Ms)} ms`);

    expect(agreement.eligible).toBeGreaterThanOrEqual(700); // the set is built so that most queries have a neighbour this close
    if (agreement.ratio < REQUIRED) {
      throw new Error(`agreement ${(100 * agreement.ratio).toFixed(2)} % < ${100 * REQUIRED} % at ${threshold}: ${agreement.noHit} without a hit, ${agreement.worse} with a less similar answer, of ${agreement.eligible}`);
    }
  }, 300_000);

  it.each([0.8, 0.9])('with the same-question check, agrees with brute force + the check on >= 99.5 %% of the queries it answers at %s', async (threshold) => {
    const run = await runCheckedQueries(loaded, set, truths, threshold);
    const agreement = agreementAt(run.outcomes, threshold);
    const effect = checkEffectAt(truths, threshold);
    console.log(
      `check on at ${threshold}: agreement ${(100 * agreement.ratio).toFixed(2)} % (${agreement.agree}/${agreement.eligible}; ` +
        `${agreement.noHit} no hit, ${agreement.worse} worse, ${agreement.unexpected} unexpected); the check changed ${effect.changed} of ` +
        `${effect.eligible} plain nearest neighbours (${effect.moved} to another above the threshold); lookup p50 / p99 ` +
        `${fmt(run.latency.p50Ms)} / ${fmt(run.latency.p99Ms)} ms with the check, ${plainLatency.get(threshold) ?? '?'} without`,
    );

    expect(agreement.eligible).toBeGreaterThanOrEqual(600);
    expect(effect.changed).toBeGreaterThan(0); // the check is exercised: some plain neighbours are rejected
    expect(agreement.unexpected).toBe(0); // never a hit that brute force + the check would not serve
    if (agreement.ratio < REQUIRED) {
      throw new Error(`checked agreement ${(100 * agreement.ratio).toFixed(2)} % < ${100 * REQUIRED} % at ${threshold}: ${agreement.noHit} without a hit, ${agreement.worse} with a less similar answer, of ${agreement.eligible}`);
    }
  }, 300_000);
});
