import { isUnknownIndex, parseCandidates, rankCandidates } from '../../../../../lambda/backends/redis/search/ft-reply';
import { EF_RUNTIME, MAX_EF_RUNTIME, MAX_KNN_CANDIDATES, SearchIndex } from '../../../../../lambda/backends/redis/search/search-index';
import { ConfigurationError } from '../../../../../lambda/core/errors';
import type { RedisCommands } from '../../../../../lambda/backends/redis/connection/redis-commands';
import { CandidateCheck } from '../../../../../lambda/semantic/same-question/candidate-check';
import { MAX_REJECTING_ASKERS } from '../../../../../lambda/semantic/semantic-index';

/**
 * Replies of a real RediSearch 2.6 to FT.SEARCH, exactly as ioredis `call()` returns them, copied
 * from the project's reference transcript (ft-transcript.json) so this suite runs anywhere.
 */
const REPLIES = {
  /** `KNN 2 @vec $B` without AS or RETURN: the score is `__vec_score` and every field comes back. */
  knn2WithoutReturn: [
    2,
    'llmcache:sem:a',
    ['__vec_score', '0.00611627101898', 'scope', 'abc123', 'created', '1', 'vec', '<16-byte float32 blob>', 'answer', 'A'],
    'llmcache:sem:b',
    ['__vec_score', '0.889568448067', 'scope', 'abc123', 'created', '2', 'vec', '<16-byte float32 blob>', 'answer', 'B'],
  ],
  /** KNN in a scope with no documents. */
  empty: [0],
} as const;

describe('parseCandidates', () => {
  it('reads every neighbour of a KNN reply without RETURN, nearest first, by the default score name', () => {
    expect(parseCandidates(REPLIES.knn2WithoutReturn, '__vec_score')).toEqual([
      { key: 'llmcache:sem:a', distance: 0.00611627101898 },
      { key: 'llmcache:sem:b', distance: 0.889568448067 },
    ]);
  });

  it('returns no candidate for a reply with no documents', () => {
    expect(parseCandidates(REPLIES.empty, '__vec_score')).toEqual([]);
  });

  it('skips an expired document that came back with no fields and keeps the live one behind it', () => {
    const reply = [2, 'gone', [], 'live', ['__vec_score', '0.05']];

    expect(parseCandidates(reply, '__vec_score')).toEqual([{ key: 'live', distance: 0.05 }]);
  });

  it('skips a document whose score is not a number', () => {
    expect(parseCandidates([1, 'k', ['__vec_score', 'nan?']], '__vec_score')).toEqual([]);
  });

  it('does not take another field for the score', () => {
    expect(parseCandidates([1, 'k', ['dist', '0.1']], '__vec_score')).toEqual([]);
  });

  it('reads keys and scores returned as Buffers', () => {
    expect(parseCandidates([1, Buffer.from('k'), [Buffer.from('__vec_score'), Buffer.from('0.25')]], '__vec_score')).toEqual([{ key: 'k', distance: 0.25 }]);
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['a string', 'OK'],
    ['an error object', { error: 'Unknown Index name' }],
    ['a hit without fields', [1, 'k', 'not-an-array']],
  ])('returns no candidate for %s', (_name, reply) => {
    expect(parseCandidates(reply, '__vec_score')).toEqual([]);
  });
});

describe('SearchIndex index creation (index version 3)', () => {
  it('creates the index with the chosen EF_RUNTIME and the check TAG declared', async () => {
    const { client, sent } = fakeRedis({ search: () => [0] });

    await index(client).ensureIndex();

    const create = sent.find((command) => command[0] === 'FT.CREATE')!.map(String);
    expect(create.slice(1, 6)).toEqual(['llmcache:idx:v1:s3:m:4', 'ON', 'HASH', 'PREFIX', '1']);
    expect(create[6]).toBe(INDEX_PREFIX);
    expect(create.slice(7, 14)).toEqual(['SCHEMA', 'scope', 'TAG', 'created', 'NUMERIC', 'check', 'TAG']);
    expect(create.slice(create.indexOf('HNSW'), create.indexOf('HNSW') + 2)).toEqual(['HNSW', '12']);
    expect(create.slice(-2)).toEqual(['EF_RUNTIME', String(EF_RUNTIME)]);
  });

  it('takes EF_RUNTIME from the options', async () => {
    const { client, sent } = fakeRedis({ search: () => [0] });

    await new SearchIndex(async () => client, { embeddingModelId: 'm', dimensions: 4, efRuntime: 77 }).ensureIndex();

    expect(sent.find((command) => command[0] === 'FT.CREATE')!.slice(-2)).toEqual(['EF_RUNTIME', '77']);
  });

  it.each([0, -1, 1.5, 4097, Number.NaN])('refuses efRuntime %s with a ConfigurationError', (efRuntime) => {
    const { client } = fakeRedis({ search: () => [0] });

    expect(() => new SearchIndex(async () => client, { embeddingModelId: 'm', dimensions: 4, efRuntime })).toThrow(ConfigurationError);
  });

  it('accepts the services\' largest efRuntime, 4096', () => {
    const { client } = fakeRedis({ search: () => [0] });

    expect(() => new SearchIndex(async () => client, { embeddingModelId: 'm', dimensions: 4, efRuntime: MAX_EF_RUNTIME })).not.toThrow();
  });

  it('drops the version-1 and version-2 indexes of the same model and dimension, keeping their documents (no DD)', async () => {
    const { client, sent } = fakeRedis({ search: () => [0] });

    await index(client).ensureIndex();

    expect(sent.filter((command) => command[0] === 'FT.DROPINDEX')).toEqual([['FT.DROPINDEX', 'llmcache:idx:v1:m:4'], ['FT.DROPINDEX', 'llmcache:idx:v1:s2:m:4']]);
  });

  it('searches normally when the drop is refused (no such index, or no grant)', async () => {
    const { client } = fakeRedis({ search: () => [1, `${PREFIX}a`, ['__vec_score', '0.02']], answers: { [`${PREFIX}a`]: 'A' } });

    expect((await index(client).search('abc', Q, 0.9))?.entry).toBe('A');
  });
});

describe('rankCandidates', () => {
  it('puts the nearest first whatever the reply order (RediSearch 2.6 replies in document order)', () => {
    const reply = [4, 'a', ['__vec_score', '0.0012'], 'b', ['__vec_score', '0.0002'], 'c', ['__vec_score', '0.0001'], 'd', ['__vec_score', '0.0010']];

    expect(rankCandidates(parseCandidates(reply, '__vec_score')).map((candidate) => candidate.key)).toEqual(['c', 'b', 'd', 'a']);
  });

  it('keeps the reply order of equal distances and leaves its input unchanged', () => {
    const input = [{ key: 'x', distance: 0.5 }, { key: 'y', distance: 0.1 }, { key: 'z', distance: 0.5 }];

    expect(rankCandidates(input).map((candidate) => candidate.key)).toEqual(['y', 'x', 'z']);
    expect(input.map((candidate) => candidate.key)).toEqual(['x', 'y', 'z']);
  });
});

describe('isUnknownIndex', () => {
  it.each([
    'llmcache:idx:v1:m:4: no such index',
    'Unknown Index name',
    "Index with name 'llmcache:idx:v1:m:4' not found",
  ])('recognises "%s"', (message) => {
    expect(isUnknownIndex(new Error(message))).toBe(true);
  });

  it.each(['Index already exists', 'Syntax error at offset 1 near >[', 'LOADING Redis is loading the dataset in memory'])('does not take "%s" for a lost index', (message) => {
    expect(isUnknownIndex(new Error(message))).toBe(false);
  });
});

/** A scripted client: FT.* and HGET replies by command; records what was sent. */
function fakeRedis(handlers: { search: (call: number) => unknown; answers?: Record<string, string | null>; rejected?: Record<string, string> }) {
  const sent: (string | number | Buffer)[][] = [];
  let searches = 0;
  const client = {
    call: jest.fn(async (command: string, ...args: (string | number | Buffer)[]) => {
      sent.push([command, ...args]);
      if (command === 'FT.CREATE') return 'OK';
      if (command === 'FT.SEARCH') {
        const reply = handlers.search(searches++);
        if (reply instanceof Error) throw reply;
        return reply;
      }
      if (command === 'HGET' && args[1] === 'rejected') return handlers.rejected?.[String(args[0])] ?? null;
      if (command === 'HGET') return handlers.answers?.[String(args[0])] ?? null;
      if (command === 'UNLINK') return handlers.answers?.[String(args[0])] === undefined ? 0 : 1;
      if (command === 'FT.DROPINDEX') throw new Error('Unknown Index name');
      throw new Error(`unexpected ${command}`);
    }),
    eval: jest.fn(async () => 1),
  };
  return { client: client as unknown as RedisCommands, sent };
}

/** The index's PREFIX, and the key prefix of namespace `ns`'s documents under it. */
const INDEX_PREFIX = 'llmcache:sem:v1:s3:m:4:';
const PREFIX = `${INDEX_PREFIX}ns:`;
const Q = new Float32Array([1, 0, 0, 0]);
const index = (client: RedisCommands, candidates?: number) => new SearchIndex(async () => client, { embeddingModelId: 'm', dimensions: 4, candidates });
const hgets = (sent: (string | number | Buffer)[][]) => sent.filter((command) => command[0] === 'HGET');

describe('SearchIndex.search (two-step read)', () => {
  it('sends KNN 4 with LIMIT 0 4, no RETURN and no AS, in DIALECT 2', async () => {
    const { client, sent } = fakeRedis({ search: () => [0] });

    await index(client).search('abc', Q, 0.9);

    const search = sent.find((command) => command[0] === 'FT.SEARCH')!;
    expect(search.slice(0, 3)).toEqual(['FT.SEARCH', 'llmcache:idx:v1:s3:m:4', '(@scope:{abc})=>[KNN 4 @vec $B]']);
    expect(search.slice(3, 6)).toEqual(['PARAMS', '2', 'B']);
    expect(search.slice(7)).toEqual(['LIMIT', '0', '4', 'DIALECT', '2']);
  });

  it('asks for K neighbours with LIMIT 0 K, so a K above the engines\' default of 10 results is not cut', async () => {
    const { client, sent } = fakeRedis({ search: () => [0] });

    await index(client, 12).search('abc', Q, 0.9);

    const search = sent.find((command) => command[0] === 'FT.SEARCH')!;
    expect(search[2]).toBe('(@scope:{abc})=>[KNN 12 @vec $B]');
    expect(search.slice(7)).toEqual(['LIMIT', '0', '12', 'DIALECT', '2']);
  });

  it.each([0, -1, 1.5, Number.NaN, MAX_KNN_CANDIDATES + 1])('refuses %p neighbours per search with a configuration error', (candidates) => {
    const { client } = fakeRedis({ search: () => [0] });

    expect(() => index(client, candidates)).toThrow(ConfigurationError);
  });

  it('answers with the nearest candidate when the engine replies in document order (RediSearch 2.6 without SORTBY)', async () => {
    // the scores RediSearch 2.6 returned in this order for one query (issue 19)
    const reply = [4, `${PREFIX}a`, ['__vec_score', '0.0012'], `${PREFIX}b`, ['__vec_score', '0.0002'], `${PREFIX}c`, ['__vec_score', '0.0001'], `${PREFIX}d`, ['__vec_score', '0.0010']];
    const answers = { [`${PREFIX}a`]: 'A', [`${PREFIX}b`]: 'B', [`${PREFIX}c`]: 'C', [`${PREFIX}d`]: 'D' };
    const { client, sent } = fakeRedis({ search: () => reply, answers });

    const hit = await index(client).search('abc', Q, 0.8);

    expect(hit).toEqual({ entry: 'C', similarity: 1 - 0.0001, id: 'c' });
    expect(hgets(sent)).toEqual([['HGET', `${PREFIX}c`, 'answer']]);
  });

  it('reads the answer of the best match by key with HGET', async () => {
    const { client, sent } = fakeRedis({ search: () => [1, `${PREFIX}a`, ['__vec_score', '0.02']], answers: { [`${PREFIX}a`]: 'A' } });

    const hit = await index(client).search('abc', Q, 0.9);

    expect(hit).toEqual({ entry: 'A', similarity: 0.98, id: 'a' });
    expect(sent.filter((command) => command[0] === 'HGET')).toEqual([['HGET', `${PREFIX}a`, 'answer']]);
  });

  it('sends no second command when no neighbour clears the threshold', async () => {
    const { client, sent } = fakeRedis({ search: () => [1, `${PREFIX}a`, ['__vec_score', '0.5']] });

    expect(await index(client).search('abc', Q, 0.9)).toBeNull();
    expect(sent.some((command) => command[0] === 'HGET')).toBe(false);
  });

  it('takes the next live neighbour when the nearest one has expired (no fields, or HGET finds nothing)', async () => {
    const reply = [3, `${PREFIX}gone`, [], `${PREFIX}expired`, ['__vec_score', '0.01'], `${PREFIX}live`, ['__vec_score', '0.05']];
    const { client } = fakeRedis({ search: () => reply, answers: { [`${PREFIX}expired`]: null, [`${PREFIX}live`]: 'LIVE' } });

    const hit = await index(client).search('abc', Q, 0.9);

    expect(hit?.entry).toBe('LIVE');
    expect(hit?.similarity).toBeCloseTo(0.95, 10);
  });

  it('reads the others that clear the threshold only when the nearest has gone, and takes the nearest present one', async () => {
    const reply = [4, `${PREFIX}far`, ['__vec_score', '0.08'], `${PREFIX}below`, ['__vec_score', '0.5'], `${PREFIX}near`, ['__vec_score', '0.01'], `${PREFIX}mid`, ['__vec_score', '0.04']];
    const { client, sent } = fakeRedis({ search: () => reply, answers: { [`${PREFIX}near`]: null, [`${PREFIX}mid`]: 'MID', [`${PREFIX}far`]: 'FAR' } });

    const hit = await index(client).search('abc', Q, 0.9);

    expect(hit).toEqual({ entry: 'MID', similarity: 1 - 0.04, id: 'mid' });
    expect(hgets(sent).map((command) => command[1])).toEqual([`${PREFIX}near`, `${PREFIX}mid`, `${PREFIX}far`]);
  });

  it('returns null when every matching neighbour has gone', async () => {
    const { client } = fakeRedis({ search: () => [1, `${PREFIX}a`, ['__vec_score', '0.01']], answers: {} });

    expect(await index(client).search('abc', Q, 0.9)).toBeNull();
  });
});

describe('SearchIndex after the server lost its index', () => {
  it('recreates the index once and retries the search once on "no such index"', async () => {
    const { client, sent } = fakeRedis({
      search: (call) => (call === 0 ? new Error('llmcache:idx:v1:m:4: no such index') : [1, `${PREFIX}a`, ['__vec_score', '0']]),
      answers: { [`${PREFIX}a`]: 'A' },
    });
    const search = index(client);
    await search.ensureIndex();

    const hit = await search.search('abc', Q, 0.9);

    expect(hit?.entry).toBe('A');
    expect(sent.filter((command) => command[0] === 'FT.CREATE')).toHaveLength(2);
    expect(sent.filter((command) => command[0] === 'FT.SEARCH')).toHaveLength(2);
  });

  it('shares one recreation between concurrent searches', async () => {
    const lost = new Set([0, 1, 2]);
    const { client, sent } = fakeRedis({ search: (call) => (lost.has(call) ? new Error('Unknown Index name') : [0]) });
    const search = index(client);
    await search.ensureIndex();

    await Promise.all([search.search('a', Q, 0.9), search.search('b', Q, 0.9), search.search('c', Q, 0.9)]);

    expect(sent.filter((command) => command[0] === 'FT.CREATE')).toHaveLength(2);
  });

  it('gives up after one retry (the error reaches the caller, which fails open)', async () => {
    const { client, sent } = fakeRedis({ search: () => new Error('idx: no such index') });

    await expect(index(client).search('abc', Q, 0.9)).rejects.toThrow('no such index');
    expect(sent.filter((command) => command[0] === 'FT.SEARCH')).toHaveLength(2);
  });

  it('does not recreate on other errors', async () => {
    const { client, sent } = fakeRedis({ search: () => new Error('Syntax error') });

    await expect(index(client).search('abc', Q, 0.9)).rejects.toThrow('Syntax error');
    expect(sent.filter((command) => command[0] === 'FT.CREATE')).toHaveLength(1);
  });
});

describe('SearchIndex removal and rejections (index version 3 keys)', () => {
  const ASKER = 'a'.repeat(64);

  it('UNLINKs the document <prefix><namespace>:<id> and says whether it existed', async () => {
    const { client, sent } = fakeRedis({ search: () => [0], answers: { [`${PREFIX}abc`]: 'A' } });

    expect(await index(client).remove('scope', 'abc', 'ns')).toBe(true);
    expect(await index(client).remove('scope', 'other', 'ns')).toBe(false);
    expect(sent.filter((command) => command[0] === 'UNLINK')).toEqual([['UNLINK', `${PREFIX}abc`], ['UNLINK', `${PREFIX}other`]]);
  });

  it('stores a document under its namespace and id, and names a hit by the id alone', async () => {
    const { client } = fakeRedis({ search: () => [1, `${PREFIX}abc`, ['__vec_score', '0.01']], answers: { [`${PREFIX}abc`]: 'A' } });
    const search = index(client);

    await search.add({ scope: 'scope', id: 'abc', namespace: 'ns', vector: Q, entry: 'A', ttlMs: 1000 });

    expect((client.eval as jest.Mock).mock.calls[0]![2]).toBe(`${PREFIX}abc`);
    expect((await search.search('scope', Q, 0.9))?.id).toBe('abc');
  });

  it('records a rejection with one script on the document key, bounded by MAX_REJECTING_ASKERS', async () => {
    const { client } = fakeRedis({ search: () => [0] });

    expect(await index(client).reject('scope', 'abc', 'ns', ASKER)).toBe(true);

    const [, keys, key, asker, bound] = (client.eval as jest.Mock).mock.calls[0]!;
    expect([keys, key, asker, bound]).toEqual([1, `${PREFIX}abc`, ASKER, String(MAX_REJECTING_ASKERS)]);
  });

  it('reads the rejections with the answer in the same round trip, only when a search has an asker', async () => {
    const reply = [1, `${PREFIX}a`, ['__vec_score', '0.02']];
    const { client, sent } = fakeRedis({ search: () => reply, answers: { [`${PREFIX}a`]: 'A' } });

    await index(client).search('abc', Q, 0.9);
    const without = hgets(sent).length;
    await index(client).search('abc', Q, 0.9, undefined, ASKER);

    expect(without).toBe(1);
    expect(hgets(sent).slice(1)).toEqual([['HGET', `${PREFIX}a`, 'answer'], ['HGET', `${PREFIX}a`, 'rejected']]);
  });

  it('passes over a neighbour rejected for the asker to the next one, and reports it to the check', async () => {
    const reply = [2, `${PREFIX}near`, ['__vec_score', '0.01'], `${PREFIX}far`, ['__vec_score', '0.05']];
    const { client } = fakeRedis({ search: () => reply, answers: { [`${PREFIX}near`]: 'NEAR', [`${PREFIX}far`]: 'FAR' }, rejected: { [`${PREFIX}near`]: `${'b'.repeat(64)} ${ASKER}` } });
    const check = new CandidateCheck('Where is Las Vegas?', 'on');
    jest.spyOn(check, 'accepts').mockReturnValue(true);

    const hit = await index(client).search('abc', Q, 0.9, check, ASKER);
    const other = await index(client).search('abc', Q, 0.9, undefined, 'c'.repeat(64));

    expect(hit?.entry).toBe('FAR');
    expect(check.rejection).toEqual({ reason: 'rejected-by-owner', similarity: 0.99 });
    expect(other?.entry).toBe('NEAR');
  });
});
