import { substitutionVerdict, type CheckOptions, type RejectReason } from './check';
import { listsOffset, STORED_FIELD_SEPARATOR, type QuestionFacts } from './facts';
import { SharedEnds } from './shared-ends';
import { Items, TokenTable } from './token-table';
import { PARTICLE_PAIRS } from './words';

const TARGET = 62; // '>'
const SOURCE = 60; // '<'

/** The particle roles (`^in`, `^out`, ...), pair by pair: ids 2k and 2k + 1 of every table. */
const PARTICLE_ROLES: readonly string[] = PARTICLE_PAIRS.flatMap(([x, y]) => [`^${x}`, `^${y}`]);

/**
 * The verdict of sameQuestion (check.ts) on a stored form whose literal classes equal the asked
 * prompt's, read in place: its words, roles and sequence are read item by item and looked up in a
 * table of the asked prompt's own (built once per request, with its facts, while the embedding is
 * in flight), so a neighbour costs no decoded list; only the few words found on the stored side
 * alone are cut out, for the substitution rule. The same verdicts as sameQuestion on the decoded
 * form: a field equal to the asked prompt's is its list, and every rule compares the strings
 * sameQuestion compares (by id: one id per distinct string). Two rules it leaves to the decoded
 * form, as rare on the lookup's path: two words exchanged (equal-length sequences whose first two
 * differences hold one pair of words) and a comparison's sides crossed (one "than" / "vs" on each
 * side); `judge` then gives undefined.
 */
export class StoredVerdict {
  /** Where the words field begins in a stored form with the asked prompt's classes. */
  private readonly listsAt: number;
  /** The asked prompt's words, roles and sequence as stored, when splitting them gives the lists back. */
  private readonly words: string | undefined;
  private readonly roles: string | undefined;
  private readonly sequence: string | undefined;

  /** The particle roles, the asked words, sequence items and roles, each target or source role's opposite. */
  private readonly table: TokenTable;
  private readonly askedWords: readonly string[];
  /** The id of each asked word, in order, and per id whether it is an asked word. */
  private readonly wordIds: readonly number[];
  private readonly isWord: readonly boolean[];
  /** Whether no asked word is given twice. */
  private readonly distinctWords: boolean;
  /** How often the asked roles hold each id. */
  private readonly askedRoles: readonly number[];
  /**
   * Pairs of ids (an asked target or source role, its opposite that the asked roles lack): a
   * stored form holding the opposite and not the role gives a word another role.
   */
  private readonly roleConflicts: readonly number[];
  /** The id of each asked sequence item, in order. */
  private readonly sequenceIds: readonly number[];
  /** The id of the compared-side marker `=` when the asked sequence holds exactly one, else -1. */
  private readonly comparison: number;
  /** How many `=` the asked sequence holds before each item (and in all, last). */
  private readonly comparisonsBefore: readonly number[];
  /** The asked words' and sequence's first and last items a stored field repeats (none when they do not round-trip). */
  private readonly wordEnds: SharedEnds | undefined;
  private readonly sequenceEnds: SharedEnds | undefined;

  /** `fields`: the asked prompt's words, roles and sequence as stored (listFields). */
  constructor(asked: QuestionFacts, fields: readonly string[]) {
    this.listsAt = listsOffset(asked.classes);
    this.words = roundTrips(fields[0]!, asked.words) ? fields[0] : undefined;
    this.roles = roundTrips(fields[1]!, asked.roles) ? fields[1] : undefined;
    this.sequence = roundTrips(fields[2]!, asked.sequence) ? fields[2] : undefined;

    const argumentRoles = asked.roles.filter((role) => role.charCodeAt(0) === TARGET || role.charCodeAt(0) === SOURCE);
    const table = new TokenTable([...PARTICLE_ROLES, ...asked.words, ...asked.sequence, ...asked.roles, ...argumentRoles.map(opposite)]);
    this.table = table;
    this.askedWords = asked.words;
    // Plain arrays of small integers: a typed array costs far more to make, once per request.
    this.wordIds = asked.words.map((word) => table.idOf(word));
    const isWord = new Array<boolean>(table.size).fill(false);
    let distinct = true;
    for (const id of this.wordIds) {
      if (isWord[id]!) distinct = false;
      isWord[id] = true;
    }
    this.isWord = isWord;
    this.distinctWords = distinct;
    const askedRoles = new Array<number>(table.size).fill(0);
    for (const role of asked.roles) askedRoles[table.idOf(role)]!++;
    this.askedRoles = askedRoles;
    scratch.reserve(table.size);
    const conflicts: number[] = [];
    for (const role of argumentRoles) {
      if (!asked.roles.includes(opposite(role))) conflicts.push(table.idOf(role), table.idOf(opposite(role)));
    }
    this.roleConflicts = conflicts;
    this.sequenceIds = asked.sequence.map((item) => table.idOf(item));
    const at = asked.sequence.indexOf('=');
    this.comparison = at !== -1 && asked.sequence.indexOf('=', at + 1) === -1 ? table.idOf('=') : -1;
    const comparisonsBefore = [0];
    for (const item of asked.sequence) comparisonsBefore.push(comparisonsBefore[comparisonsBefore.length - 1]! + (item === '=' ? 1 : 0));
    this.comparisonsBefore = comparisonsBefore;
    this.wordEnds = this.words === undefined ? undefined : new SharedEnds(this.words, asked.words.length);
    this.sequenceEnds = this.sequence === undefined ? undefined : new SharedEnds(this.sequence, asked.sequence.length);
  }

  /**
   * sameQuestion's verdict on `stored` (a stored form whose classes storedClassMismatch found
   * equal to the asked prompt's), or undefined when the decoded form must be judged.
   */
  judge(stored: string, similarity: number, options: CheckOptions): RejectReason | null | undefined {
    const wordsAt = this.listsAt;
    const rolesAt = stored.indexOf(STORED_FIELD_SEPARATOR, wordsAt) + 1;
    const sequenceAt = stored.indexOf(STORED_FIELD_SEPARATOR, rolesAt) + 1;
    const sequenceHeld = holds(stored, sequenceAt, stored.length, this.sequence);
    if (!sequenceHeld && this.mayReorder(stored, sequenceAt, stored.length)) return undefined;
    // The sequence run mayReorder read: an asked word said more or less often there (countsDiffer).
    const recounted = !sequenceHeld && this.countsDiffer();
    const verdict = this.rolesAndWords(stored, wordsAt, rolesAt, sequenceAt, recounted, similarity, options);
    if (recounted) scratch.counts.fill(0, 0, this.table.size);
    return verdict;
  }

  /** The role rules, then the words rule (judge, past the sequence rules). */
  private rolesAndWords(stored: string, wordsAt: number, rolesAt: number, sequenceAt: number, recounted: boolean, similarity: number, options: CheckOptions): RejectReason | null | undefined {
    if (!holds(stored, rolesAt, sequenceAt - 1, this.roles)) {
      this.countRoles(stored, rolesAt, sequenceAt - 1);
      if (this.rolesConflict()) return 'order-mismatch';
      if (this.particleSwapped()) return 'antonym-mismatch';
    }
    if (holds(stored, wordsAt, rolesAt - 1, this.words)) return recounted ? undefined : null;
    return this.wordsVerdict(stored, wordsAt, rolesAt - 1, recounted, similarity, options);
  }

  /**
   * Whether the stored sequence `stored[from, end)` may give swapped, exchanged or
   * crossedComparison a case: sequences of equal length whose second difference holds the first
   * one's two words (either way round), or one compared-side marker on each side. Otherwise none
   * of them applies (each needs one of these).
   */
  private mayReorder(stored: string, from: number, end: number): boolean {
    const asked = this.sequenceIds;
    const n = asked.length;
    // Items [0, k) and [count - m, count) are the asked sequence's first k and last m: only the run between is read.
    const run = this.readRun(stored, from, end, this.sequenceEnds);
    const { k, m, count: middle } = run;
    const count = k + middle + m;
    const ids = scratch.items.ids;
    if (this.comparison !== -1) {
      let comparisons = this.comparisonsBefore[k]! + this.comparisonsBefore[n]! - this.comparisonsBefore[n - m]!;
      for (let i = 0; i < middle; i++) if (ids[i] === this.comparison) comparisons++;
      if (comparisons === 1) return true;
    }
    if (count !== n) return false;
    let first = -1;
    for (let i = 0; i < middle; i++) {
      if (ids[i] === asked[k + i]) continue;
      if (first === -1) {
        first = i;
        continue;
      }
      // The first difference had x (asked) and y (stored): the second holds x and y, or y and x.
      const x = asked[k + first]!;
      const y = ids[first]!;
      return (asked[k + i] === x && this.sameItem(stored, i, first)) || (y !== -1 && asked[k + i] === y && ids[i] === x);
    }
    return false;
  }

  /**
   * Reads the stored list field `stored[from, end)` into `items`, but for the first k and last m
   * items it repeats of the asked field (`ends`; none without): gives k, m and the items read.
   */
  private readRun(stored: string, from: number, end: number, ends: SharedEnds | undefined): Run {
    const run = scratch.run;
    if (ends === undefined) {
      run.k = 0;
      run.m = 0;
      run.count = this.table.read(stored, from, end, scratch.items);
      return run;
    }
    const k = ends.prefix(stored, from, end);
    const runFrom = from + ends.prefixLength(k);
    const m = ends.suffix(stored, from, end, end - runFrom + 1);
    const runEnd = end - ends.suffixLength(m);
    run.k = k;
    run.m = m;
    // Shared ends that meet on one space leave no item between them; an empty run between two spaces is one empty item.
    run.count = k + m > 0 && runFrom === runEnd + 1 ? 0 : this.table.read(stored, runFrom, runEnd, scratch.items, k + m === 0);
    return run;
  }

  /**
   * After mayReorder's read of the stored sequence: per id, how many more times the stored
   * sequence holds it than the asked one (`scratch.counts`), and whether an asked word's count
   * differs. Such a word is on one side more often than on the other, which sameQuestion counts as
   * a word on that side alone when both sides have it (surplus, check.ts); wordsVerdict leaves
   * that case to the decoded form, as rare on the lookup's path. False leaves the counts at zero;
   * judge clears them after a true.
   */
  private countsDiffer(): boolean {
    const counts = scratch.counts;
    const { k, m, count } = scratch.run;
    const ids = scratch.items.ids;
    const asked = this.sequenceIds;
    for (let i = 0; i < count; i++) if (ids[i] !== -1) counts[ids[i]!]!++;
    for (let i = k; i < asked.length - m; i++) counts[asked[i]!]!--;
    // Shared ends that overlap on the asked side (a stored sequence longer than the asked one) repeat the items between.
    for (let i = asked.length - m; i < k; i++) counts[asked[i]!]!++;
    const words = this.wordIds;
    for (let i = 0; i < words.length; i++) if (counts[words[i]!] !== 0) return true;
    counts.fill(0, 0, this.table.size);
    return false;
  }

  /** Whether stored items `i` and `j` (of the last read) are one string. */
  private sameItem(stored: string, i: number, j: number): boolean {
    const { ids, starts, ends } = scratch.items;
    if (ids[i] !== -1 || ids[j] !== -1) return ids[i] === ids[j];
    const length = ends[i]! - starts[i]!;
    if (ends[j]! - starts[j]! !== length) return false;
    for (let k = 0; k < length; k++) if (stored.charCodeAt(starts[i]! + k) !== stored.charCodeAt(starts[j]! + k)) return false;
    return true;
  }

  /** Counts the stored roles `stored[from, end)` by id. */
  private countRoles(stored: string, from: number, end: number): void {
    const counts = scratch.roles;
    counts.fill(0, 0, this.table.size);
    const count = this.table.read(stored, from, end, scratch.items);
    const ids = scratch.items.ids;
    for (let i = 0; i < count; i++) if (ids[i] !== -1) counts[ids[i]!]!++;
  }

  /** rolesConflict: a stored role that is the opposite of an asked one, where the role itself is not stored. */
  private rolesConflict(): boolean {
    const pairs = this.roleConflicts;
    for (let i = 0; i < pairs.length; i += 2) {
      if (scratch.roles[pairs[i]!] === 0 && scratch.roles[pairs[i + 1]!]! > 0) return true;
    }
    return false;
  }

  /** particleSwapped: one side has more of a particle and fewer of its opposite. */
  private particleSwapped(): boolean {
    for (let x = 0; x < PARTICLE_ROLES.length; x += 2) {
      const dx = this.askedRoles[x]! - scratch.roles[x]!;
      const dy = this.askedRoles[x + 1]! - scratch.roles[x + 1]!;
      if ((dx > 0 && dy < 0) || (dx < 0 && dy > 0)) return true;
    }
    return false;
  }

  /** The rule on the words each side has alone, the stored words read from `stored[from, end)`. */
  private wordsVerdict(stored: string, from: number, end: number, recounted: boolean, similarity: number, options: CheckOptions): RejectReason | null | undefined {
    const seen = scratch.seen;
    seen.fill(0, 0, this.table.size);
    const { k, m, count } = this.readRun(stored, from, end, this.wordEnds);
    const words = this.wordIds;
    // The first k and last m asked words are on the stored side; when the asked words are distinct,
    // none of the others is one of them, so only the asked words between can be missing there.
    const first = this.distinctWords ? k : 0;
    const last = this.distinctWords ? words.length - m : words.length;
    if (!this.distinctWords) {
      for (let i = 0; i < k; i++) seen[words[i]!] = 1;
      for (let i = words.length - m; i < words.length; i++) seen[words[i]!] = 1;
    }
    const { ids, starts, ends } = scratch.items;
    let onlyStored: string[] | undefined;
    for (let i = 0; i < count; i++) {
      const id = ids[i]!;
      if (id !== -1 && this.isWord[id]!) seen[id] = 1;
      else (onlyStored ??= []).push(stored.slice(starts[i], ends[i]));
    }
    if (recounted) {
      // An asked word both sides have, said more or less often on one: the decoded form judges.
      const counts = scratch.counts;
      let present = false;
      for (let i = 0; i < words.length && !present; i++) present = counts[words[i]!] !== 0 && (i < first || i >= last || seen[words[i]!] === 1);
      if (present) return undefined;
    }
    if (onlyStored === undefined) return null;
    const onlyAsked: string[] = [];
    for (let i = first; i < last; i++) if (seen[words[i]!] === 0) onlyAsked.push(this.askedWords[i]!);
    if (onlyAsked.length === 0) return null;
    return substitutionVerdict(onlyAsked, onlyStored, similarity, options);
  }
}

/**
 * What one verdict writes as it reads, shared by every check so that it stays in the processor's
 * cache from lookup to lookup (a verdict runs to its end without yielding, so none overlaps
 * another): the items read, and per table id the stored words seen and the stored roles counted.
 */
class Scratch {
  readonly items = new Items();
  readonly run: Run = { k: 0, m: 0, count: 0 };
  seen = new Uint8Array(256);
  roles = new Int32Array(256);
  counts = new Int32Array(256);

  /** Room for `size` ids. */
  reserve(size: number): void {
    if (size <= this.seen.length) return;
    this.seen = new Uint8Array(size);
    this.roles = new Int32Array(size);
    this.counts = new Int32Array(size);
  }
}
const scratch = new Scratch();

/** A stored list read by readRun: k first and m last items shared with the asked list, `count` items read between. */
interface Run {
  k: number;
  m: number;
  count: number;
}

/** A target role for a source role and the other way round (`>x` / `<x`). */
function opposite(role: string): string {
  return `${role.charCodeAt(0) === TARGET ? '<' : '>'}${role.slice(1)}`;
}

/**
 * Whether splitting `field` (the list joined by spaces) at spaces, as decoding does, gives `list`
 * back: no item holds a space (the field has one space fewer than items), and it is no list of
 * one empty item (stored as an empty field, which reads back as no item).
 */
function roundTrips(field: string, list: readonly string[]): boolean {
  if (list.length === 0) return field === '';
  if (list.length === 1 && list[0] === '') return false;
  let spaces = 0;
  for (let i = 0; i < field.length; i++) if (field.charCodeAt(i) === 32) spaces++;
  return spaces === list.length - 1;
}

/** Whether `stored[from, end)` is `field` (undefined: never taken as equal). */
function holds(stored: string, from: number, end: number, field: string | undefined): boolean {
  return field !== undefined && end - from === field.length && stored.startsWith(field, from);
}
