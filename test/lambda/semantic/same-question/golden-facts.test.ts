/**
 * The same-question check gives exactly the facts, stored form, TAG and verdicts recorded in
 * `golden.json` for every prompt of the evaluation sets, the bench prompts and the scanner's edge
 * cases. The record was made from the earlier, slower implementation (which the fast one matched
 * prompt for prompt before it was removed) and changes only with a deliberate change of a rule:
 * then rewrite it with `UPDATE_GOLDEN=1 npx jest test/lambda/semantic/same-question/golden-facts`
 * and read the diff, which names every prompt and pair whose outcome moved.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_PROMPT, PLAIN_BENCH_PROMPT } from '../../../../bench/same-question';
import { CandidateCheck } from '../../../../lambda/semantic/same-question/candidate-check';
import { decodeFacts, encodeFacts, literalTag, questionFacts } from '../../../../lambda/semantic/same-question/facts';

interface Pair {
  readonly a: string;
  readonly b: string;
}

interface Golden {
  /** Per prompt: its stored form and its literal TAG. */
  readonly facts: Record<string, { readonly stored: string; readonly tag: string }>;
  /** Per pair, direction and level: each similarity's verdicts (own facts, decoded, stored) and the rejection so far. */
  readonly verdicts: Record<string, string>;
}

const GOLDEN_FILE = join(__dirname, 'golden.json');
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
const SIMILARITIES = [0.99, 0.8, 0.9, 0.95, 0.99, 0.8];

/** What the check gives now, in the record's shape. */
function observe(): Golden {
  const facts: Record<string, { stored: string; tag: string }> = {};
  for (const prompt of prompts) {
    const own = questionFacts(prompt);
    facts[prompt] = { stored: encodeFacts(own), tag: literalTag(own) };
  }
  const verdicts: Record<string, string> = {};
  for (const { a, b } of pairs) {
    for (const [asked, stored] of [[a, b], [b, a]] as const) {
      for (const level of ['on', 'strict'] as const) {
        // One check per asked prompt across similarities, as a lookup judges several neighbours.
        const check = new CandidateCheck(asked, level);
        const storedFacts = questionFacts(stored);
        const encoded = encodeFacts(storedFacts);
        const own = encodeFacts(questionFacts(asked));
        verdicts[`${level} ${asked} => ${stored}`] = SIMILARITIES.map((similarity) => {
          const outcome = [check.accepts(own, similarity), check.accepts(storedFacts, similarity), check.accepts(encoded, similarity)].map((ok) => (ok ? '+' : '-')).join('');
          return `${outcome}${check.rejection?.reason ?? ''}`;
        }).join(' ');
      }
    }
  }
  return { facts, verdicts };
}

const observed = observe();
if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN_FILE, `${JSON.stringify(observed, null, 1)}\n`);
const golden = JSON.parse(readFileSync(GOLDEN_FILE, 'utf8')) as Golden;

describe('same-question check: the recorded facts and verdicts', () => {
  it('reads at least the 600 evaluation pairs', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(600);
  });

  it('gives the recorded stored form and TAG on every prompt, and decodes what it stores', () => {
    for (const prompt of prompts) {
      expect({ prompt, ...observed.facts[prompt] }).toEqual({ prompt, ...golden.facts[prompt] });
      expect(encodeFacts(decodeFacts(observed.facts[prompt]!.stored)!)).toBe(observed.facts[prompt]!.stored);
    }
    expect(Object.keys(observed.facts).sort()).toEqual(Object.keys(golden.facts).sort());
  });

  it('gives the recorded verdicts on every pair, both ways, decoded and stored, at several similarities', () => {
    expect(observed.verdicts).toEqual(golden.verdicts);
  });

  it('refuses unreadable stored forms as entries without facts', () => {
    const encoded = encodeFacts(questionFacts('What is 2 + 2?'));
    const broken = [undefined, '', 'sq0', encoded.replace('sq3', 'sq2'), encoded.split('\u001f').slice(0, 9).join('\u001f'), `${encoded}\u001fx`];
    for (const stored of broken) {
      const check = new CandidateCheck('What is 2 + 2?', 'on');
      expect({ stored, accepted: check.accepts(stored, 0.99), reason: check.rejection?.reason }).toEqual({ stored, accepted: false, reason: 'unchecked-entry' });
    }
  });
});
