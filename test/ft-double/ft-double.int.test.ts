import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { startSearchTarget, type SearchTarget } from '../../tools/ft-double';

/**
 * Replays the reference transcript (a real RediSearch 2.6's replies) through ioredis against the
 * FT test double, or against a real search-capable server when SEARCH_REDIS_URL is set. The
 * transcript's exact texts and FT.INFO shape are RediSearch's: on another engine (valkey-search)
 * the same steps check what the runtime relies on (shapes, "already exists", the unknown-index
 * wording it recognises) and say where the engines differ.
 */

interface TranscriptStep {
  readonly label: string;
  readonly command: string;
  readonly reply: unknown;
}

/** A copy of the design's reference/ft-transcript.json (RediSearch 2.6.37 on Redis 7.0.15). */
const TRANSCRIPT_FILE = join(__dirname, 'ft-transcript.json');
const transcript: TranscriptStep[] = JSON.parse(readFileSync(TRANSCRIPT_FILE, 'utf8'));
const BLOB = /^<\d+-byte float32 blob>$/;

function step(labelStart: string): TranscriptStep {
  const found = transcript.find((entry) => entry.label.startsWith(labelStart));
  if (found === undefined) throw new Error(`no transcript step "${labelStart}"`);
  return found;
}

/** The transcript's reply with our run's names; `<N-byte ... blob>` placeholders match any string. */
function expected(labelStart: string): unknown {
  const json = JSON.stringify(step(labelStart).reply).replaceAll(REF_INDEX, INDEX).replaceAll(REF_PREFIX, PREFIX);
  return withPlaceholders(JSON.parse(json));
}

function withPlaceholders(value: unknown): unknown {
  if (typeof value === 'string' && BLOB.test(value)) return expect.any(String);
  if (Array.isArray(value)) return value.map(withPlaceholders);
  if (value !== null && typeof value === 'object' && 'error' in value) return value;
  return value;
}

/** Runs a command; an error reply becomes `{ error: message }` as in the transcript. */
async function reply(client: Redis, ...args: (string | Buffer)[]): Promise<unknown> {
  try {
    return await client.call(args[0] as string, ...args.slice(1));
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const f32 = (...values: number[]): Buffer => Buffer.from(new Float32Array(values).buffer);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const REF_INDEX = 'llmcache:idx:v1:titan-v2:4';
const REF_PREFIX = 'llmcache:sem:';
const RUN = process.env.SEARCH_REDIS_URL ? `t${Date.now().toString(36)}` : '';
const INDEX = RUN ? `${REF_INDEX}:${RUN}` : REF_INDEX;
const PREFIX = RUN ? `${REF_PREFIX}${RUN}:` : REF_PREFIX;
const CREATE = ['FT.CREATE', INDEX, 'ON', 'HASH', 'PREFIX', '1', PREFIX, 'SCHEMA', 'scope', 'TAG', 'created', 'NUMERIC', 'vec', 'VECTOR', 'HNSW', '6', 'TYPE', 'FLOAT32', 'DIM', '4', 'DISTANCE_METRIC', 'COSINE'];
const Q = f32(1, 0, 0, 0);

let target: SearchTarget;
let client: Redis;
/** Which engine answers: the double, RediSearch (the transcript's engine), valkey-search, or unknown. */
let engine: 'double' | 'redisearch' | 'valkey-search' | 'other';
/** The double and RediSearch answer exactly as the transcript; other engines in their own words. */
let exact = true;

beforeAll(async () => {
  target = await startSearchTarget();
  client = new Redis(target.url, { maxRetriesPerRequest: 1 });
  engine = await engineOf(client);
  exact = engine === 'double' || engine === 'redisearch';
});

async function engineOf(redis: Redis): Promise<typeof engine> {
  if (target.kind === 'double') return 'double';
  const modules = await reply(redis, 'MODULE', 'LIST');
  if (!Array.isArray(modules) || !JSON.stringify(modules).includes('"search"')) return 'other';
  return /valkey_version:/.test(await redis.info('server')) ? 'valkey-search' : 'redisearch';
}

/** Field/value pairs of an FT reply as a map. */
const asMap = (list: unknown[]) => new Map(list.flatMap((item, i) => (i % 2 === 0 ? [[item, list[i + 1]] as const] : [])));

/** Waits until the index reports no backfill in progress (RediSearch / double `indexing`, valkey-search `backfill_in_progress`). */
async function indexed(index: string): Promise<Map<unknown, unknown>> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const info = asMap((await reply(client, 'FT.INFO', index)) as unknown[]);
    if ((info.get('indexing') ?? info.get('backfill_in_progress')) === '0' || Date.now() > deadline) return info;
    await sleep(50);
  }
}

/** Deletes the documents under a prefix (FT.DROPINDEX DD is not portable: valkey-search refuses it). */
async function deletePrefix(prefix: string): Promise<void> {
  const keys = await client.keys(`${prefix}*`);
  if (keys.length > 0) await client.del(...keys);
}

/** The wordings of a missing index the runtime recognises (lambda/backends/redis/search/ft-reply.ts). */
const UNKNOWN_INDEX = /no such index|unknown index name|index with name .* not found/i;

afterAll(async () => {
  client?.disconnect();
  await target?.stop();
});

describe('the reference transcript, replayed', () => {
  const storeDocument = (id: string, scope: string, created: string, vec: Buffer, answer: string) =>
    client.hset(`${PREFIX}${id}`, 'scope', scope, 'created', created, 'vec', vec, 'answer', answer);

  it('plain Redis answers FT._LIST with the unknown-command error (double only: it has the plain server behind it)', async () => {
    if (target.server === undefined) return;
    const plain = target.server.adminClient();
    try {
      expect(await reply(plain, 'FT._LIST')).toEqual(expected('plain Redis 7.0'));
    } finally {
      plain.disconnect();
    }
  });

  it('MODULE LIST is forwarded to the server behind the double', async () => {
    if (target.kind !== 'double') return;
    expect(await reply(client, 'MODULE', 'LIST')).toEqual(expected('plain Redis: MODULE LIST'));
  });

  it('lists no index and reports a missing one as the transcript does', async () => {
    if (target.kind === 'double') expect(await reply(client, 'FT._LIST')).toEqual(expected('search server, no index yet'));
    if (exact) expect(await reply(client, 'FT.INFO', INDEX)).toEqual(expected('FT.INFO of a missing index'));
    else expect((await reply(client, 'FT.INFO', INDEX)) as { error: string }).toEqual({ error: expect.stringMatching(UNKNOWN_INDEX) });
  });

  it('creates the index once; a second create is "Index already exists"', async () => {
    expect(await reply(client, ...CREATE)).toEqual(expected('create the index'));
    if (exact) expect(await reply(client, ...CREATE)).toEqual(expected('create it again'));
    else expect(await reply(client, ...CREATE)).toEqual({ error: expect.stringMatching(/already exists/i) });
    const list = (await reply(client, 'FT._LIST')) as string[];
    if (target.kind === 'double') expect(list).toEqual(expected('FT._LIST with the index'));
    else expect(list).toContain(INDEX);
  });

  it('answers KNN 1 inside a scope with RETURN of the score, score field first', async () => {
    await storeDocument('a', 'abc123', '1', f32(0.9, 0.1, 0, 0), 'A');
    await storeDocument('b', 'abc123', '2', f32(0.1, 0.9, 0, 0), 'B');
    // closer to the query than a or b, but in another scope
    await storeDocument('c', 'other', '3', f32(1, 0, 0, 0), 'C');
    // 12 bytes for a 4-dim index: not indexed, counted as an indexing failure
    await storeDocument('d', 'abc123', '4', f32(1, 0, 0), 'D');
    const got = await reply(client, 'FT.SEARCH', INDEX, '(@scope:{abc123})=>[KNN 1 @vec $B AS dist]', 'PARAMS', '2', 'B', Q, 'RETURN', '1', 'dist', 'DIALECT', '2');
    // the transcript's step, less the undeclared `answer` (see the next test)
    expect(got).toEqual([1, `${PREFIX}a`, ['dist', '0.00611627101898']]);
  });

  it('refuses the old runtime form RETURN 2 answer dist: answer is not a declared field (MemoryDB rule; double only)', async () => {
    if (target.kind !== 'double') return;
    const got = await reply(client, 'FT.SEARCH', INDEX, '(@scope:{abc123})=>[KNN 1 @vec $B AS dist]', 'PARAMS', '2', 'B', Q, 'RETURN', '2', 'dist', 'answer', 'DIALECT', '2');
    expect(got).toEqual({ error: 'RETURN field `answer` is not declared in the index: only fields declared for the index can be returned (MemoryDB FT.SEARCH)' });
  });

  it('returns every hash field (raw vector included) after __vec_score without RETURN', async () => {
    const got = (await reply(client, 'FT.SEARCH', INDEX, '(@scope:{abc123})=>[KNN 2 @vec $B]', 'PARAMS', '2', 'B', Q, 'DIALECT', '2')) as unknown[];
    const want = expected('KNN 2 without RETURN') as unknown[];
    if (engine === 'double') {
      expect(got).toEqual(want);
    } else {
      // real engines: the two documents in either order (no engine promises one); RediSearch the
      // transcript's field order, valkey-search the score first and the hash's fields in its own order
      const byKey = (reply: unknown[]) => new Map([1, 3].map((i) => [reply[i], reply[i + 1] as unknown[]] as const));
      const gotDocs = byKey(got);
      expect(got[0]).toBe(want[0]);
      for (const [key, fields] of byKey(want)) {
        if (exact) expect([key, gotDocs.get(key)]).toEqual([key, fields]);
        else expect([key, gotDocs.get(key)?.slice(0, 2), asMap(gotDocs.get(key) ?? [])]).toEqual([key, fields.slice(0, 2), asMap(fields)]);
      }
    }
  });

  it('returns the raw vector bytes unchanged (binary-safe)', async () => {
    const got = (await client.callBuffer('FT.SEARCH', INDEX, '(@scope:{abc123})=>[KNN 1 @vec $B]', 'PARAMS', '2', 'B', Q, 'RETURN', '1', 'vec', 'DIALECT', '2')) as [number, Buffer, Buffer[]];
    expect(got[2][1].equals(f32(0.9, 0.1, 0, 0))).toBe(true);
  });

  it('never returns a closer document from another scope', async () => {
    const anyScope = await reply(client, 'FT.SEARCH', INDEX, '*=>[KNN 1 @vec $B AS dist]', 'PARAMS', '2', 'B', Q, 'RETURN', '1', 'dist', 'DIALECT', '2');
    expect(anyScope).toEqual([1, `${PREFIX}c`, ['dist', '0']]);
    const scoped = (await reply(client, 'FT.SEARCH', INDEX, '(@scope:{abc123})=>[KNN 10 @vec $B AS dist]', 'PARAMS', '2', 'B', Q, 'RETURN', '1', 'dist', 'DIALECT', '2')) as unknown[];
    expect(scoped.filter((item) => typeof item === 'string').sort()).toEqual([`${PREFIX}a`, `${PREFIX}b`]);
  });

  it('answers [0] for a scope with no documents', async () => {
    const got = await reply(client, 'FT.SEARCH', INDEX, '(@scope:{nothing})=>[KNN 1 @vec $B AS dist]', 'PARAMS', '2', 'B', Q, 'RETURN', '1', 'dist', 'DIALECT', '2');
    expect(got).toEqual(expected('KNN in a scope with no documents'));
  });

  it('rejects a query vector of the wrong size with the real error text', async () => {
    const got = await reply(client, 'FT.SEARCH', INDEX, '*=>[KNN 1 @vec $B AS dist]', 'PARAMS', '2', 'B', f32(1, 0, 0), 'DIALECT', '2');
    if (exact) expect(got).toEqual(expected('query vector of the wrong size'));
    // valkey-search: "Error parsing vector similarity parameters: query vector blob size (12) ..."
    else expect(got).toEqual({ error: expect.stringMatching(/query vector blob size \(12\) does not match index's expected size \(16\)/) });
  });

  it('rejects KNN without DIALECT 2 as a syntax error (RediSearch; valkey-search has only dialect 2 and answers)', async () => {
    if (!exact) return;
    const got = await reply(client, 'FT.SEARCH', INDEX, '*=>[KNN 1 @vec $B AS dist]', 'PARAMS', '2', 'B', Q);
    expect(got).toEqual(expected('without DIALECT 2'));
  });

  it('drops a hash from the index when its TTL expires', async () => {
    // valkey-search also counts the wrong-size document d in num_docs (its other fields are indexed)
    const before = Number((await indexed(INDEX)).get('num_docs'));
    if (exact) expect(before).toBe(3);
    await client.pexpire(`${PREFIX}a`, 100);
    // FT.INFO does not read documents back: num_docs falls only through the expired event. A read
    // of the key expires it at once (lazy expiry) where the server's active cycle, sampling among
    // every key with a TTL that the other suites left, may not reach it for seconds on a busy host.
    const deadline = Date.now() + 5000;
    let info: string[] = [];
    do {
      await sleep(100);
      await client.exists(`${PREFIX}a`);
      info = (await reply(client, 'FT.INFO', INDEX)) as string[];
    } while (info[info.indexOf('num_docs') + 1] !== String(before - 1) && Date.now() < deadline);
    expect(info[info.indexOf('num_docs') + 1]).toBe(String(before - 1));
    const got = await reply(client, 'FT.SEARCH', INDEX, '(@scope:{abc123})=>[KNN 2 @vec $B AS dist]', 'PARAMS', '2', 'B', f32(0, 0, 1, 0), 'RETURN', '2', 'scope', 'dist', 'DIALECT', '2');
    // the transcript's step with the declared `scope` returned in place of the undeclared `answer`
    if (exact) expect(got).toEqual([1, `${PREFIX}b`, ['dist', '1', 'scope', 'abc123']]);
    else expect(got).toEqual([1, `${PREFIX}b`, ['scope', 'abc123', 'dist', '1']]); // valkey-search: RETURN's order
  });

  it('reports FT.INFO in the transcript shape, counting the wrong-size document as a failure', async () => {
    await indexed(INDEX);
    const got = (await reply(client, 'FT.INFO', INDEX)) as unknown[];
    if (!exact) {
      // valkey-search's FT.INFO has other keys (backfill_in_progress, state, ...); the wrong-size
      // vector is counted as a failure there too
      const info = asMap(got);
      expect([info.get('index_name'), info.get('backfill_in_progress'), info.get('state')]).toEqual([INDEX, '0', 'ready']);
      expect(Number(info.get('hash_indexing_failures'))).toBeGreaterThanOrEqual(1);
      return;
    }
    const want = expected('FT.INFO (excerpt') as unknown[];
    const gotMap = asMap(got);
    const wantMap = asMap(want);
    for (const field of ['index_name', 'index_options', 'index_definition', 'num_docs', 'indexing', 'percent_indexed']) {
      expect([field, gotMap.get(field)]).toEqual([field, wantMap.get(field)]);
    }
    // the double counts each failed document once, as the transcript; RediSearch 2.6.37 counted 2 in some runs
    if (engine === 'double') expect(gotMap.get('hash_indexing_failures')).toBe(wantMap.get('hash_indexing_failures'));
    else expect(Number(gotMap.get('hash_indexing_failures'))).toBeGreaterThanOrEqual(1);
    // the transcript's VECTOR attribute shows blob placeholders where "attribute" and "type" are
    expect(gotMap.get('attributes')).toEqual(wantMap.get('attributes'));
    if (target.kind === 'double') {
      // same keys in the same order, same value kinds (integer vs string vs array)
      expect(got.filter((_item, i) => i % 2 === 0)).toEqual(want.filter((_item, i) => i % 2 === 0));
      const kind = (value: unknown) => (Array.isArray(value) ? 'array' : typeof value);
      expect([...gotMap].map(([key, value]) => [key, kind(value)])).toEqual([...wantMap].map(([key, value]) => [key, kind(value)]));
      for (const field of ['max_doc_id', 'num_records', 'records_per_doc_avg', 'gc_stats', 'cursor_stats', 'dialect_stats']) {
        expect([field, gotMap.get(field)]).toEqual([field, wantMap.get(field)]);
      }
    }
  });

  it('drops the index and keeps the documents', async () => {
    expect(await reply(client, 'FT.DROPINDEX', INDEX)).toEqual(expected('drop the index'));
    expect(await client.exists(`${PREFIX}b`)).toBe(1);
    if (exact) expect(await reply(client, 'FT.INFO', INDEX)).toEqual(expected('FT.INFO of a missing index'));
    else expect(await reply(client, 'FT.INFO', INDEX)).toEqual({ error: expect.stringMatching(UNKNOWN_INDEX) });
    await client.del(`${PREFIX}b`, `${PREFIX}c`, `${PREFIX}d`);
  });
});

describe('consistency and ordering', () => {
  const index = `${INDEX}:order`;
  const prefix = `${PREFIX}order:`;

  beforeAll(async () => {
    await client.call('FT.CREATE', index, 'ON', 'HASH', 'PREFIX', '1', prefix, 'SCHEMA', 'scope', 'TAG', 'vec', 'VECTOR', 'FLAT', '6', 'TYPE', 'FLOAT32', 'DIM', '4', 'DISTANCE_METRIC', 'COSINE');
  });

  afterAll(async () => {
    await client.call('FT.DROPINDEX', index);
    await deletePrefix(prefix);
  });

  const knn = (scope: string, k = 10) => ['FT.SEARCH', index, `(@scope:{${scope}})=>[KNN ${k} @vec $B AS dist]`, 'PARAMS', '2', 'B', Q, 'RETURN', '1', 'dist', 'DIALECT', '2'];

  it('lets two racing FT.CREATE calls end with one OK and one "Index already exists"', async () => {
    const other = new Redis(target.url);
    try {
      const name = `${index}:race`;
      const create = (redis: Redis) => reply(redis, 'FT.CREATE', name, 'ON', 'HASH', 'PREFIX', '1', `${prefix}race:`, 'SCHEMA', 'scope', 'TAG', 'vec', 'VECTOR', 'FLAT', '6', 'TYPE', 'FLOAT32', 'DIM', '4', 'DISTANCE_METRIC', 'COSINE');
      const results = await Promise.all([create(client), create(other)]);
      expect(results).toEqual(expect.arrayContaining(['OK', { error: exact ? 'Index already exists' : expect.stringMatching(/already exists/i) }]));
      await client.call('FT.DROPINDEX', name);
    } finally {
      other.disconnect();
    }
  });

  it('answers a pipeline mixing writes and searches in order, each search seeing only the writes before it', async () => {
    const results = await client
      .pipeline()
      .hset(`${prefix}p1`, 'scope', 'pipe', 'vec', f32(1, 0, 0, 0))
      .call(...(knn('pipe') as [string, ...(string | Buffer)[]]))
      .hset(`${prefix}p2`, 'scope', 'pipe', 'vec', f32(0, 1, 0, 0))
      .call(...(knn('pipe') as [string, ...(string | Buffer)[]]))
      .del(`${prefix}p1`)
      .call(...(knn('pipe') as [string, ...(string | Buffer)[]]))
      .get(`${prefix}none`)
      .exec();
    // the two-document reply in document order (the double); a real engine may answer in either order
    const [, twoDocs] = results![3]!;
    if (engine !== 'double' && Array.isArray(twoDocs) && twoDocs[1] === `${prefix}p2`) results![3] = [null, [2, twoDocs[3], twoDocs[4], twoDocs[1], twoDocs[2]]];
    expect(results).toEqual([
      [null, 2],
      [null, [1, `${prefix}p1`, ['dist', '0']]],
      [null, 2],
      [null, [2, `${prefix}p1`, ['dist', '0'], `${prefix}p2`, ['dist', '1']]],
      [null, 1],
      [null, [1, `${prefix}p2`, ['dist', '1']]],
      [null, null],
    ]);
  });

  it('sees writes made inside MULTI once EXEC has run', async () => {
    await client.multi().hset(`${prefix}m1`, 'scope', 'multi', 'vec', f32(1, 0, 0, 0)).pexpire(`${prefix}m1`, 60_000).exec();
    expect(await reply(client, ...knn('multi'))).toEqual([1, `${prefix}m1`, ['dist', '0']]);
  });

  it('sees writes made by another connection straight away', async () => {
    const other = new Redis(target.url);
    try {
      await other.hset(`${prefix}o1`, 'scope', 'other-conn', 'vec', f32(0, 0, 1, 0));
      expect(await reply(client, ...knn('other\\-conn'))).toEqual([1, `${prefix}o1`, ['dist', '1']]);
    } finally {
      other.disconnect();
    }
  });

  it('sees writes made directly on the backing server, past the proxy (keyspace notifications)', async () => {
    if (target.server === undefined) return;
    const direct = target.server.adminClient();
    try {
      await direct.hset(`${prefix}d1`, 'scope', 'direct', 'vec', f32(0, 1, 0, 0));
      expect(await reply(client, ...knn('direct'))).toEqual([1, `${prefix}d1`, ['dist', '1']]);
      await direct.del(`${prefix}d1`);
      expect(await reply(client, ...knn('direct'))).toEqual([0]);
    } finally {
      direct.disconnect();
    }
  });

  it('re-indexes a document whose vector is rewritten', async () => {
    await client.hset(`${prefix}r1`, 'scope', 'rewrite', 'vec', f32(0, 1, 0, 0));
    expect(await reply(client, ...knn('rewrite'))).toEqual([1, `${prefix}r1`, ['dist', '1']]);
    await client.hset(`${prefix}r1`, 'vec', f32(1, 0, 0, 0));
    expect(await reply(client, ...knn('rewrite'))).toEqual([1, `${prefix}r1`, ['dist', '0']]);
  });

  it('matches any of several tag alternatives and escaped tag characters', async () => {
    await client.hset(`${prefix}t1`, 'scope', 'tenant-a', 'vec', f32(1, 0, 0, 0));
    await client.hset(`${prefix}t2`, 'scope', 'tenant-b', 'vec', f32(0, 1, 0, 0));
    const got = (await reply(client, ...knn('tenant\\-a | tenant\\-b'))) as unknown[];
    expect(got[0]).toBe(2);
  });
});

describe('KNN reply order and LIMIT, as the engines answer (no page promises nearest first)', () => {
  const index = `${INDEX}:rank`;
  const prefix = `${PREFIX}rank:`;
  const N = 12;
  /** Document i of N at angle (N - i) * 0.05 from Q: the first stored is the farthest. */
  const keyOf = (i: number) => `${prefix}${String(i).padStart(2, '0')}`;
  const nearestFirst = Array.from({ length: N }, (_unused, i) => keyOf(N - 1 - i));
  const keysOf = (got: unknown[]) => got.filter((_item, i) => i % 2 === 1);
  const scoresOf = (got: unknown[]) => got.filter((_item, i) => i > 0 && i % 2 === 0).map((fields) => Number((fields as string[])[1]));
  const knn = (k: number, ...limit: string[]) =>
    reply(client, 'FT.SEARCH', index, `(@scope:{r})=>[KNN ${k} @vec $B]`, 'PARAMS', '2', 'B', Q, 'RETURN', '1', '__vec_score', ...limit, 'DIALECT', '2') as Promise<unknown[]>;

  beforeAll(async () => {
    await client.call('FT.CREATE', index, 'ON', 'HASH', 'PREFIX', '1', prefix, 'SCHEMA', 'scope', 'TAG', 'vec', 'VECTOR', 'HNSW', '6', 'TYPE', 'FLOAT32', 'DIM', '4', 'DISTANCE_METRIC', 'COSINE');
    for (let i = 0; i < N; i++) {
      const angle = (N - i) * 0.05;
      await client.hset(keyOf(i), 'scope', 'r', 'vec', f32(Math.cos(angle), Math.sin(angle), 0, 0));
    }
    await indexed(index);
  });

  afterAll(async () => {
    await client.call('FT.DROPINDEX', index);
    await deletePrefix(prefix);
  });

  it('returns the K nearest: in document order on the double, in no fixed order on RediSearch, nearest first on valkey-search', async () => {
    const got = await knn(4);
    expect(got[0]).toBe(4);
    expect([...keysOf(got)].sort()).toEqual(nearestFirst.slice(0, 4).sort());
    // RediSearch 2.6.37 gave document order (the nearest last) in most runs, the nearest first in others
    if (engine === 'double') {
      expect(keysOf(got)).toEqual(nearestFirst.slice(0, 4).reverse()); // stored order: the nearest comes last
      expect(scoresOf(got)).toEqual([...scoresOf(got)].sort((a, b) => b - a));
    }
    if (engine === 'valkey-search') expect(keysOf(got)).toEqual(nearestFirst.slice(0, 4));
  });

  it('returns at most 10 documents without LIMIT: not the 10 nearest on RediSearch, the first 10 in document order on the double', async () => {
    const got = await knn(N);
    expect(got[0]).toBe(N);
    expect(keysOf(got)).toHaveLength(10);
    // RediSearch 2.6.37 returned 10 of the 12 in no distance order (seen: the nearest, or the two
    // nearest, left out); the double keeps the first 10 in document order, so the nearest is lost
    if (engine === 'double') expect(keysOf(got)).toEqual(nearestFirst.slice(2).reverse());
    if (engine === 'valkey-search') expect(keysOf(got)).toEqual(nearestFirst.slice(0, 10));
  });

  it('returns all K with LIMIT 0 K (what the runtime sends)', async () => {
    const got = await knn(N, 'LIMIT', '0', String(N));
    expect(got[0]).toBe(N);
    expect([...keysOf(got)].sort()).toEqual([...nearestFirst].sort());
  });

  it('pages with LIMIT after ordering, the total staying K', async () => {
    const got = await knn(4, 'LIMIT', '1', '2');
    expect(got[0]).toBe(4);
    const all = keysOf(await knn(4));
    expect(keysOf(got)).toEqual(all.slice(1, 3));
  });
});

describe('what valkey-search refuses, and the double with it (RediSearch accepts these)', () => {
  const index = `${INDEX}:vs`;

  it('refuses an index without a vector field', async () => {
    if (engine === 'redisearch' || engine === 'other') return;
    expect(await reply(client, 'FT.CREATE', index, 'ON', 'HASH', 'PREFIX', '1', `${PREFIX}vs:`, 'SCHEMA', 'scope', 'TAG')).toEqual({ error: 'At least one attribute must be indexed as a vector' });
  });

  it('refuses FT.DROPINDEX with DD (one argument only) and keeps the index', async () => {
    if (engine === 'redisearch' || engine === 'other') return;
    await client.call('FT.CREATE', index, 'ON', 'HASH', 'PREFIX', '1', `${PREFIX}vs:`, 'SCHEMA', 'vec', 'VECTOR', 'FLAT', '6', 'TYPE', 'FLOAT32', 'DIM', '4', 'DISTANCE_METRIC', 'COSINE');
    try {
      expect(await reply(client, 'FT.DROPINDEX', index, 'DD')).toEqual({ error: 'ERR wrong number of arguments for FT.DROPINDEX command' });
      expect(await client.call('FT._LIST')).toContain(index);
    } finally {
      await client.call('FT.DROPINDEX', index);
    }
  });

  it('refuses KNN 0', async () => {
    if (engine === 'redisearch' || engine === 'other') return;
    expect(await reply(client, 'FT.SEARCH', `${INDEX}:rank:none`, '*=>[KNN 0 @vec $B]', 'PARAMS', '2', 'B', Q, 'DIALECT', '2')).toEqual({ error: expect.any(String) });
  });

  it('reports a backfill in progress right after FT.CREATE, then done, and answers searches meanwhile', async () => {
    if (engine === 'redisearch' || engine === 'other') return;
    const name = `${index}:backfill`;
    const prefix = `${PREFIX}vs:backfill:`;
    await client.hset(`${prefix}1`, 'vec', f32(1, 0, 0, 0));
    await client.call('FT.CREATE', name, 'ON', 'HASH', 'PREFIX', '1', prefix, 'SCHEMA', 'vec', 'VECTOR', 'FLAT', '6', 'TYPE', 'FLOAT32', 'DIM', '4', 'DISTANCE_METRIC', 'COSINE');
    try {
      const field = engine === 'valkey-search' ? 'backfill_in_progress' : 'indexing';
      const first = asMap((await client.call('FT.INFO', name)) as unknown[]);
      expect(first.get(field)).toBe('1');
      const during = (await reply(client, 'FT.SEARCH', name, '*=>[KNN 1 @vec $B]', 'PARAMS', '2', 'B', Q, 'RETURN', '1', '__vec_score', 'LIMIT', '0', '1', 'DIALECT', '2')) as unknown[];
      expect(during[0]).toBeLessThanOrEqual(1); // what is indexed so far (the double: everything)
      const started = Date.now();
      expect((await indexed(name)).get(field)).toBe('0');
      console.log(`${engine}: backfill reported for about ${Date.now() - started} ms more after the first FT.INFO`);
    } finally {
      await client.call('FT.DROPINDEX', name);
      await deletePrefix(prefix);
    }
  });
});

describe('the portable dialect only (double only: stricter than RediSearch, as strict as MemoryDB documents)', () => {
  const index = `${INDEX}:strict`;
  const prefix = `${PREFIX}strict:`;
  const schema = ['SCHEMA', 'scope', 'TAG', 'vec', 'VECTOR', 'HNSW', '6', 'TYPE', 'FLOAT32', 'DIM', '4', 'DISTANCE_METRIC', 'COSINE'];
  const search = (...options: (string | Buffer)[]) => reply(client, 'FT.SEARCH', index, '(@scope:{s})=>[KNN 1 @vec $B]', 'PARAMS', '2', 'B', Q, ...options);

  beforeAll(async () => {
    if (target.kind === 'double') await client.call('FT.CREATE', index, 'ON', 'HASH', 'PREFIX', '1', prefix, ...schema);
  });

  afterAll(async () => {
    if (target.kind !== 'double') return;
    await client.call('FT.DROPINDEX', index);
    await deletePrefix(prefix);
  });

  it.each<[string, string[]]>([
    ['a TEXT field', ['FT.CREATE', `${index}:x`, 'ON', 'HASH', 'SCHEMA', 'answer', 'TEXT']],
    ['SORTABLE', ['FT.CREATE', `${index}:x`, 'ON', 'HASH', 'SCHEMA', 'created', 'NUMERIC', 'SORTABLE']],
    ['FT.CREATE without ON HASH', ['FT.CREATE', `${index}:x`, 'SCHEMA', 'scope', 'TAG']],
    ['a FLAT BLOCK_SIZE', ['FT.CREATE', `${index}:x`, 'ON', 'HASH', 'SCHEMA', 'vec', 'VECTOR', 'FLAT', '8', 'TYPE', 'FLOAT32', 'DIM', '4', 'DISTANCE_METRIC', 'COSINE', 'BLOCK_SIZE', '8']],
    ['an FT.CREATE option (STOPWORDS)', ['FT.CREATE', `${index}:x`, 'ON', 'HASH', 'STOPWORDS', '0', 'SCHEMA', 'scope', 'TAG']],
  ])('refuses %s', async (_name, command) => {
    if (target.kind !== 'double') return;
    const got = (await reply(client, ...command)) as { error?: string };
    expect(got.error).toMatch(/outside the portable FT dialect/);
  });

  it.each<[string, string[]]>([
    ['NOCONTENT', ['NOCONTENT', 'DIALECT', '2']],
    ['SORTBY', ['SORTBY', '__vec_score', 'DIALECT', '2']],
    ['DIALECT 3', ['DIALECT', '3']],
  ])('refuses the FT.SEARCH option %s', async (_name, options) => {
    if (target.kind !== 'double') return;
    const got = (await search(...options)) as { error?: string };
    expect(got.error).toMatch(/outside the portable FT dialect/);
  });

  it('accepts the runtime form: KNN without AS, no RETURN, PARAMS, DIALECT 2, the score under __vec_score', async () => {
    if (target.kind !== 'double') return;
    await client.hset(`${prefix}1`, 'scope', 's', 'vec', f32(1, 0, 0, 0), 'answer', 'A');
    expect(await search('DIALECT', '2')).toEqual([1, `${prefix}1`, ['__vec_score', '0', 'scope', 's', 'vec', expect.any(String), 'answer', 'A']]);
  });

  it('returns an expired document the server has not reclaimed with no fields, in its rank (active expiry paused)', async () => {
    if (target.server === undefined) return;
    const admin = target.server.adminClient();
    try {
      await client.hset(`${prefix}old`, 'scope', 'e', 'vec', f32(1, 0, 0, 0));
      await client.hset(`${prefix}live`, 'scope', 'e', 'vec', f32(0.95, 0.31, 0, 0));
      await admin.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
      await client.pexpire(`${prefix}old`, 300);
      const knn = (k: number) => reply(client, 'FT.SEARCH', index, `(@scope:{e})=>[KNN ${k} @vec $B]`, 'PARAMS', '2', 'B', Q, 'RETURN', '1', 'scope', 'DIALECT', '2');
      // indexed while alive; then it expires with no event (nothing reads it, active expiry is off)
      expect(await knn(1)).toEqual([1, `${prefix}old`, ['scope', 'e']]);
      await sleep(400);
      expect(await knn(1)).toEqual([1, `${prefix}old`, []]);
      // reading it reclaimed it: the next search no longer sees it
      expect(await knn(1)).toEqual([1, `${prefix}live`, ['scope', 'e']]);
    } finally {
      await admin.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
      admin.disconnect();
    }
  });
});

describe('scale', () => {
  it('answers a KNN over 10k documents of 1024 dims', async () => {
    if (target.kind !== 'double') return;
    const index = `${INDEX}:scale`;
    const prefix = `${PREFIX}scale:`;
    await client.call('FT.CREATE', index, 'ON', 'HASH', 'PREFIX', '1', prefix, 'SCHEMA', 'scope', 'TAG', 'vec', 'VECTOR', 'HNSW', '6', 'TYPE', 'FLOAT32', 'DIM', '1024', 'DISTANCE_METRIC', 'COSINE');
    const random = (): Buffer => f32(...Array.from({ length: 1024 }, () => Math.random() - 0.5));
    for (let batch = 0; batch < 10; batch++) {
      const pipeline = client.pipeline();
      for (let i = 0; i < 1000; i++) pipeline.hset(`${prefix}${batch * 1000 + i}`, 'scope', 's', 'vec', random());
      await pipeline.exec();
    }
    const query = ['FT.SEARCH', index, '(@scope:{s})=>[KNN 1 @vec $B AS dist]', 'PARAMS', '2', 'B', random(), 'RETURN', '1', 'dist', 'DIALECT', '2'];
    const first = performance.now();
    await client.call(...(query as [string, ...(string | Buffer)[]]));
    const firstMs = performance.now() - first;
    const timings: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      const got = (await client.call(...(query as [string, ...(string | Buffer)[]]))) as unknown[];
      timings.push(performance.now() - started);
      expect(got[0]).toBe(1);
    }
    console.log(`FT.SEARCH KNN 1 over 10k x 1024-dim: first ${firstMs.toFixed(1)} ms (includes indexing), then ${timings.map((ms) => ms.toFixed(1)).join(', ')} ms`);
    await client.call('FT.DROPINDEX', index);
    await deletePrefix(prefix);
  });
});
