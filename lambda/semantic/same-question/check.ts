import { LITERAL_CLASSES } from './literals';
import type { QuestionFacts } from './facts';
import { negatedPair, PARTICLE_PAIRS, polesOf } from './words';

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
 * the reason. Rules in order: every literal class identical; no word in another role; no word
 * swapped for one of its kind or its opposite; a substitution only above the substitution bar.
 * An addition (words on one side only) is allowed.
 */
export function sameQuestion(asked: QuestionFacts, stored: QuestionFacts | undefined, similarity: number, options: CheckOptions): RejectReason | null {
  if (stored === undefined) return 'unchecked-entry';
  for (let i = 0; i < LITERAL_CLASSES.length; i++) {
    if (asked.classes[i] !== stored.classes[i]) return `${LITERAL_CLASSES[i]!}-mismatch`;
  }
  if (rolesConflict(asked.roles, stored.roles) || swapped(asked.sequence, stored.sequence)) return 'order-mismatch';
  if (particleSwapped(asked.roles, stored.roles)) return 'antonym-mismatch';
  const onlyStored = stored.words.filter((word) => !asked.words.includes(word));
  if (onlyStored.length === 0) return null;
  const onlyAsked = asked.words.filter((word) => !stored.words.includes(word));
  if (onlyAsked.length === 0) return null;
  for (const a of onlyAsked) {
    for (const b of onlyStored) {
      if (negatedPair(a, b)) return 'negation-mismatch';
      const swap = opposed(polesOf(a), polesOf(b));
      if (swap !== null) return swap;
    }
  }
  return similarity >= options.substitutionBar ? null : 'substitution';
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

/** A word that is a target on one side and a source on the other. */
function rolesConflict(asked: readonly string[], stored: readonly string[]): boolean {
  if (asked.length === 0 || stored.length === 0) return false;
  for (const role of asked) {
    // Particles (`^`) are judged by particleSwapped; a role both sides give the word is no change
    // (a word can hold a particle and an argument role at once: "Up to 17 attributes ...").
    if (role[0] === '^' || stored.includes(role)) continue;
    const word = role.slice(1);
    for (const other of stored) {
      if (other[0] !== '^' && other.slice(1) === word && other[0] !== role[0] && !asked.includes(other)) return true;
    }
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
  return asked[i] === stored[j] && asked[j] === stored[i] && !isMarker(asked[i]!) && !isMarker(asked[j]!);
}

function isMarker(token: string): boolean {
  return token === '>' || token === '<' || token === '=';
}
