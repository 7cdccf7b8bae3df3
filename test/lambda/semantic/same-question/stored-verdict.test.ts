import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_PROMPT } from '../../../../bench/same-question';
import { DEFAULT_SUBSTITUTION_BAR, sameQuestion, type CheckOptions } from '../../../../lambda/semantic/same-question/check';
import { decodeMatched, encodeFacts, FACTS_FORMAT, listFields, questionFacts, storedClassMismatch, type QuestionFacts } from '../../../../lambda/semantic/same-question/facts';
import { StoredVerdict } from '../../../../lambda/semantic/same-question/stored-verdict';
import { stem } from '../../../../lambda/semantic/same-question/words';
import { seededRandom } from '../../../../tools/recall-data/corpus';

const ON: CheckOptions = { substitutionBar: DEFAULT_SUBSTITUTION_BAR };
const STRICT: CheckOptions = { substitutionBar: Infinity };
const FIELD = '\u001f';

const EVAL_DIR = join(__dirname, '../../../../eval/semantic');
const pairs = readdirSync(EVAL_DIR)
  .filter((name) => name.endsWith('.jsonl'))
  .flatMap((name) =>
    readFileSync(join(EVAL_DIR, name), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as { a: string; b: string }),
  );

/** What the lookup gave before the in-place reading: the stored form decoded, then sameQuestion. */
function decodedVerdict(asked: QuestionFacts, stored: string, similarity: number, options: CheckOptions): ReturnType<typeof sameQuestion> {
  return sameQuestion(asked, decodeMatched(stored, asked, listFields(asked)), similarity, options);
}


/** A stored form with the asked prompt's classes and lists changed at random: items swapped, added, dropped, flipped, emptied, and `counterpart[0]` made `counterpart[1]`. */
function mutate(asked: QuestionFacts, next: () => number, pool: readonly string[], counterpart?: readonly [string, string]): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const lists = [[...asked.words], [...asked.roles], [...asked.sequence]];
  const changes = 1 + Math.floor(next() * 3);
  for (let c = 0; c < changes; c++) {
    const list = pick(lists);
    const at = Math.floor(next() * (list.length + 1));
    const kind = Math.floor(next() * 9);
    if (kind === 0 && list.length > 1) {
      const other = Math.floor(next() * list.length);
      const here = Math.min(at, list.length - 1);
      [list[here], list[other]] = [list[other]!, list[here]!];
    } else if (kind === 1) list.splice(at, 0, pick(pool));
    else if (kind === 2 && list.length > 0) list.splice(Math.min(at, list.length - 1), 1);
    else if (kind === 3 && list.length > 0) {
      const here = Math.min(at, list.length - 1);
      const item = list[here]!;
      list[here] = item.startsWith('>') ? `<${item.slice(1)}` : item.startsWith('<') ? `>${item.slice(1)}` : `${pick(['>', '<', '^', '&', '='])}${item}`;
    } else if (kind === 4) list.splice(at, 0, pick(['=', '>', '<', '&', '^in', '^out', '^up', '^down', '^on', '^off', '']));
    else if (kind === 5 && list.length > 0) list.splice(at, 0, list[Math.min(at, list.length - 1)]!);
    else if (kind === 6 && list.length > 0) list[Math.min(at, list.length - 1)] = pick(pool);
    else if (kind === 7) lists[1]!.push(pick(['^in', '^out', '^up', '^down', '^on', '^off']));
    else list.splice(at, 0, pick(pool), pick(pool));
  }
  if (counterpart !== undefined) for (const list of lists) list.forEach((item, i) => item === counterpart[0] && (list[i] = counterpart[1]));
  return [FACTS_FORMAT, ...asked.classes, ...lists.map((list) => list.join(' '))].join(FIELD);
}

describe('StoredVerdict: a stored form judged in place', () => {
  it('gives the decoded verdict on every evaluation pair, both ways, whenever it answers', () => {
    let answered = 0;
    let judged = 0;
    for (const { a, b } of pairs) {
      for (const [x, y] of [
        [a, b],
        [b, a],
      ] as const) {
        const asked = questionFacts(x);
        const stored = encodeFacts(questionFacts(y));
        if (storedClassMismatch(stored, asked.classes) !== -1) continue;
        const inPlace = new StoredVerdict(asked, listFields(asked));
        for (const options of [ON, STRICT]) {
          for (const similarity of [0.8, 0.97]) {
            judged++;
            const verdict = inPlace.judge(stored, similarity, options);
            if (verdict === undefined) continue;
            answered++;
            expect({ x, y, similarity, verdict }).toEqual({ x, y, similarity, verdict: decodedVerdict(asked, stored, similarity, options) });
          }
        }
      }
    }
    expect(judged).toBeGreaterThan(1000);
    // It leaves only exchanged words and crossed comparisons to the decoded form.
    expect(answered / judged).toBeGreaterThan(0.9);
  });

  it('gives the decoded verdict on stored forms changed at random, odd ones included (repeated, empty and flipped items)', () => {
    const next = seededRandom(20);
    const prompts = [...new Set(pairs.flatMap(({ a, b }) => [a, b]))];
    const pool = [...new Set(prompts.slice(0, 400).flatMap((prompt) => questionFacts(prompt).sequence))];
    // Words of one kind, opposites, negations, synonyms and spellings: one added to the asked words, its counterpart to the stored ones.
    const counterparts = [
      ['monday', 'tuesday'],
      ['france', 'spain'],
      ['largest', 'smallest'],
      ['increase', 'decrease'],
      ['possible', 'impossible'],
      ['fix', 'repair'],
      ['colour', 'color'],
    ].map((pair) => pair.map(stem) as [string, string]);
    let answered = 0;
    const reasons = new Map<string, number>();
    for (let round = 0; round < 6000; round++) {
      let asked = questionFacts(prompts[Math.floor(next() * prompts.length)]!);
      const counterpart = next() < 0.3 ? counterparts[Math.floor(next() * counterparts.length)] : undefined;
      if (counterpart !== undefined) asked = { ...asked, words: [...asked.words, counterpart[0]], sequence: [...asked.sequence, counterpart[0]] };
      const inPlace = new StoredVerdict(asked, listFields(asked));
      const stored = mutate(asked, next, pool, counterpart);
      const similarity = next() < 0.5 ? 0.9 : 0.97;
      const options = next() < 0.8 ? ON : STRICT;
      const verdict = inPlace.judge(stored, similarity, options);
      if (verdict === undefined) continue;
      answered++;
      if (verdict !== null) reasons.set(verdict, (reasons.get(verdict) ?? 0) + 1);
      expect({ stored, similarity, verdict }).toEqual({ stored, similarity, verdict: decodedVerdict(asked, stored, similarity, options) });
    }
    // About a quarter go to the decoded form: the random edits change the words and the sequence
    // apart, so an asked word is often said more or less often in the stored sequence.
    expect(answered).toBeGreaterThan(4000);
    // Every rule read in place rejects some of them.
    const rules = ['order-mismatch', 'antonym-mismatch', 'entity-mismatch', 'negation-mismatch', 'substitution'];
    expect(Object.fromEntries(rules.map((reason) => [reason, Math.min(reasons.get(reason) ?? 0, 20)]))).toEqual(Object.fromEntries(rules.map((reason) => [reason, 20])));
  });

  it('gives the decoded verdict on short lists of a few items, empty ones among them, that share their ends or not', () => {
    const next = seededRandom(7);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
    const alphabet = ['fix', 'repair', 'monday', 'tuesday', 'possibl', 'impossibl', 'x', 'y', ''];
    const markers = ['>', '<', '=', '&'];
    const roles = ['>fix', '<fix', '>x', '<x', '^in', '^out', '^up', '^down', '&x', '=y'];
    const list = (items: readonly string[], max: number): string[] => Array.from({ length: Math.floor(next() * max) }, () => pick(items));
    /** The list with one to three items changed, added or dropped, mostly in its middle. */
    const edit = (items: readonly string[], pool: readonly string[]): string[] => {
      const out = [...items];
      for (let c = 1 + Math.floor(next() * 3); c > 0; c--) {
        const at = Math.floor(next() * (out.length + 1));
        const kind = Math.floor(next() * 3);
        if (kind === 0 && out.length > 0) out[Math.min(at, out.length - 1)] = pick(pool);
        else if (kind === 1) out.splice(at, 0, pick(pool));
        else out.splice(at, 1);
      }
      return out;
    };
    const classes = questionFacts('').classes;
    let answered = 0;
    for (let round = 0; round < 20000; round++) {
      const asked: QuestionFacts = { classes, words: list(alphabet, 6), roles: list(roles, 4), sequence: list([...alphabet, ...markers], 8) };
      const lists = [asked.words, asked.roles, asked.sequence].map((items, i) => (next() < 0.7 ? edit(items, i === 1 ? roles : [...alphabet, ...markers]) : [...items]));
      const stored = [FACTS_FORMAT, ...classes, ...lists.map((items) => items.join(' '))].join(FIELD);
      const inPlace = new StoredVerdict(asked, listFields(asked));
      const similarity = next() < 0.5 ? 0.9 : 0.97;
      const verdict = inPlace.judge(stored, similarity, ON);
      if (verdict === undefined) continue;
      answered++;
      expect({ asked, stored, verdict }).toEqual({ asked, stored, verdict: decodedVerdict(asked, stored, similarity, ON) });
    }
    expect(answered).toBeGreaterThan(15000);
  });

  it('answers in place for the bench neighbours: an added word, a synonym, two synonyms', () => {
    const asked = questionFacts(BENCH_PROMPT);
    const inPlace = new StoredVerdict(asked, listFields(asked));
    for (const other of [
      BENCH_PROMPT.replace('minimal fix', 'small fix').replace('Please explain', 'Please explain briefly'),
      BENCH_PROMPT.replace('minimal fix', 'small fix'),
      BENCH_PROMPT.replace('minimal fix', 'small fix').replace('make it skip', 'make it ignore'),
    ]) {
      const stored = encodeFacts(questionFacts(other));
      expect(inPlace.judge(stored, 0.97, ON)).toBe(decodedVerdict(asked, stored, 0.97, ON));
      expect(inPlace.judge(stored, 0.9, ON)).toBe(decodedVerdict(asked, stored, 0.9, ON));
    }
  });

  it.each([
    ['Does the dog chase the cat?', 'Does the cat chase the dog?'],
    ['Does a dog that bites a dog fear a cat?', 'Does a cat that bites a cat fear a dog?'],
    ['Is Texas bigger than France?', 'Is France bigger than Texas?'],
  ])('leaves exchanged words and crossed comparison sides to the decoded form, which rejects them: %s / %s', (a, b) => {
    const asked = questionFacts(a);
    const stored = encodeFacts(questionFacts(b));
    expect(new StoredVerdict(asked, listFields(asked)).judge(stored, 0.97, ON)).toBeUndefined();
    expect(decodedVerdict(asked, stored, 0.97, ON)).toBe('order-mismatch');
  });
});

describe('StoredVerdict: a word said more often on one side', () => {
  it.each([
    ['I ran 5 kilometers in 25 minutes; what is my pace per mile?', 'I ran 5 kilometers in 25 minutes; what is my pace per kilometer?', 'entity-mismatch'],
    ['I ran 5 kilometers in 25 minutes; what is my pace per kilometer?', 'I ran 5 kilometers in 25 minutes; what is my pace per mile?', 'entity-mismatch'],
    ['Convert the file to PDF', 'Convert the file to a PDF file', null],
  ])('is left to the decoded form, which counts it: %s / %s', (a, b, reason) => {
    const asked = questionFacts(a);
    const stored = encodeFacts(questionFacts(b));
    expect(new StoredVerdict(asked, listFields(asked)).judge(stored, 0.97, ON)).toBeUndefined();
    expect(decodedVerdict(asked, stored, 0.97, ON)).toBe(reason);
  });
});
