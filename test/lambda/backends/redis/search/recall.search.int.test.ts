import Redis from 'ioredis';
import type { RedisCommands } from '../../../../../lambda/backends/redis/connection/redis-commands';
import { EF_RUNTIME, KNN_CANDIDATES } from '../../../../../lambda/backends/redis/search/search-index';
import { loadRecallSet, type RecallSet } from '../../../../../tools/recall-data/dataset';
import { agreementAt, bruteForceTruth, loadRecallIndex, runIndexQueries, type LoadedIndex, type Neighbour } from '../../../../../bench/recall';

/**
 * Recall of the runtime's server-side search on a real engine (SEARCH_REDIS_URL: RediSearch,
 * valkey-search, Redis 8), on real sentence embeddings: the committed 10,000 corpus sentences
 * (tools/recall-data) in ONE scope, loaded through `SearchIndex` itself (the production FT.CREATE,
 * EF_RUNTIME included, and the document script), then every paraphrase query searched with
 * `SearchIndex.search` (the production query and ranking). Its best answer must be brute force's
 * nearest neighbour for at least 99.5 % of the queries whose nearest neighbour clears the
 * threshold. Skipped without SEARCH_REDIS_URL (the FT double is brute force: nothing to measure).
 */
const url = process.env.SEARCH_REDIS_URL;
const REQUIRED = 0.995;
const describeEngine = url ? describe : describe.skip;

describeEngine(`SearchIndex recall on SEARCH_REDIS_URL (10,000 sentences, one scope, EF_RUNTIME ${EF_RUNTIME}, KNN ${KNN_CANDIDATES})`, () => {
  let client: Redis;
  let set: RecallSet;
  let loaded: LoadedIndex;
  let truth: Neighbour[];

  beforeAll(async () => {
    client = new Redis(url!);
    set = loadRecallSet();
    truth = bruteForceTruth(set, set.corpus.length);
    loaded = await loadRecallIndex(client as unknown as RedisCommands, set, { size: set.corpus.length, modelId: `recall-test-${process.pid}` });
  }, 300_000);

  afterAll(async () => {
    await loaded?.drop();
    client?.disconnect();
  });

  it.each([0.8, 0.9])('agrees with brute force on >= 99.5 %% of the queries whose nearest neighbour clears %s', async (threshold) => {
    const run = await runIndexQueries(loaded, set, truth, threshold);
    const agreement = agreementAt(run.outcomes, threshold);

    expect(agreement.eligible).toBeGreaterThanOrEqual(700); // the set is built so that most queries have a neighbour this close
    if (agreement.ratio < REQUIRED) {
      throw new Error(`agreement ${(100 * agreement.ratio).toFixed(2)} % < ${100 * REQUIRED} % at ${threshold}: ${agreement.noHit} without a hit, ${agreement.worse} with a less similar answer, of ${agreement.eligible}`);
    }
  }, 300_000);
});
