import type Redis from 'ioredis';
import { ClientIndex } from '../../../../../lambda/backends/redis/client-index/client-index';
import { clientIndexKeys } from '../../../../../lambda/backends/redis/client-index/keys';
import type { RedisProvider } from '../../../../../lambda/backends/redis/connection/redis-commands';
import { CandidateCheck } from '../../../../../lambda/semantic/same-question/candidate-check';
import { MAX_REJECTING_ASKERS, type SemanticDocument } from '../../../../../lambda/semantic/semantic-index';
import type { RedisTestServer } from '../../../../../tools/redis-servers';
import { randomUnitVector } from '../../../../support/vectors';
import { countingRedis, type ReadCounts } from '../../../../support/counting-redis';

const DIMS = 64;
const MODEL = 'test-client-index-removal';
const NS = 'tenant-a';
const ASKER = 'a'.repeat(64);
const KEYS = clientIndexKeys(MODEL, DIMS);

describe('ClientIndex removal, rejections and lost log positions on a real redis-server', () => {
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
    scope = `${(++n).toString(16).padStart(8, '0')}${Date.now().toString(16)}`.padEnd(64, '0');
    counts.xrange = 0;
    counts.mget = 0;
  });

  const index = (options: Partial<ConstructorParameters<typeof ClientIndex>[1]> = {}): ClientIndex =>
    new ClientIndex(redis, { embeddingModelId: MODEL, dimensions: DIMS, ...options });
  const doc = (id: string, vector: Float32Array, overrides: Partial<SemanticDocument> = {}): SemanticDocument =>
    ({ scope, id, namespace: NS, vector, entry: `answer-${id}`, ttlMs: 60_000, ...overrides });
  /** Two warm containers: both have read the scope's log, which holds `documents`. */
  async function warmPair(...documents: SemanticDocument[]): Promise<[ClientIndex, ClientIndex]> {
    const a = index();
    const b = index();
    for (const document of documents) await a.add(document);
    await a.prepare(scope, NS);
    await b.prepare(scope, NS);
    return [a, b];
  }

  it('removes the document and its rejections from the server, and the vector from this container at once', async () => {
    const stored = randomUnitVector(DIMS, 1);
    const [a] = await warmPair(doc('d1', stored));
    await a.reject(scope, 'd1', NS, ASKER);

    expect(await a.remove(scope, 'd1', NS)).toBe(true);

    expect(await client.exists(KEYS.document(NS, scope, 'd1'), KEYS.rejections(NS, scope, 'd1'))).toBe(0);
    expect(a.held(scope)?.has('d1')).toBe(false);
    expect(await a.search(scope, stored, 0.9)).toBeNull();
    expect(await a.remove(scope, 'd1', NS)).toBe(false);
  });

  it('another warm container drops the vector at its next catch-up, from the delete record, with one log read', async () => {
    const stored = randomUnitVector(DIMS, 1);
    const kept = randomUnitVector(DIMS, 2);
    const [a, b] = await warmPair(doc('d1', stored), doc('d2', kept));
    expect(b.held(scope)?.has('d1')).toBe(true);

    await a.remove(scope, 'd1', NS);
    counts.xrange = 0;
    counts.mget = 0;
    await b.prepare(scope, NS);

    expect(counts.xrange).toBe(1);
    expect(b.held(scope)?.has('d1')).toBe(false);
    expect(b.held(scope)?.has('d2')).toBe(true);
    expect(await b.search(scope, stored, 0.9)).toBeNull();
    expect(counts.mget).toBe(0); // the dead vector no longer names a candidate
    expect((await b.search(scope, kept, 0.9))?.id).toBe('d2');
  });

  it('a container reading the log from the start never holds a removed document', async () => {
    const a = index();
    await a.add(doc('d1', randomUnitVector(DIMS, 1)));
    await a.add(doc('d2', randomUnitVector(DIMS, 2)));
    await a.remove(scope, 'd1', NS);

    const fresh = index();
    await fresh.prepare(scope, NS);

    expect(fresh.held(scope)?.has('d1')).toBe(false);
    expect(fresh.held(scope)?.count).toBe(1);
  });

  it('writes no log and no delete record for a document that is not there', async () => {
    expect(await index().remove(scope, 'nothing', NS)).toBe(false);

    expect(await client.exists(KEYS.log(NS, scope))).toBe(0);
  });

  it('a container whose log was deleted (a purge) drops the scope\'s vectors on its next catch-up, with one log read', async () => {
    const stored = randomUnitVector(DIMS, 1);
    const [, b] = await warmPair(doc('d1', stored), doc('d2', randomUnitVector(DIMS, 2)));
    await client.del(KEYS.log(NS, scope), KEYS.document(NS, scope, 'd1'), KEYS.document(NS, scope, 'd2'));

    counts.xrange = 0;
    await b.prepare(scope, NS);

    expect(counts.xrange).toBe(1);
    expect(b.held(scope)?.count).toBe(0);
    expect(await b.search(scope, stored, 0.9)).toBeNull();
  });

  it('a container whose log was deleted and written again reads the new log from its start', async () => {
    const [a, b] = await warmPair(doc('d1', randomUnitVector(DIMS, 1)));
    await client.del(KEYS.log(NS, scope), KEYS.document(NS, scope, 'd1'));
    const after = randomUnitVector(DIMS, 3);
    await a.add(doc('d3', after));

    await b.prepare(scope, NS);

    expect(b.held(scope)?.has('d1')).toBe(false);
    expect((await b.search(scope, after, 0.9))?.id).toBe('d3');
  });

  it('a container whose position was trimmed away rebuilds the scope from what the log still holds, removals included', async () => {
    const cap = 10;
    const a = index({ maxEntriesPerScope: cap });
    const b = index({ maxEntriesPerScope: cap });
    const first = randomUnitVector(DIMS, 1);
    await a.add(doc('first', first));
    await b.prepare(scope, NS);
    expect(b.held(scope)?.has('first')).toBe(true);
    // The removal's delete record is trimmed away with everything before it.
    await a.remove(scope, 'first', NS);
    for (let i = 0; i < 300; i++) await a.add(doc(`d${i}`, randomUnitVector(DIMS, 100 + i)));
    const oldest = String((await client.xrange(KEYS.log(NS, scope), '-', '+', 'COUNT', 1))[0]![0]);
    const before = b.held(scope);

    counts.xrange = 0;
    await b.prepare(scope, NS);

    expect(oldest > '0-0').toBe(true);
    expect(counts.xrange).toBe(1); // the reply that showed the lost position was the rebuild's first page
    expect(b.held(scope)).not.toBe(before);
    expect(b.held(scope)?.has('first')).toBe(false);
    expect(b.held(scope)?.has('d299')).toBe(true);
    expect(b.held(scope)?.count).toBe(cap);
  });

  it('keeps the scope when its last entry is still there (nothing new: no rebuild)', async () => {
    const [, b] = await warmPair(doc('d1', randomUnitVector(DIMS, 1)));
    const held = b.held(scope);

    await b.prepare(scope, NS);

    expect(b.held(scope)).toBe(held);
    expect(b.held(scope)?.has('d1')).toBe(true);
  });

  it('passes over a document rejected for the asker in every container, reading the rejections in the same MGET', async () => {
    const near = randomUnitVector(DIMS, 1);
    const [a, b] = await warmPair(doc('d1', near));

    expect(await a.reject(scope, 'd1', NS, ASKER)).toBe(true);
    counts.mget = 0;
    const check = new CandidateCheck('Where is Las Vegas?', 'on');
    jest.spyOn(check, 'accepts').mockReturnValue(true);

    expect(await b.search(scope, near, 0.9, check, ASKER)).toBeNull();
    expect(check.rejection).toEqual({ reason: 'rejected-by-owner', similarity: expect.closeTo(1, 5) });
    expect(counts.mget).toBe(1);
    expect((await b.search(scope, near, 0.9, undefined, 'b'.repeat(64)))?.id).toBe('d1');
    expect((await a.search(scope, near, 0.9))?.id).toBe('d1');
  });

  it('never hides an acceptable neighbour behind the rejected one', async () => {
    const query = randomUnitVector(DIMS, 1);
    const [, b] = await warmPair(doc('near', query), doc('far', nearTo(query, 0.95, 2)));
    await b.reject(scope, 'near', NS, ASKER);

    expect((await b.search(scope, query, 0.9, undefined, ASKER))?.id).toBe('far');
  });

  it('gives the rejections the document\'s TTL, keeps them over a re-store, and answers false for a gone document', async () => {
    const stored = randomUnitVector(DIMS, 1);
    const a = index();
    await a.add(doc('d1', stored, { ttlMs: 30_000 }));

    await a.reject(scope, 'd1', NS, ASKER);
    const ttl = await client.pttl(KEYS.rejections(NS, scope, 'd1'));
    await a.add(doc('d1', stored, { ttlMs: 90_000, entry: 'refreshed' }));

    expect(ttl).toBeGreaterThan(25_000);
    expect(ttl).toBeLessThanOrEqual(30_000);
    expect(await client.pttl(KEYS.rejections(NS, scope, 'd1'))).toBeGreaterThan(80_000);
    expect(await a.search(scope, stored, 0.9, undefined, ASKER)).toBeNull();
    expect(await a.reject(scope, 'gone', NS, ASKER)).toBe(false);
    expect(await client.exists(KEYS.rejections(NS, scope, 'gone'))).toBe(0);
  });

  it('remembers the last MAX_REJECTING_ASKERS askers, each once', async () => {
    const stored = randomUnitVector(DIMS, 1);
    const a = index();
    await a.add(doc('d1', stored));
    const askers = Array.from({ length: MAX_REJECTING_ASKERS + 1 }, (_, i) => i.toString(16).padStart(64, '0'));

    for (const asker of askers) await a.reject(scope, 'd1', NS, asker);
    await a.reject(scope, 'd1', NS, askers[MAX_REJECTING_ASKERS]!);

    const held = (await client.get(KEYS.rejections(NS, scope, 'd1')))!.split(' ');
    expect(held).toEqual(askers.slice(1));
    expect((await a.search(scope, stored, 0.9, undefined, askers[0]))?.id).toBe('d1');
  });
});

/** Unit vector at cosine `c` to unit `base`. */
function nearTo(base: Float32Array, c: number, seed: number): Float32Array {
  const noise = randomUnitVector(base.length, seed);
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
