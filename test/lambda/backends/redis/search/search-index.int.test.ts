import Redis from 'ioredis';
import { SearchIndex } from '../../../../../lambda/backends/redis/search/search-index';
import { indexNames, vectorBlob } from '../../../../../lambda/backends/redis/search/index-naming';
import type { RedisCommands } from '../../../../../lambda/backends/redis/connection/redis-commands';
import { startSearchTarget, type SearchTarget } from '../../../../../tools/ft-double';
import { eventually, sleep } from '../../../../support/reliability';
import { unit } from '../../../../support/vectors';

/**
 * SearchIndex on a real redis-server behind the strict FT test double (the double keeps its
 * indexes in memory, so a server restart drops them as it does on a search host that keeps no
 * data). Both tests need the server behind the double: skipped against SEARCH_REDIS_URL.
 */
const Q = unit(1, 0, 0, 0);
/** Cosine similarity 0.95 with Q. */
const NEAR = unit(0.95, Math.sqrt(1 - 0.95 ** 2), 0, 0);

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

const searchIndex = (candidates?: number) =>
  new SearchIndex(async () => client as unknown as RedisCommands, { embeddingModelId: `int-test-${run}`, dimensions: 4, candidates });

describe('SearchIndex with an expired, not yet reclaimed document (active expiry paused)', () => {
  it('finds the live in-scope document at 0.95 behind an expired exact match', async () => {
    if (target.server === undefined) return;
    const admin = target.server.adminClient();
    try {
      const index = searchIndex();
      await index.add({ scope: 's1', id: 'expired', vector: Q, entry: 'OLD', ttlMs: 300 });
      await index.add({ scope: 's1', id: 'live', vector: NEAR, entry: 'LIVE', ttlMs: 60_000 });
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
      await index.add({ scope: 's1', id: 'expired', vector: Q, entry: 'OLD', ttlMs: 300 });
      await index.add({ scope: 's1', id: 'live', vector: NEAR, entry: 'LIVE', ttlMs: 60_000 });
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
    await index.add({ scope: 's', id: 'a', vector: Q, entry: 'A', ttlMs: 60_000 });
    expect((await index.search('s', Q, 0.9))?.entry).toBe('A');

    await restart();

    expect(await index.search('s', Q, 0.9)).toBeNull();
    await index.add({ scope: 's', id: 'b', vector: Q, entry: 'B', ttlMs: 60_000 });
    expect((await index.search('s', Q, 0.9))?.entry).toBe('B');
    expect(await client.call('FT._LIST')).toEqual([index.indexName]);
  });

  it('makes a document added right after the restart searchable (FT.CREATE backfills it)', async () => {
    if (target.server === undefined) return;
    const index = searchIndex();
    await index.add({ scope: 's', id: 'a', vector: Q, entry: 'A', ttlMs: 60_000 });

    await restart();
    await index.add({ scope: 's', id: 'b', vector: Q, entry: 'B', ttlMs: 60_000 });

    expect((await index.search('s', Q, 0.9))?.entry).toBe('B');
  });

  it('lets concurrent searches share one recreation', async () => {
    if (target.server === undefined) return;
    const index = searchIndex();
    await index.add({ scope: 's', id: 'a', vector: Q, entry: 'A', ttlMs: 60_000 });
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
    const model = `int-test-${run}`;
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
      await index.add({ scope: 's', id: 'new', vector: Q, entry: 'NEW', ttlMs: 60_000 });

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
