import { readFileSync } from 'node:fs';
import { parseFirstHit } from '../../../lambda/semantic/search-index';

interface TranscriptStep {
  readonly label: string;
  readonly command: string;
  readonly reply: unknown;
}

/** Replies of a real RediSearch, as ioredis returns them (see /work/shared/reference/README.md). */
const TRANSCRIPT: readonly TranscriptStep[] = JSON.parse(readFileSync('/work/shared/reference/ft-transcript.json', 'utf8')) as TranscriptStep[];

function replyOf(label: string): unknown {
  const step = TRANSCRIPT.find((s) => s.label.startsWith(label));
  if (step === undefined) throw new Error(`no transcript step "${label}"`);
  return step.reply;
}

describe('parseFirstHit', () => {
  it('reads key, distance and answer from a KNN 1 reply with RETURN dist answer', () => {
    const hit = parseFirstHit(replyOf('KNN 1 inside scope abc123'));

    expect(hit).toEqual({ key: 'llmcache:sem:a', distance: 0.00611627101898, answer: 'A' });
  });

  it('returns null for a reply with no documents', () => {
    expect(parseFirstHit(replyOf('KNN in a scope with no documents'))).toBeNull();
  });

  it('reads the first (nearest) document of a reply with several', () => {
    expect(parseFirstHit(replyOf('after llmcache:sem:a expired'))).toEqual({ key: 'llmcache:sem:b', distance: 1, answer: 'B' });
  });

  it('returns null when the distance was not returned under the name "dist"', () => {
    expect(parseFirstHit(replyOf('KNN 2 without RETURN'))).toBeNull();
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
