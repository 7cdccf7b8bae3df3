import Redis from 'ioredis';
import { SearchIndex } from '../../../../../lambda/backends/redis/search/search-index';
import { documentKey, indexNames } from '../../../../../lambda/backends/redis/search/index-naming';
import type { RedisCommands } from '../../../../../lambda/backends/redis/connection/redis-commands';
import { CandidateCheck } from '../../../../../lambda/semantic/same-question/candidate-check';
import { questionFacts } from '../../../../../lambda/semantic/same-question/facts';
import type { SemanticDocument } from '../../../../../lambda/semantic/semantic-index';
import { startSearchTarget, type SearchTarget } from '../../../../../tools/ft-double';
import { unit } from '../../../../support/vectors';

/**
 * Removal and rejections on the FT path (index version 3): on a real redis-server behind the FT
 * test double, or on a real search engine (SEARCH_REDIS_URL; `npm run test:engines` runs this file
 * on RediSearch 2.6.37 and valkey-search 1.0.3).
 */
const Q = unit(1, 0, 0, 0);
/** Cosine similarity 0.95 with Q. */
const NEAR = unit(0.95, Math.sqrt(1 - 0.95 ** 2), 0, 0);
const NS = 'tenant-a';
const ASKER = 'a'.repeat(64);
const PROMPT = 'Where is Las Vegas?';
/** Unique per process: a real server keeps the indexes of earlier runs. */
const RUN = Date.now().toString(36);

let target: SearchTarget;
let client: Redis;
let run = 0;

beforeEach(async () => {
  target = await startSearchTarget();
  client = new Redis(target.url, { maxRetriesPerRequest: 1 });
  run++;
});

afterEach(async () => {
  client?.disconnect();
  await target?.stop();
});

const model = (): string => `removal-${RUN}-${run}`;
const searchIndex = (): SearchIndex => new SearchIndex(async () => client as unknown as RedisCommands, { embeddingModelId: model(), dimensions: 4 });
const doc = (id: string, vector: Float32Array, overrides: Partial<SemanticDocument> = {}): SemanticDocument =>
  ({ scope: 's', id, namespace: NS, vector, entry: `answer-${id}`, ttlMs: 60_000, facts: questionFacts(PROMPT), ...overrides });

describe('SearchIndex.remove', () => {
  it('UNLINKs the document: the next search no longer finds it, another namespace\'s document with the same id stays', async () => {
    const index = searchIndex();
    await index.add(doc('d1', Q));
    await index.add(doc('d1', Q, { namespace: 'tenant-b', scope: 'sb', entry: 'B' }));
    expect((await index.search('s', Q, 0.9))?.id).toBe('d1');

    expect(await index.remove('s', 'd1', NS)).toBe(true);

    expect(await index.search('s', Q, 0.9)).toBeNull();
    expect((await index.search('sb', Q, 0.9))?.entry).toBe('B');
    expect(await client.exists(documentKey(indexNames(model(), 4), NS, 'd1'))).toBe(0);
    expect(await index.remove('s', 'd1', NS)).toBe(false);
  });

  it('leaves the next neighbour to be found', async () => {
    const index = searchIndex();
    await index.add(doc('near', Q));
    await index.add(doc('far', NEAR));

    await index.remove('s', 'near', NS);

    expect((await index.search('s', Q, 0.9))?.id).toBe('far');
  });
});

describe('SearchIndex.reject and the asker of a search', () => {
  it('passes over the rejected document for that asker only, with and without the check', async () => {
    const index = searchIndex();
    await index.add(doc('d1', Q));

    expect(await index.reject('s', 'd1', NS, ASKER)).toBe(true);
    const check = new CandidateCheck(PROMPT, 'on');

    expect(await index.search('s', Q, 0.9, check, ASKER)).toBeNull();
    expect(check.rejection).toEqual({ reason: 'rejected-by-owner', similarity: expect.closeTo(1, 5) });
    expect(await index.search('s', Q, 0.9, undefined, ASKER)).toBeNull();
    expect((await index.search('s', Q, 0.9, new CandidateCheck(PROMPT, 'on'), 'b'.repeat(64)))?.id).toBe('d1');
    expect((await index.search('s', Q, 0.9))?.id).toBe('d1');
  });

  it('never hides an acceptable neighbour behind the rejected one', async () => {
    const index = searchIndex();
    await index.add(doc('near', Q));
    await index.add(doc('far', NEAR));
    await index.reject('s', 'near', NS, ASKER);

    expect((await index.search('s', Q, 0.9, new CandidateCheck(PROMPT, 'on'), ASKER))?.id).toBe('far');
  });

  it('keeps the document indexed and its TTL, and answers false for a gone document', async () => {
    const index = searchIndex();
    await index.add(doc('d1', Q, { ttlMs: 30_000 }));
    const key = documentKey(indexNames(model(), 4), NS, 'd1');

    await index.reject('s', 'd1', NS, ASKER);

    expect(await client.pttl(key)).toBeGreaterThan(25_000);
    expect((await index.search('s', Q, 0.9, new CandidateCheck(PROMPT, 'on')))?.id).toBe('d1');
    expect(await index.reject('s', 'gone', NS, ASKER)).toBe(false);
    expect(await client.exists(documentKey(indexNames(model(), 4), NS, 'gone'))).toBe(0);
  });
});
