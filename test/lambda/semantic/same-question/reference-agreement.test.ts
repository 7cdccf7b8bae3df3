/**
 * The faster same-question check gives exactly what the check gave before it was made fast:
 * the same facts, stored form, TAG and verdict on every prompt of the evaluation sets, the bench
 * prompts and edge cases. The reference is the earlier implementation, kept verbatim in
 * test/support/same-question-reference/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_PROMPT, PLAIN_BENCH_PROMPT } from '../../../../bench/same-question';
import { CandidateCheck } from '../../../../lambda/semantic/same-question/candidate-check';
import { decodeFacts, encodeFacts, literalTag, questionFacts } from '../../../../lambda/semantic/same-question/facts';
import { CandidateCheck as ReferenceCheck } from '../../../support/same-question-reference/candidate-check';
import * as reference from '../../../support/same-question-reference/facts';

interface Pair {
  readonly a: string;
  readonly b: string;
}

const SETS = ['pairs.jsonl', 'fresh.jsonl', 'fresh-heldout.jsonl'];
const pairs: Pair[] = SETS.flatMap((name) =>
  readFileSync(join(__dirname, '../../../../eval/semantic', name), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Pair),
);

/** Edge cases of the scanner: empty text, quotes, paths, identifiers, numbers and number words at the edges. */
const EDGES = [
  '', ' ', '?', "'", '"', '""', "''", '`', '``', '@', 'a@b', 'a@b.c', '.@x.y', 'x@y.z.', 'www.', 'http://', 'ftp://a.b/c?d=1).',
  '/', '//', '~/', '~/a', './a', '../a/b', 'a/b', 'C:\\Users\\me\\file.txt', 'c:\\', 'and/or', 'TCP/IP', 'x86 vs arm64', '10km 5pm 3rd 21st',
  '1,000,000 1,00 -5 -0.50 3.0 007 1/2 7:30 2024-01-02 1.2.3 v1.2.3', 'twenty-five two thousand and five hundred and one',
  'hundred and five', 'a hundred', 'one hundred', 'first and last', "don't won't can't isn’t ’tis 'quoted' ‘curly’ “double”",
  "it's 'x' (\"y\") ['z'] :'w'", 'snake_case camelCase PascalCase os.path.join() len() foo()() a.b', 'constructor toString __proto__ hasOwnProperty',
  '-- -a- \'-\' ’’’ -’-', 'Zoom in, zoom out, up and down, on/off', 'Is Texas bigger than France?', 'Convert Celsius to Fahrenheit from Kelvin',
  '-3 apples', 'a-5', 'x.5 .5 v.2', 'x@y z@w.v', 'mail a.b+c-d@ex-ample.co.uk, or me@x', 'see: "a" and ‘b’ or “c”', "it's 'q'",
  '(C:\\tmp\\a b.txt)', '~/.ssh/id_rsa', '=a/b', 'a.b@c/d', 'user@host:/srv/x', 'http://a.b/c@d', '12/25/2024', '3/4 cup',
  'ÄÖÜ café naïve 東京 😀 emoji', 'a'.repeat(5000), '1 '.repeat(2500), 'x'.repeat(3999) + ' 12345',
];

const prompts = [...new Set([...pairs.flatMap((pair) => [pair.a, pair.b]), BENCH_PROMPT, PLAIN_BENCH_PROMPT, ...EDGES])];

describe('same-question check agrees with the earlier implementation', () => {
  it('reads at least the 600 evaluation pairs', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(600);
  });

  it('gives the same facts, stored form and TAG on every prompt', () => {
    for (const prompt of prompts) {
      const facts = questionFacts(prompt);
      const expected = reference.questionFacts(prompt);
      expect({ prompt, facts }).toEqual({ prompt, facts: expected });
      expect({ prompt, stored: encodeFacts(facts) }).toEqual({ prompt, stored: reference.encodeFacts(expected) });
      expect(literalTag(facts)).toBe(reference.literalTag(expected));
      expect(decodeFacts(encodeFacts(facts))).toEqual(reference.decodeFacts(reference.encodeFacts(expected)));
    }
  });

  it('gives the same verdict on every pair, both ways, decoded and stored, at several similarities', () => {
    for (const { a, b } of pairs) {
      for (const [asked, stored] of [[a, b], [b, a]] as const) {
        for (const level of ['on', 'strict'] as const) {
          // One check per asked prompt across similarities and repeats, as a lookup judges several neighbours.
          const check = new CandidateCheck(asked, level);
          const ref = new ReferenceCheck(asked, level);
          const storedFacts = reference.questionFacts(stored);
          const encoded = reference.encodeFacts(storedFacts);
          const own = reference.encodeFacts(reference.questionFacts(asked));
          for (const similarity of [0.99, 0.8, 0.9, 0.95, 0.99, 0.8]) {
            expect(check.accepts(own, similarity)).toBe(ref.accepts(own, similarity));
            expect(check.accepts(storedFacts, similarity)).toBe(ref.accepts(storedFacts, similarity));
            expect(check.accepts(encoded, similarity)).toBe(ref.accepts(encoded, similarity));
            expect(check.rejection).toEqual(ref.rejection);
            expect(check.tag).toBe(ref.tag);
          }
        }
      }
    }
  });

  it('treats unreadable stored forms the same way', () => {
    const encoded = reference.encodeFacts(reference.questionFacts('What is 2 + 2?'));
    const broken = [undefined, '', 'sq0', encoded.slice(0, -1) + '\u001f', encoded.replace('sq1', 'sq2'), encoded.split('\u001f').slice(0, 9).join('\u001f'), `${encoded}\u001fx`];
    for (const stored of broken) {
      const check = new CandidateCheck('What is 2 + 2?', 'on');
      const ref = new ReferenceCheck('What is 2 + 2?', 'on');
      expect(check.accepts(stored, 0.99)).toBe(ref.accepts(stored, 0.99));
      expect(check.rejection).toEqual(ref.rejection);
      expect(decodeFacts(stored)).toEqual(reference.decodeFacts(stored));
    }
  });
});
