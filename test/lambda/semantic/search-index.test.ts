import { parseFirstHit } from '../../../lambda/semantic/search-index';

/**
 * Replies of a real RediSearch 2.6 to FT.SEARCH, exactly as ioredis `call()` returns them, copied
 * from the project's reference transcript (ft-transcript.json) so this suite runs anywhere.
 */
const REPLIES = {
  /** `(@scope:{abc123})=>[KNN 1 @vec $B AS dist] ... RETURN 2 answer dist DIALECT 2` */
  knn1WithReturn: [1, 'llmcache:sem:a', ['dist', '0.00611627101898', 'answer', 'A']],
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
  /** After `llmcache:sem:a` expired: the remaining document, at distance "1". */
  afterExpiry: [1, 'llmcache:sem:b', ['dist', '1', 'answer', 'B']],
} as const;

describe('parseFirstHit', () => {
  it('reads key, distance and answer from a KNN 1 reply with RETURN dist answer', () => {
    const hit = parseFirstHit(REPLIES.knn1WithReturn);

    expect(hit).toEqual({ key: 'llmcache:sem:a', distance: 0.00611627101898, answer: 'A' });
  });

  it('returns null for a reply with no documents', () => {
    expect(parseFirstHit(REPLIES.empty)).toBeNull();
  });

  it('reads a hit at the largest cosine distance', () => {
    expect(parseFirstHit(REPLIES.afterExpiry)).toEqual({ key: 'llmcache:sem:b', distance: 1, answer: 'B' });
  });

  it('reads the first (nearest) document of a reply with several', () => {
    const reply = [2, 'near', ['dist', '0.1', 'answer', 'N'], 'far', ['dist', '0.9', 'answer', 'F']];

    expect(parseFirstHit(reply)?.key).toBe('near');
  });

  it('returns null when the distance was not returned under the name "dist"', () => {
    expect(parseFirstHit(REPLIES.knn2WithoutReturn)).toBeNull();
  });

  it('does not depend on the order of the returned fields', () => {
    expect(parseFirstHit([1, 'k', ['answer', 'X', 'dist', '0.5']])).toEqual({ key: 'k', distance: 0.5, answer: 'X' });
  });

  it('returns null when the answer is missing (the document lost its field)', () => {
    expect(parseFirstHit([1, 'k', ['dist', '0.1']])).toBeNull();
  });

  it('returns null for a distance that is not a number', () => {
    expect(parseFirstHit([1, 'k', ['dist', 'nan?', 'answer', 'X']])).toBeNull();
  });

  it('reads an answer returned as a Buffer as UTF-8 text', () => {
    expect(parseFirstHit([1, 'k', ['dist', '0', 'answer', Buffer.from('{"v":1}')]])?.answer).toBe('{"v":1}');
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['a string', 'OK'],
    ['an error object', { error: 'Unknown Index name' }],
    ['a hit without fields', [1, 'k', 'not-an-array']],
  ])('returns null for %s', (_name, reply) => {
    expect(parseFirstHit(reply)).toBeNull();
  });
});
