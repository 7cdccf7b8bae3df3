import { LITERAL_CLASSES } from './literals';
import type { QuestionFacts } from './facts';
import { negatedPair, opposedPrefixes, PARTICLE_PAIRS, polesOf, stem, synonymPair, variantPair } from './words';

/**
 * Why a neighbour above the threshold was not taken as the same question: `<class>-mismatch` for
 * a protected literal class, `order-mismatch` (an argument changed roles), `entity-mismatch` /
 * `antonym-mismatch` (a word swapped for another of its kind or its opposite), `substitution` (a
 * content word swapped, below the substitution bar), `unchecked-entry` (stored before the check),
 * `rejected-by-owner` (the entry's owner recorded that it must not answer this request: the `reject` action).
 */
export type RejectReason =
  | `${(typeof LITERAL_CLASSES)[number]}-mismatch`
  | 'order-mismatch'
  | 'entity-mismatch'
  | 'antonym-mismatch'
  | 'substitution'
  | 'unchecked-entry'
  | 'rejected-by-owner';

/**
 * Similarity a pair with a substituted content word needs to count as the same question.
 * Real rewordings by synonym score above it; see README "Same-question check". @default 0.95
 */
export const DEFAULT_SUBSTITUTION_BAR = 0.95;

export interface CheckOptions {
  /** Similarity a substitution needs; 1.01 or above rejects every substitution (`strict`). */
  readonly substitutionBar: number;
}

/**
 * Whether `stored` asks the same question as `asked` at `similarity`: null when it does, else
 * the reason. Rules in order: every literal class identical; no word in another role, no two
 * words exchanged; no word swapped for one of its kind or its opposite; a substitution only above
 * the substitution bar. An addition (words on one side only) is allowed, and so is a word written
 * another way (a spelling, a word form, a unit's abbreviation) or, except when strict, a synonym.
 */
export function sameQuestion(asked: QuestionFacts, stored: QuestionFacts | undefined, similarity: number, options: CheckOptions): RejectReason | null {
  if (stored === undefined) return 'unchecked-entry';
  for (let i = 0; i < LITERAL_CLASSES.length; i++) {
    if (asked.classes[i] !== stored.classes[i]) return `${LITERAL_CLASSES[i]!}-mismatch`;
  }
  if (rolesConflict(asked.roles, stored.roles) || swapped(asked.sequence, stored.sequence)) return 'order-mismatch';
  if (crossedComparison(asked.sequence, stored.sequence) || exchanged(asked.sequence, stored.sequence)) return 'order-mismatch';
  if (particleSwapped(asked.roles, stored.roles)) return 'antonym-mismatch';
  const counts = countDifference(asked.sequence, stored.sequence);
  const onlyStored = surplus(stored, asked, counts, -1);
  if (onlyStored.length === 0) return null;
  const onlyAsked = surplus(asked, stored, counts, 1);
  if (onlyAsked.length === 0) return null;
  return substitutionVerdict(onlyAsked, onlyStored, similarity, options);
}

/**
 * The content words `side` has more often than `other`, in `side`'s order: a word the other lacks,
 * and a word it says more often ("pace per mile for 10 kilometers" / "pace per kilometer for 10
 * kilometers": the second says "kilometer" twice, so it has a word the first lacks). Words are
 * counted in the sequences, which hold every occurrence: `counts` (countDifference) holds how many
 * more times the asked sequence says each item than the stored one, none when they are equal;
 * `sign` is 1 for the asked side, -1 for the stored one.
 */
function surplus(side: QuestionFacts, other: QuestionFacts, counts: ReadonlyMap<string, number> | undefined, sign: 1 | -1): string[] {
  const more: string[] = [];
  for (const word of side.words) {
    if (!other.words.includes(word) || (counts !== undefined && sign * (counts.get(word) ?? 0) > 0)) more.push(word);
  }
  return more;
}

/** Per item, how many more times `asked` holds it than `stored`; undefined when the two are equal item by item (no difference). */
function countDifference(asked: readonly string[], stored: readonly string[]): Map<string, number> | undefined {
  if (asked.length === stored.length) {
    let i = 0;
    while (i < asked.length && asked[i] === stored[i]) i++;
    if (i === asked.length) return undefined;
  }
  const counts = new Map<string, number>();
  for (const item of asked) counts.set(item, (counts.get(item) ?? 0) + 1);
  for (const item of stored) counts.set(item, (counts.get(item) ?? 0) - 1);
  return counts;
}

/**
 * The last rule of sameQuestion, on the content words each side has alone (`onlyAsked`,
 * `onlyStored`, both non-empty, each in its prompt's order): a word with its counterpart on the
 * other side (the same word another way, or a synonym) is no substitution; a word against its
 * negation, another of its kind or its opposite rejects the pair; any other substitution needs
 * the substitution bar.
 */
export function substitutionVerdict(onlyAsked: readonly string[], onlyStored: readonly string[], similarity: number, options: CheckOptions): RejectReason | null {
  const synonyms = options.substitutionBar <= 1;
  // A word on one side with its counterpart (same word another way, or a synonym) on the other is no substitution.
  let unmatchedAsked = 0;
  let matchedStored = 0;
  for (const a of onlyAsked) {
    let matched = false;
    for (const b of onlyStored) {
      if (variantPair(a, b) || (synonyms && synonymPair(a, b))) {
        if (!matched) matched = true;
        continue;
      }
      const swap = contrast(a, b) ?? (a.includes('-') && b.includes('-') ? compoundContrast(a, b) : null);
      if (swap !== null) return swap;
    }
    if (!matched) unmatchedAsked++;
  }
  if (unmatchedAsked === 0) return null;
  for (const b of onlyStored) {
    if (onlyAsked.some((a) => variantPair(a, b) || (synonyms && synonymPair(a, b)))) matchedStored++;
  }
  if (matchedStored === onlyStored.length) return null;
  return similarity >= options.substitutionBar ? null : 'substitution';
}

/**
 * A word and its negation, another of its kind or its opposite; one letter for another ("vitamin C"
 * / "vitamin D", "plan A" / "plan B"), and one word of two letters or fewer (mostly abbreviations
 * and unit symbols) for another ("512Mi" / "512M", "5px" / "5pt").
 */
function contrast(a: string, b: string): RejectReason | null {
  if (a.length === 1 && b.length === 1) return 'entity-mismatch';
  if (negatedPair(a, b)) return 'negation-mismatch';
  return opposed(polesOf(a), polesOf(b)) ?? (opposedPrefixes(a, b) ? 'antonym-mismatch' : a.length <= 2 && b.length <= 2 ? 'entity-mismatch' : null);
}

/**
 * Two hyphenated compounds that differ in one part are judged by that part: "flex-grow" /
 * "flex-shrink", "long-term" / "short-term", "left-click" / "right-click". A part that is not the
 * same word another way (or a synonym) is a substitution whatever the similarity: such compounds
 * name one thing each ("justify-content" / "align-content", "two-day" / "five-day").
 */
function compoundContrast(a: string, b: string): RejectReason | null {
  const partsA = a.split('-');
  const partsB = b.split('-');
  if (partsA.length !== partsB.length) return null;
  let differ = -1;
  for (let i = 0; i < partsA.length; i++) {
    if (partsA[i] === partsB[i]) continue;
    if (differ !== -1) return null;
    differ = i;
  }
  if (differ === -1) return null;
  const partA = stem(partsA[differ]!);
  const partB = stem(partsB[differ]!);
  return contrast(partA, partB) ?? (variantPair(partA, partB) || synonymPair(partA, partB) ? null : 'substitution');
}

/** Two words on one axis at different poles: another of its kind (`g` groups) or its opposite (`a` pairs). */
function opposed(a: readonly string[], b: readonly string[]): RejectReason | null {
  for (const poleA of a) {
    const axis = poleA.slice(0, poleA.indexOf(':') + 1);
    for (const poleB of b) {
      if (poleB !== poleA && poleB.startsWith(axis)) return axis.startsWith('g') ? 'entity-mismatch' : 'antonym-mismatch';
    }
  }
  return null;
}

/** A direction particle swapped for its opposite ("zoom in" / "zoom out"): one side has more of one and fewer of the other. */
function particleSwapped(asked: readonly string[], stored: readonly string[]): boolean {
  for (const [x, y] of PARTICLE_PAIRS) {
    const dx = count(asked, `^${x}`) - count(stored, `^${x}`);
    const dy = count(asked, `^${y}`) - count(stored, `^${y}`);
    if ((dx > 0 && dy < 0) || (dx < 0 && dy > 0)) return true;
  }
  return false;
}

function count(roles: readonly string[], role: string): number {
  let n = 0;
  for (const r of roles) if (r === role) n++;
  return n;
}

/**
 * A word that is a target (`>`) on one side and a source (`<`) on the other. Compared sides (`=`)
 * are judged by swapped and crossedComparison ("protect against malware" / "protect from malware"
 * is no change of roles), coordinated words (`&`) may change places, particles (`^`) are judged
 * by particleSwapped.
 */
function rolesConflict(asked: readonly string[], stored: readonly string[]): boolean {
  if (asked.length === 0 || stored.length === 0) return false;
  for (const role of asked) {
    // A role both sides give the word is no change (a word can hold a particle and an argument
    // role at once: "Up to 17 attributes ...").
    if ((role[0] !== '>' && role[0] !== '<') || stored.includes(role)) continue;
    const opposite = `${role[0] === '>' ? '<' : '>'}${role.slice(1)}`;
    if (stored.includes(opposite) && !asked.includes(opposite)) return true;
  }
  return false;
}

/**
 * Two content words swapped around a role word ("Is Texas bigger than France?" / "Is France
 * bigger than Texas?"): the sequences differ in exactly two places, holding each other's word.
 */
function swapped(asked: readonly string[], stored: readonly string[]): boolean {
  if (asked.length !== stored.length || !asked.some(isMarker)) return false;
  const differ: number[] = [];
  for (let i = 0; i < asked.length; i++) {
    if (asked[i] !== stored[i] && differ.push(i) > 2) return false;
  }
  if (differ.length !== 2) return false;
  const [i, j] = differ as [number, number];
  // Two words coordinated by "and" / "or" may change places ("convert PDF and Word files to text").
  if (coordinated(asked, asked[i]!, asked[j]!, differ)) return false;
  return asked[i] === stored[j] && asked[j] === stored[i] && !isToken(asked[i]!) && !isToken(asked[j]!);
}

function isMarker(token: string): boolean {
  return token === '>' || token === '<' || token === '=';
}

/** A role marker or the coordination marker: no content word. */
function isToken(token: string): boolean {
  return token === '>' || token === '<' || token === '=' || token === '&';
}

/**
 * The two sides of a comparison exchanged ("Does Real Madrid have a better record against
 * Barcelona?" / "Does Barcelona have a better record against Real Madrid?"): with one "than" /
 * "vs" / "against" on each side, a word before it on one side is after it on the other, and
 * another word the other way round. (One word moving alone is a clause moved, a rewording.)
 */
function crossedComparison(asked: readonly string[], stored: readonly string[]): boolean {
  const at = single(asked, '=');
  const other = single(stored, '=');
  if (at === -1 || other === -1) return false;
  let forward = false;
  let backward = false;
  for (let i = 0; i < asked.length; i++) {
    const word = asked[i]!;
    if (isToken(word) || (i < at ? asked.indexOf(word, at) !== -1 : asked.lastIndexOf(word, at) !== -1)) continue;
    const there = stored.indexOf(word);
    if (there === -1 || stored.indexOf(word, there + 1) !== -1) continue;
    if (i < at && there > other) forward = true;
    if (i > at && there < other) backward = true;
  }
  return forward && backward;
}

/** Whether x and y stand at `i` and `i + gap`, either way round. */
function besides(sequence: readonly string[], i: number, x: string, y: string, gap: number): boolean {
  return (sequence[i] === x && sequence[i + gap] === y) || (sequence[i] === y && sequence[i + gap] === x);
}

/** The index of `token` when it occurs exactly once, else -1. */
function single(sequence: readonly string[], token: string): number {
  const at = sequence.indexOf(token);
  return at !== -1 && sequence.indexOf(token, at + 1) === -1 ? at : -1;
}

/**
 * Two content words exchanged around another and nothing else changed ("Does the dog chase the
 * cat?" / "Does the cat chase the dog?"): who does what to whom changed. Two words side by side
 * may change places ("history books" / "books about history", "a valid address" / "the address
 * valid") unless they are of one kind ("How many teaspoons in a tablespoon?" / "How many
 * tablespoons in a teaspoon?", "Does the cat like the dog?"), and so may two coordinated by "and" / "or" ("TCP and UDP" / "UDP and TCP", "brown rice
 * or white rice" / "white rice or brown rice"). Other places of the same two words may stay as they
 * were ("two tables, orders and customers; keep every row of orders and match rows from customers" /
 * "... of customers ... from orders").
 */
function exchanged(asked: readonly string[], stored: readonly string[]): boolean {
  if (asked.length !== stored.length) return false;
  let x: string | undefined;
  let y: string | undefined;
  let xs = 0;
  let ys = 0;
  const differ: number[] = [];
  for (let i = 0; i < asked.length; i++) {
    if (asked[i] === stored[i]) continue;
    differ.push(i);
    if (x === undefined) {
      x = asked[i]!;
      y = stored[i]!;
      if (isToken(x) || isToken(y)) return false;
    }
    if (asked[i] === x && stored[i] === y) xs++;
    else if (asked[i] === y && stored[i] === x) ys++;
    else return false;
  }
  if (xs === 0 || ys === 0) return false;
  // Two of the exchanged places side by side: words that may change places, unless of one kind.
  for (const i of differ) {
    if (besides(asked, i, x!, y!, 1) && stored[i] !== asked[i] && stored[i + 1] !== asked[i + 1] && !sameKind(x!, y!)) return false;
  }
  return !coordinated(asked, x!, y!, differ);
}

/** Two members of one exclusive group ("teaspoon" / "tablespoon", "cat" / "dog"). */
function sameKind(x: string, y: string): boolean {
  const kinds = polesOf(y).filter((pole) => pole[0] === 'g').map((pole) => pole.slice(0, pole.indexOf(':')));
  return polesOf(x).some((pole) => pole[0] === 'g' && kinds.includes(pole.slice(0, pole.indexOf(':'))));
}

/**
 * Whether x and y head the two sides of one "and" / "or" with the same words after each ("TCP
 * and UDP", "brown rice or white rice"): such sides may change places. "the dog chases the cat or
 * the cat chases the dog" has other words after each side, so its exchange still counts. Only
 * when the coordinated places are the ones that changed (`differ`).
 */
function coordinated(sequence: readonly string[], x: string, y: string, differ: readonly number[]): boolean {
  for (let k = 1; k < sequence.length - 1; k++) {
    if (sequence[k] !== '&') continue;
    for (let i = k - 1; i >= 0 && !isToken(sequence[i]!); i--) {
      const other = sequence[i] === x ? y : sequence[i] === y ? x : undefined;
      if (other === undefined || sequence[k + 1] !== other) continue;
      // Only the coordinated places changed (the same two words may be coordinated elsewhere, unchanged).
      if (!differ.every((d) => d === i || d === k + 1)) continue;
      const tail = k - i - 1;
      let same = k + 1 + tail < sequence.length;
      for (let t = 1; same && t <= tail; t++) same = sequence[i + t] === sequence[k + 1 + t];
      if (same) return true;
    }
  }
  return false;
}
