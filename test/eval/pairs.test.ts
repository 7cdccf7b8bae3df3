import { join } from 'node:path';
import { heldoutIds, isLiteralCategory, loadPairs, parsePairs, PairsFileError } from '../../tools/semantic-eval/pairs';

/** The categories of eval/semantic/README.md: near-misses first, then rewordings. */
const NEAR_MISS_CATEGORIES = [
  'numbers-quantity', 'numbers-year', 'numbers-date', 'numbers-time', 'numbers-price', 'numbers-version', 'numbers-id', 'numbers-ordinal', 'numbers-word',
  'negation', 'quoted', 'email', 'url', 'path', 'identifier', 'unit',
  'entity-weekday', 'entity-country', 'entity-language', 'entity-proglang', 'antonym', 'order',
];
const REWORDING_CATEGORIES = [
  'rewording-word-order', 'rewording-contraction', 'rewording-politeness', 'rewording-how-do-i', 'rewording-synonym', 'rewording-filler',
  'rewording-keeps-number', 'rewording-keeps-negation', 'rewording-keeps-literal',
];
const CATEGORIES = [...NEAR_MISS_CATEGORIES, ...REWORDING_CATEGORIES];

describe('the semantic evaluation set (eval/semantic/pairs.jsonl)', () => {
  const pairs = loadPairs();

  it('has at least 300 labelled pairs with unique ids and two different prompts each', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(300);
    expect(new Set(pairs.map((pair) => pair.id)).size).toBe(pairs.length);
    for (const pair of pairs) expect(pair.a).not.toBe(pair.b);
  });

  it('covers every near-miss and rewording category of the issue', () => {
    const categories = new Set(pairs.map((pair) => pair.category));
    for (const category of CATEGORIES) {
      expect(categories).toContain(category);
    }
    for (const pair of pairs) expect(pair.label === 'rewording').toBe(pair.category.startsWith('rewording-'));
  });

  it('keeps the held-out third exactly where the frozen sha256 rule put it', () => {
    const held = heldoutIds(pairs);

    expect(pairs.filter((pair) => pair.split === 'heldout').map((pair) => pair.id).sort()).toEqual([...held].sort());
    expect(held.size).toBe(121);
  });

  it('sorts numbers, negation, quoted text, addresses and identifiers into the zero-wrong-answer group', () => {
    expect(['numbers-year', 'negation', 'quoted', 'email', 'url', 'path', 'identifier'].every(isLiteralCategory)).toBe(true);
    expect(['unit', 'entity-weekday', 'antonym', 'order'].some(isLiteralCategory)).toBe(false);
  });
});

describe('parsePairs', () => {
  it('reads a user\'s pairs without ids, categories or splits as dev pairs named by line', () => {
    const pairs = parsePairs('{"a":"x?","b":"y?","label":"rewording"}\n\n{"a":"p","b":"q","label":"near-miss","category":"mine"}\n');

    expect(pairs).toEqual([
      { id: 'line-1', a: 'x?', b: 'y?', label: 'rewording', category: 'rewording', split: 'dev' },
      { id: 'line-3', a: 'p', b: 'q', label: 'near-miss', category: 'mine', split: 'dev' },
    ]);
  });

  it.each([
    ['not JSON', '{"a":', /line 1: not JSON/],
    ['a missing prompt', '{"a":"x","label":"rewording"}', /"b" must be a non-empty string/],
    ['an unknown label', '{"a":"x","b":"y","label":"same"}', /"label" must be/],
    ['an unknown split', '{"a":"x","b":"y","label":"rewording","split":"test"}', /"split" must be/],
    ['a repeated id', '{"id":"p","a":"x","b":"y","label":"rewording"}\n{"id":"p","a":"x","b":"z","label":"rewording"}', /line 2: id "p" appears twice/],
    ['no pairs', '\n', /no pairs/],
  ])('refuses %s with a PairsFileError naming the line', (_name, text, message) => {
    expect(() => parsePairs(text)).toThrow(PairsFileError);
    expect(() => parsePairs(text)).toThrow(message);
  });
});

/**
 * A blind set's format: at least `size` pairs with unique `<prefix>-NNN` ids, only the README's
 * categories with the label their kind implies, at least `minimum(category)` pairs of each, all held out.
 */
function describeBlindSet(file: string, prefix: string, size: number, minimums: string, minimum: (category: string) => number): void {
  describe(`the blind set eval/semantic/${file}`, () => {
    const pairs = loadPairs(join(__dirname, '..', '..', 'eval', 'semantic', file));
    const count = (category: string): number => pairs.filter((pair) => pair.category === category).length;

    it(`has at least ${size} pairs with unique ${prefix}- ids and two different prompts each`, () => {
      expect(pairs.length).toBeGreaterThanOrEqual(size);
      expect(new Set(pairs.map((pair) => pair.id)).size).toBe(pairs.length);
      for (const pair of pairs) {
        expect(pair.id).toMatch(new RegExp(`^${prefix}-\\d{3}$`));
        expect(pair.a).not.toBe(pair.b);
      }
    });

    it('uses only the README\'s categories, each with the label its kind implies', () => {
      for (const pair of pairs) {
        expect(CATEGORIES).toContain(pair.category);
        expect(pair.label).toBe(REWORDING_CATEGORIES.includes(pair.category) ? 'rewording' : 'near-miss');
      }
    });

    it(`has at least ${minimums}`, () => {
      const short = CATEGORIES.filter((category) => count(category) < minimum(category)).map((category) => `${category}: ${count(category)}`);

      expect(short).toEqual([]);
    });

    it('is all held out, so the default run (--split both) evaluates every pair', () => {
      expect(pairs.every((pair) => pair.split === 'heldout')).toBe(true);
    });
  });
}

const SWAPS = ['unit', 'antonym', 'order', 'entity-weekday', 'entity-country', 'entity-language', 'entity-proglang'];

describeBlindSet('blind-2.jsonl', 'b2', 220, '10 pairs of each swap category, 5 of each literal category and 7 of each rewording category', (category) =>
  REWORDING_CATEGORIES.includes(category) ? 7 : SWAPS.includes(category) ? 10 : 5,
);

/** The minimums blind-3 and later were written to: 12 of unit, antonym and order, 10 of each entity, 7 of each literal category, 9 of each rewording. */
const LATER_MINIMUMS = '12 pairs of unit, antonym and order, 10 of each entity, 7 of each literal category and 9 of each rewording category';
function laterMinimum(category: string): number {
  if (REWORDING_CATEGORIES.includes(category)) return 9;
  if (['unit', 'antonym', 'order'].includes(category)) return 12;
  return category.startsWith('entity-') ? 10 : 7;
}

for (const [file, prefix] of [
  ['blind-3.jsonl', 'b3'],
  ['blind-4.jsonl', 'b4'],
  ['blind-5.jsonl', 'b5'],
  ['blind-6.jsonl', 'b6'],
] as const) {
  describeBlindSet(file, prefix, 300, LATER_MINIMUMS, laterMinimum);
}
