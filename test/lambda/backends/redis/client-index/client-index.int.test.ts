import type Redis from 'ioredis';
import { ClientIndex } from '../../../../../lambda/backends/redis/client-index/client-index';
import { LOG_PAGE } from '../../../../../lambda/backends/redis/client-index/change-log';
import { clientIndexKeys } from '../../../../../lambda/backends/redis/client-index/keys';
import { MemoryIndex } from '../../../../../lambda/backends/memory/memory-index';
import { redisIndexResolver } from '../../../../../lambda/backends/redis/index-resolver';
import type { RedisProvider } from '../../../../../lambda/backends/redis/connection/redis-commands';
import type { RedisTestServer } from '../../../../../tools/redis-servers';
import { randomUnitVector } from '../../../../support/vectors';
import { countingRedis, type ReadCounts } from '../../../../support/counting-redis';

const DIMS = 64;
const MODEL = 'test-client-index';

function randomUnit(seed: number, dimensions = DIMS): Float32Array {
  return randomUnitVector(dimensions, seed);
}

/** Unit vector at cosine `c` to unit `base`. */
function near(base: Float32Array, c: number, seed: number): Float32Array {
  const noise = randomUnit(seed, base.length);
  let along = 0;
  for (let i = 0; i < base.length; i++) along += noise[i]! * base[i]!;
  let sum = 0;
  for (let i = 0; i < base.length; i++) {
    noise[i] = noise[i]! - along * base[i]!;
    sum += noise[i]! * noise[i]!;
  }
  const s = Math.sqrt(1 - c * c) / Math.sqrt(sum);
  return base.map((b, i) => c * b + s * noise[i]!);
}

describe('ClientIndex on a real redis-server', () => {
  let server: RedisTestServer;
  let client: Redis;
  const counts: ReadCounts = { xrange: 0, mget: 0 };
  let redis: RedisProvider;
  let scope: string;
  let n = 0;

  beforeAll(async () => {
    ({ server, client, redis } = await countingRedis(counts));
  });

  afterAll(async () => {
    client?.disconnect();
    await server?.stop();
  });

  beforeEach(() => {
    scope = `scope-${++n}-${Date.now()}`;
    counts.xrange = 0;
    counts.mget = 0;
  });

  const index = (options: Partial<ConstructorParameters<typeof ClientIndex>[1]> = {}): ClientIndex =>
    new ClientIndex(redis, { embeddingModelId: MODEL, dimensions: DIMS, ...options });

  it('a container that already holds the scope sees another container\'s store on its next prepare', async () => {
    const a = index();
    const b = index();
    const stored = randomUnit(1);
    await b.prepare(scope, 'default'); // bootstrap of an empty scope
    await a.add({ scope, id: 'ns:1', namespace: 'default', vector: stored, entry: 'answer-1', ttlMs: 60_000 });

    await b.prepare(scope, 'default');
    const hit = await b.search(scope, near(stored, 0.95, 2), 0.9);

    expect(hit?.id).toBe('ns:1');
    expect(hit?.entry).toBe('answer-1');
    expect(hit?.similarity).toBeCloseTo(0.95, 5);
  });

  it('reads the log once per prepare and makes no MGET when no document can reach the threshold', async () => {
    const a = index();
    await a.add({ scope, id: 'ns:1', namespace: 'default', vector: randomUnit(1), entry: 'answer-1', ttlMs: 60_000 });
    const b = index();
    await b.prepare(scope, 'default');
    counts.xrange = 0;

    await b.prepare(scope, 'default');
    const miss = await b.search(scope, randomUnit(99), 0.9);

    expect(miss).toBeNull();
    expect(counts).toEqual({ xrange: 1, mget: 0 });
  });

  it('bootstraps a log longer than one page in pages, keeping every entry', async () => {
    const a = index({ maxEntriesPerScope: 5000 });
    const total = 2 * LOG_PAGE + LOG_PAGE / 2;
    for (let start = 0; start < total; start += 250) {
      await Promise.all(Array.from({ length: Math.min(250, total - start) }, (_, i) => a.add({ scope, id: `ns:${start + i}`, namespace: 'default', vector: randomUnit(start + i + 1), entry: 'e', ttlMs: 60_000 })));
    }
    const b = index({ maxEntriesPerScope: 5000 });
    counts.xrange = 0;

    await b.prepare(scope, 'default');

    expect(b.held(scope)?.count).toBe(total);
    expect(counts.xrange).toBe(3);
    expect((await b.search(scope, randomUnit(total), 0.99))?.id).toBe(`ns:${total - 1}`);
  });

  it('reports the exact float32 cosine and agrees with the exact brute-force index at every threshold', async () => {
    // Default tuning, 1,000 documents in clusters (siblings at cosine ~0.64: hard negatives);
    // queries near a stored document (~0.97) or a new member of a cluster (best ~0.62).
    const dims = 256;
    const writer = new ClientIndex(redis, { embeddingModelId: MODEL, dimensions: dims });
    const memory = new MemoryIndex();
    const bases = Array.from({ length: 50 }, (_, i) => randomUnit(100 + i, dims));
    const documents = Array.from({ length: 1000 }, (_, i) => near(bases[i % 50]!, 0.8, 1000 + i));
    for (let i = 0; i < documents.length; i++) {
      const document = { scope, id: `ns:${i}`, namespace: 'default', vector: documents[i]!, entry: `answer-${i}`, ttlMs: 60_000 };
      await writer.add(document);
      await memory.add(document);
    }
    const reader = new ClientIndex(redis, { embeddingModelId: MODEL, dimensions: dims });
    let hits = 0;
    for (let q = 0; q < 100; q++) {
      const query = q % 2 === 0 ? near(documents[(q * 37) % 1000]!, 0.97, 7000 + q) : near(bases[q % 50]!, 0.8, 5000 + q);
      for (const threshold of [0.6, 0.8, 0.9, 0.95]) {
        const expected = await memory.search(scope, query, threshold);
        const got = await reader.search(scope, query, threshold, undefined, undefined, 'default');

        expect(got?.id).toBe(expected?.id);
        if (got !== null) {
          hits++;
          expect(got.similarity).toBeCloseTo(expected!.similarity, 6);
          expect(got.similarity).toBeGreaterThanOrEqual(threshold);
        }
      }
    }
    expect(hits).toBeGreaterThan(100);
  });

  it('treats a candidate whose document is gone as a miss and drops it', async () => {
    const a = index();
    const stored = randomUnit(1);
    await a.add({ scope, id: 'ns:gone', namespace: 'default', vector: stored, entry: 'answer', ttlMs: 60_000 });
    await client.del(clientIndexKeys(MODEL, DIMS).document('default', scope, 'ns:gone'));

    expect(await a.search(scope, stored, 0.9)).toBeNull();
    expect(a.held(scope)?.has('ns:gone')).toBe(false);
  });

  it('never returns an entry past its TTL', async () => {
    const a = index();
    const stored = randomUnit(1);
    await a.add({ scope, id: 'ns:short', namespace: 'default', vector: stored, entry: 'answer', ttlMs: 50 });
    await new Promise((resolve) => setTimeout(resolve, 80));

    expect(await index().search(scope, stored, 0.5, undefined, undefined, 'default')).toBeNull();
    expect(await a.search(scope, stored, 0.5)).toBeNull();
  });

  it('caps the change log and gives it a TTL, and keeps every key of a scope in one hash slot', async () => {
    const a = index({ maxEntriesPerScope: 10 });
    for (let i = 0; i < 300; i++) await a.add({ scope, id: `ns:${i}`, namespace: 'default', vector: randomUnit(i + 1), entry: 'e', ttlMs: 60_000 });
    const keys = clientIndexKeys(MODEL, DIMS);
    const log = keys.log('default', scope);

    expect(await client.xlen(log)).toBeLessThanOrEqual(10 + 100); // MAXLEN ~ trims whole stream nodes (100 entries)
    expect(await client.pttl(log)).toBeGreaterThan(50_000);
    expect(log.startsWith('llmcache:')).toBe(true);
    // The cluster slot comes from the first {...} of a key: the scope, for both kinds of key.
    const tag = (key: string): string | undefined => /^[^{]*\{([^}]+)\}/.exec(key)?.[1];
    expect(tag(log)).toBe(scope);
    expect(tag(keys.document('default', scope, 'ns:{x}'))).toBe(scope);
    expect(tag(keys.rejections('default', scope, 'ns:{x}'))).toBe(scope);
    const b = index({ maxEntriesPerScope: 10 });
    await b.prepare(scope, 'default');
    expect(b.held(scope)?.count).toBe(10);
    expect(b.held(scope)?.has('ns:299')).toBe(true);
    expect(b.held(scope)?.has('ns:289')).toBe(false);
  });

  it('is what SEMANTIC_INDEX=client and SEMANTIC_INDEX=auto (no FT.* here) resolve to; none resolves to no index', async () => {
    const config = { embeddingModelId: MODEL, embeddingDimensions: DIMS };
    expect((await redisIndexResolver({ ...config, semanticIndex: 'client' }, redis)())?.kind).toBe('client');
    expect((await redisIndexResolver({ ...config, semanticIndex: 'auto' }, redis)())?.kind).toBe('client');
    expect(await redisIndexResolver({ ...config, semanticIndex: 'none' }, redis)()).toBeNull();
  });
});
