import Redis from 'ioredis';
import { SearchIndex } from '../../../../../lambda/backends/redis/search/search-index';
import { indexNames, vectorBlob } from '../../../../../lambda/backends/redis/search/index-naming';
import type { RedisCommands } from '../../../../../lambda/backends/redis/connection/redis-commands';
import { BACKFILL_ERROR, startSearchTarget, type SearchTarget } from '../../../../../tools/ft-double';
import { eventually, sleep } from '../../../../support/reliability';
import { unit } from '../../../../support/vectors';

/**
 * SearchIndex on a real redis-server behind the strict FT test double (the double keeps its
 * indexes in memory, so a server restart drops them as it does on a search host that keeps no
 * data), or on a real search server (SEARCH_REDIS_URL). Tests that need the server behind the
 * double (expiry control, restarts, the backfill window) are skipped against SEARCH_REDIS_URL.
 */
const Q = unit(1, 0, 0, 0);
/** Cosine similarity 0.95 with Q. */
const NEAR = unit(0.95, Math.sqrt(1 - 0.95 ** 2), 0, 0);

let target: SearchTarget;
let client: Redis;
let run = 0;
/** Unique per process: a real server (SEARCH_REDIS_URL) keeps the indexes of earlier runs. */
const RUN = Date.now().toString(36);

beforeEach(async () => {
  target = await startSearchTarget();
  client = new Redis(target.url, { maxRetriesPerRequest: 1 });
  run++;
});

afterEach(async () => {
  client?.disconnect();
  await target?.stop();
});

const searchIndex = (candidates?: number) =>
  new SearchIndex(async () => client as unknown as RedisCommands, { embeddingModelId: `int-test-${RUN}-${run}`, dimensions: 4, candidates });

describe('SearchIndex with an expired, not yet reclaimed document (active expiry paused)', () => {
  it('finds the live in-scope document at 0.95 behind an expired exact match', async () => {
    if (target.server === undefined) return;
    const admin = target.server.adminClient();
    try {
      const index = searchIndex();
      await index.add({ scope: 's1', id: 'expired', namespace: 'default', vector: Q, entry: 'OLD', ttlMs: 300 });
      await index.add({ scope: 's1', id: 'live', namespace: 'default', vector: NEAR, entry: 'LIVE', ttlMs: 60_000 });
      await admin.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
      expect((await index.search('s1', Q, 0.9))?.entry).toBe('OLD'); // indexed while alive
      await sleep(400); // expired; nothing reclaims it

      const hit = await index.search('s1', Q, 0.9);

      expect(hit?.entry).toBe('LIVE');
      expect(hit?.similarity).toBeCloseTo(0.95, 5);
    } finally {
      await admin.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
      admin.disconnect();
    }
  });

  it('would miss it with a single neighbour (the defect: KNN 1 returns only the expired document)', async () => {
    if (target.server === undefined) return;
    const admin = target.server.adminClient();
    try {
      const index = searchIndex(1);
      await index.add({ scope: 's1', id: 'expired', namespace: 'default', vector: Q, entry: 'OLD', ttlMs: 300 });
      await index.add({ scope: 's1', id: 'live', namespace: 'default', vector: NEAR, entry: 'LIVE', ttlMs: 60_000 });
      await admin.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
      await index.search('s1', Q, 0.9);
      await sleep(400);

      expect(await index.search('s1', Q, 0.9)).toBeNull();
    } finally {
      await admin.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
      admin.disconnect();
    }
  });
});

describe('SearchIndex after the search server restarts (index and data gone)', () => {
  const restart = async (): Promise<void> => {
    await target.server!.kill('SIGKILL');
    await target.server!.restart();
    // the client reconnects through the double
    await eventually(async () => {
      await client.ping();
    }, 10_000, 50);
  };

  it('recreates the index on the next search (a miss, no error), then hits after an add', async () => {
    if (target.server === undefined) return;
    const index = searchIndex();
    await index.add({ scope: 's', id: 'a', namespace: 'default', vector: Q, entry: 'A', ttlMs: 60_000 });
    expect((await index.search('s', Q, 0.9))?.entry).toBe('A');

    await restart();

    expect(await index.search('s', Q, 0.9)).toBeNull();
    await index.add({ scope: 's', id: 'b', namespace: 'default', vector: Q, entry: 'B', ttlMs: 60_000 });
    expect((await index.search('s', Q, 0.9))?.entry).toBe('B');
    expect(await client.call('FT._LIST')).toEqual([index.indexName]);
  });

  it('makes a document added right after the restart searchable (FT.CREATE backfills it)', async () => {
    if (target.server === undefined) return;
    const index = searchIndex();
    await index.add({ scope: 's', id: 'a', namespace: 'default', vector: Q, entry: 'A', ttlMs: 60_000 });

    await restart();
    await index.add({ scope: 's', id: 'b', namespace: 'default', vector: Q, entry: 'B', ttlMs: 60_000 });

    expect((await index.search('s', Q, 0.9))?.entry).toBe('B');
  });

  it('lets concurrent searches share one recreation', async () => {
    if (target.server === undefined) return;
    const index = searchIndex();
    await index.add({ scope: 's', id: 'a', namespace: 'default', vector: Q, entry: 'A', ttlMs: 60_000 });
    await restart();
    const sent = jest.spyOn(client, 'call');

    const hits = await Promise.all(Array.from({ length: 5 }, () => index.search('s', Q, 0.9)));

    expect(hits).toEqual([null, null, null, null, null]);
    expect(sent.mock.calls.filter(([command]) => String(command) === 'FT.CREATE')).toHaveLength(1);
    sent.mockRestore();
  });
});

describe('SearchIndex after an upgrade from index version 1 (the double, or SEARCH_REDIS_URL)', () => {
  it('creates the version-2 index and drops the version-1 index, leaving its documents to expire', async () => {
    const model = `int-test-${RUN}-${run}`; // the model searchIndex() uses
    const old = indexNames(model, 4, 1);
    // What the version-1 runtime created: no EF_RUNTIME, no check field.
    await client.call(
      'FT.CREATE', old.index, 'ON', 'HASH', 'PREFIX', '1', old.documentPrefix,
      'SCHEMA', 'scope', 'TAG', 'created', 'NUMERIC', 'vec', 'VECTOR', 'HNSW', '10', 'TYPE', 'FLOAT32', 'DIM', '4', 'DISTANCE_METRIC', 'COSINE', 'M', '16', 'EF_CONSTRUCTION', '200',
    );
    await client.hset(`${old.documentPrefix}old`, { scope: 's', created: '1', vec: vectorBlob(Q), answer: 'OLD' });
    await client.pexpire(`${old.documentPrefix}old`, 60_000);
    try {
      const index = searchIndex();
      await index.add({ scope: 's', id: 'new', namespace: 'default', vector: Q, entry: 'NEW', ttlMs: 60_000 });

      await eventually(async () => expect(await client.call('FT._LIST')).not.toContain(old.index), 5_000, 50);
      expect(await client.call('FT._LIST')).toContain(index.indexName);
      expect(await client.hget(`${old.documentPrefix}old`, 'answer')).toBe('OLD'); // kept: expires by its TTL
      expect(await client.pttl(`${old.documentPrefix}old`)).toBeGreaterThan(0);
      await eventually(async () => expect((await index.search('s', Q, 0.9))?.entry).toBe('NEW'), 5_000, 50); // never the old document
    } finally {
      await client.call('FT.DROPINDEX', old.index).catch(() => undefined);
      await client.call('FT.DROPINDEX', indexNames(model, 4).index).catch(() => undefined);
      await client.del(`${old.documentPrefix}old`, `${indexNames(model, 4).documentPrefix}new`);
    }
  });
});

/** Document i of n at cosine similarity above 0.8 with Q, the nearest stored last (document order puts it last). */
const fan = (n: number, i: number) => {
  const angle = (n - i) * 0.03;
  return unit(Math.cos(angle), Math.sin(angle), 0, 0);
};

describe('SearchIndex answers with the nearest neighbour whatever order the engine replies in', () => {
  it('serves the nearest of several that clear the threshold, stored last (RediSearch and the double reply in document order)', async () => {
    const index = searchIndex();
    for (let i = 0; i < 4; i++) await index.add({ scope: 's', id: `d${i}`, namespace: 'default', vector: fan(4, i), entry: `A${i}`, ttlMs: 60_000 });

    const hit = await index.search('s', Q, 0.8);

    expect(hit?.entry).toBe('A3');
    expect(hit?.similarity).toBeCloseTo(Math.cos(0.03), 5);
  });

  it('serves the nearest with K above 10 (LIMIT 0 K: without it the engines return 10, RediSearch not the 10 nearest)', async () => {
    const index = searchIndex(12);
    for (let i = 0; i < 12; i++) await index.add({ scope: 's', id: `d${i}`, namespace: 'default', vector: fan(12, i), entry: `A${i}`, ttlMs: 60_000 });

    expect((await index.search('s', Q, 0.8))?.entry).toBe('A11');
  });
});

describe('SearchIndex while the index is backfilling (MemoryDB refuses searches until it is done)', () => {
  it('fails the search (the caller fails open) without recreating the index, then hits once the backfill is done', async () => {
    if (target.kind !== 'double') return;
    const strict = await startSearchTarget({ backfillMs: 2000, searchDuringBackfill: 'error' });
    const strictClient = new Redis(strict.url, { maxRetriesPerRequest: 1 });
    try {
      const index = new SearchIndex(async () => strictClient as unknown as RedisCommands, { embeddingModelId: 'backfill', dimensions: 4 });
      const sent = jest.spyOn(strictClient, 'call');
      await index.add({ scope: 's', id: 'a', namespace: 'default', vector: Q, entry: 'A', ttlMs: 60_000 });

      await expect(index.search('s', Q, 0.9)).rejects.toThrow(BACKFILL_ERROR);
      expect(sent.mock.calls.filter(([command]) => String(command) === 'FT.CREATE')).toHaveLength(1);

      await sleep(2100);
      expect((await index.search('s', Q, 0.9))?.entry).toBe('A');
    } finally {
      strictClient.disconnect();
      await strict.stop();
    }
  });
});
