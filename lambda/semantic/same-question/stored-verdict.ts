import { substitutionVerdict, type CheckOptions, type RejectReason } from './check';
import { encodeFacts, listsOffset, STORED_FIELD_SEPARATOR, type QuestionFacts } from './facts';
import { fillStarts, sameSpan, sharedPrefix, sharedSuffix } from './shared-ends';
import { CodeUnits, codeUnitsOf, Items, readItems, TABLE_SLOT, TableBuilder, tableInts, tableSlots, type ExpectedItems } from './token-table';
import { PARTICLE_PAIRS } from './words';

const TARGET = 62; // '>'
const SOURCE = 60; // '<'

/** The particle roles (`^in`, `^out`, ...), pair by pair. */
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
 * side); `judge` then gives undefined. So does a word counted differently (countsDiffer).
 *
 * Everything `judge` reads of the asked prompt is packed in one Int32Array and one string (the
 * pool: its stored form, then the few other strings of the table) with its code units: a verdict
 * on a check made long before, its tables out of the processor's cache, costs a few cache misses
 * on lines that hold many of its values, rather than one per array, object and heap string, and
 * it reads them all first (touch), so that those misses overlap.
 */
export class StoredVerdict {
  /** Where the words field begins in a stored form with the asked prompt's classes. */
  private readonly listsAt: number;
  /**
   * The asked prompt's stored form (its header and classes, then its words, roles and sequence),
   * then the table's other strings; and its code units.
   */
  private readonly pool: string;
  private readonly poolUnits: Uint16Array;
  /**
   * The table (token-table.ts, from 0), then per asked list the id of each item and where each
   * item begins in its field (shared-ends.ts), how many `=` the asked sequence holds before each
   * item, the particle roles' ids, and the role conflicts; each section's offset is a field below.
   */
  private readonly data: Int32Array;
  /** The table's slots less one, and how many distinct strings it holds. */
  private readonly mask: number;
  private readonly size: number;

  /** Per asked list: where its field is in the pool (length -1 when splitting it does not give the list back: never taken as equal, no shared ends), its items, their ids and starts in `data`. */
  private readonly wordsAt: number;
  private readonly wordsLength: number;
  private readonly wordCount: number;
  private readonly wordIdsAt: number;
  private readonly wordStartsAt: number;
  private readonly rolesAt: number;
  private readonly rolesLength: number;
  private readonly roleCount: number;
  private readonly roleIdsAt: number;
  private readonly roleStartsAt: number;
  private readonly sequenceAt: number;
  private readonly sequenceLength: number;
  private readonly sequenceCount: number;
  private readonly sequenceIdsAt: number;
  private readonly sequenceStartsAt: number;

  /** The asked words (ids 0 to wordKinds - 1 are the distinct ones), read only when their field does not round-trip. */
  private readonly askedWords: readonly string[];
  private readonly wordKinds: number;
  /** Whether no asked word is given twice. */
  private readonly distinctWords: boolean;
  /** The id of the compared-side marker `=` when the asked sequence holds exactly one, else -1. */
  private readonly comparison: number;
  /** How many `=` the asked sequence holds before each item (and in all, last), from here in `data`. */
  private readonly comparisonsAt: number;
  /** The ids of the particle roles, pair by pair. */
  private readonly particlesAt: number;
  /**
   * Triples (an asked target or source role, its opposite that the asked roles lack, how often the
   * asked roles hold the role), from conflictsAt to conflictsEnd: a stored form holding the opposite
   * and not the role gives a word another role.
   */
  private readonly conflictsAt: number;
  private readonly conflictsEnd: number;

  /** The length of the asked prompt's stored form; whether its classes can be compared at once (sameClasses). */
  private readonly ownLength: number;
  private readonly classesAtOnce: boolean;

  /** `fields`: the asked prompt's words, roles and sequence as stored (listFields); `encoded`: its stored form (encodeFacts). */
  constructor(asked: QuestionFacts, fields: readonly string[], encoded = encodeFacts(asked)) {
    this.listsAt = listsOffset(asked.classes);
    this.ownLength = encoded.length;
    // A class value holding the separator (never the case in practice) is read class by class.
    this.classesAtOnce = !asked.classes.some((value) => value.includes(STORED_FIELD_SEPARATOR));
    const { words, roles, sequence } = asked;
    this.askedWords = words;
    this.wordCount = words.length;
    this.roleCount = roles.length;
    this.sequenceCount = sequence.length;
    this.wordsAt = this.listsAt;
    this.rolesAt = this.wordsAt + fields[0]!.length + 1;
    this.sequenceAt = this.rolesAt + fields[1]!.length + 1;
    this.wordsLength = roundTrips(fields[0]!, words) ? fields[0]!.length : -1;
    this.rolesLength = roundTrips(fields[1]!, roles) ? fields[1]!.length : -1;
    this.sequenceLength = roundTrips(fields[2]!, sequence) ? fields[2]!.length : -1;
    const extrasAt = this.sequenceAt + fields[2]!.length + 1;

    const argumentRoles = roles.filter((role) => role.charCodeAt(0) === TARGET || role.charCodeAt(0) === SOURCE);
    const slots = tableSlots(words.length + sequence.length + roles.length + PARTICLE_ROLES.length + argumentRoles.length);
    let at = tableInts(slots);
    const section = (ints: number): number => ((at += ints), at - ints);
    this.wordIdsAt = section(words.length);
    this.wordStartsAt = section(words.length + 1);
    this.roleIdsAt = section(roles.length);
    this.roleStartsAt = section(roles.length + 1);
    this.sequenceIdsAt = section(sequence.length);
    this.sequenceStartsAt = section(sequence.length + 1);
    this.comparisonsAt = section(sequence.length + 1);
    this.particlesAt = section(PARTICLE_ROLES.length);
    this.conflictsAt = section(argumentRoles.length * 3);
    const data = new Int32Array(at);
    this.data = data;
    this.mask = slots - 1;

    // The words first, so that ids below wordKinds are the asked words'.
    const table = new TableBuilder(data, slots, extrasAt);
    // Each item of a list that round-trips is found in its field in the pool; any other goes to the extras.
    const add = (list: readonly string[], field: string, fieldAt: number, length: number, idsAt: number, startsAt: number): void => {
      if (length !== -1) fillStarts(field, list.length, data, startsAt);
      for (let i = 0; i < list.length; i++) data[idsAt + i] = table.add(list[i]!, length === -1 ? -1 : fieldAt + data[startsAt + i]!);
    };
    add(words, fields[0]!, this.wordsAt, this.wordsLength, this.wordIdsAt, this.wordStartsAt);
    this.wordKinds = table.keys.length;
    this.distinctWords = this.wordKinds === words.length;
    add(sequence, fields[2]!, this.sequenceAt, this.sequenceLength, this.sequenceIdsAt, this.sequenceStartsAt);
    add(roles, fields[1]!, this.rolesAt, this.rolesLength, this.roleIdsAt, this.roleStartsAt);
    for (let x = 0; x < PARTICLE_ROLES.length; x++) data[this.particlesAt + x] = table.add(PARTICLE_ROLES[x]!, -1);
    let conflicts = this.conflictsAt;
    for (const role of argumentRoles) {
      const other = table.add(opposite(role), -1);
      if (roles.includes(opposite(role))) continue;
      data[conflicts++] = table.idOf(role);
      data[conflicts++] = other;
      data[conflicts++] = roles.reduce((n, r) => n + (r === role ? 1 : 0), 0);
    }
    this.conflictsEnd = conflicts;
    this.size = table.keys.length;
    scratch.reserve(this.size);

    const at0 = sequence.indexOf('=');
    this.comparison = at0 !== -1 && sequence.indexOf('=', at0 + 1) === -1 ? table.idOf('=') : -1;
    data[this.comparisonsAt] = 0;
    for (let i = 0; i < sequence.length; i++) data[this.comparisonsAt + i + 1] = data[this.comparisonsAt + i]! + (sequence[i] === '=' ? 1 : 0);
    this.pool = [encoded, table.extrasText].join(STORED_FIELD_SEPARATOR);
    this.poolUnits = codeUnitsOf(this.pool);
  }

  /**
   * Whether `stored` is a readable stored form with the asked prompt's literal classes (as
   * storedClassMismatch finds them equal), read at once: it begins with the asked prompt's header
   * and classes and holds the two separators of its lists, no more. False when it may not be so
   * (storedClassMismatch then reads it class by class, to name the class that differs).
   */
  sameClasses(stored: string): boolean {
    // A substring compared with === costs about half of startsWith on a hundred characters.
    if (!this.classesAtOnce || stored.substring(0, this.listsAt) !== this.pool.substring(0, this.listsAt)) return false;
    const roles = stored.indexOf(STORED_FIELD_SEPARATOR, this.listsAt);
    const sequence = roles === -1 ? -1 : stored.indexOf(STORED_FIELD_SEPARATOR, roles + 1);
    return sequence !== -1 && stored.indexOf(STORED_FIELD_SEPARATOR, sequence + 1) === -1;
  }

  /** Whether `stored` is the asked prompt's own stored form. */
  isOwn(stored: string): boolean {
    return stored.length === this.ownLength && sameSpan(stored, 0, this.pool, 0, this.ownLength);
  }

  /**
   * sameQuestion's verdict on `stored` (a stored form whose classes storedClassMismatch found
   * equal to the asked prompt's), or undefined when the decoded form must be judged.
   */
  judge(stored: string, similarity: number, options: CheckOptions): RejectReason | null | undefined {
    scratch.units = scratch.codeUnits.of(stored);
    this.touch();
    const wordsFrom = this.listsAt;
    const rolesFrom = stored.indexOf(STORED_FIELD_SEPARATOR, wordsFrom) + 1;
    const sequenceFrom = stored.indexOf(STORED_FIELD_SEPARATOR, rolesFrom) + 1;
    const sequenceHeld = this.holds(stored, sequenceFrom, stored.length, this.sequenceAt, this.sequenceLength);
    if (!sequenceHeld && this.mayReorder(stored, sequenceFrom, stored.length)) return undefined;
    // The sequence run mayReorder read: an asked word said more or less often there (countsDiffer).
    const recounted = !sequenceHeld && this.countsDiffer();
    const verdict = this.rolesAndWords(stored, wordsFrom, rolesFrom, sequenceFrom, recounted, similarity, options);
    if (recounted) scratch.counts.fill(0, 0, this.size);
    return verdict;
  }

  /**
   * Reads one value per cache line of the tables after the slots, the pool's code units and the
   * pool, before the verdict reads them: on a check made long before (its tables built while the
   * embedding was in flight, out of the processor's cache since) these loads do not depend on one
   * another, so their cache misses overlap, where the verdict's own reads would meet them one after
   * the other. About 0.1 µs on a check still in cache, 0.3-0.5 µs saved on one that is not
   * (A/B, bench/same-question.ts's method). The slots are left out: only a few are read.
   */
  private touch(): void {
    const data = this.data;
    let sum = 0;
    for (let i = (this.mask + 1) * TABLE_SLOT; i < data.length; i += 16) sum += data[i]!;
    const units = this.poolUnits;
    for (let i = 0; i < units.length; i += 32) sum += units[i]!;
    const pool = this.pool;
    for (let i = 0; i < pool.length; i += 64) sum += pool.charCodeAt(i);
    scratch.sink = sum;
  }

  /** The role rules, then the words rule (judge, past the sequence rules). */
  private rolesAndWords(stored: string, wordsFrom: number, rolesFrom: number, sequenceFrom: number, recounted: boolean, similarity: number, options: CheckOptions): RejectReason | null | undefined {
    if (!this.holds(stored, rolesFrom, sequenceFrom - 1, this.rolesAt, this.rolesLength)) {
      const reason = this.rolesVerdict(stored, rolesFrom, sequenceFrom - 1);
      if (reason !== null) return reason;
    }
    if (this.holds(stored, wordsFrom, rolesFrom - 1, this.wordsAt, this.wordsLength)) return recounted ? undefined : null;
    return this.wordsVerdict(stored, wordsFrom, rolesFrom - 1, recounted, similarity, options);
  }

  /** Whether `stored[from, end)` is the asked field at `at` in the pool, of `length` characters (-1: never taken as equal). */
  private holds(stored: string, from: number, end: number, at: number, length: number): boolean {
    return length !== -1 && end - from === length && sameSpan(stored, from, this.pool, at, length);
  }

  /**
   * Whether the stored sequence `stored[from, end)` may give swapped, exchanged or
   * crossedComparison a case: sequences of equal length whose second difference holds the first
   * one's two words (either way round), or one compared-side marker on each side. Otherwise none
   * of them applies (each needs one of these).
   */
  private mayReorder(stored: string, from: number, end: number): boolean {
    const data = this.data;
    const asked = this.sequenceIdsAt;
    const n = this.sequenceCount;
    // Items [0, k) and [count - m, count) are the asked sequence's first k and last m: only the run between is read.
    const { k, m, count: middle } = this.readRun(stored, from, end, this.sequenceIdsAt, this.sequenceStartsAt, n, this.sequenceAt, this.sequenceLength);
    const count = k + middle + m;
    const ids = scratch.items.ids;
    if (this.comparison !== -1) {
      const before = this.comparisonsAt;
      let comparisons = data[before + k]! + data[before + n]! - data[before + n - m]!;
      for (let i = 0; i < middle; i++) if (ids[i] === this.comparison) comparisons++;
      if (comparisons === 1) return true;
    }
    if (count !== n) return false;
    let first = -1;
    for (let i = 0; i < middle; i++) {
      if (ids[i] === data[asked + k + i]) continue;
      if (first === -1) {
        first = i;
        continue;
      }
      // The first difference had x (asked) and y (stored): the second holds x and y, or y and x.
      const x = data[asked + k + first]!;
      const y = ids[first]!;
      return (data[asked + k + i] === x && this.sameItem(i, first)) || (y !== -1 && data[asked + k + i] === y && ids[i] === x);
    }
    return false;
  }

  /**
   * Reads the stored list field `stored[from, end)` into `items`, but for the first k and last m
   * items it repeats of the asked list (its starts at `startsAt` in `data`, its field at `at` in
   * the pool, of `length` characters; none repeated when -1): gives k, m and the items read.
   */
  private readRun(stored: string, from: number, end: number, idsAt: number, startsAt: number, n: number, at: number, length: number): Run {
    const run = scratch.run;
    const data = this.data;
    const expected = scratch.expected;
    if (length === -1) {
      run.k = 0;
      run.m = 0;
      expected.first = 0;
      expected.last = 0;
      run.count = readItems(data, this.mask, this.poolUnits, scratch.units, from, end, scratch.items, true, expected);
      return run;
    }
    const k = sharedPrefix(data, startsAt, n, this.pool, this.poolUnits, at, length, stored, scratch.units, from, end);
    const runFrom = from + data[startsAt + k]!;
    const m = sharedSuffix(data, startsAt, n, this.pool, this.poolUnits, at, length, stored, scratch.units, from, end, end - runFrom + 1);
    const runEnd = end - (data[startsAt + n]! - data[startsAt + n - m]!);
    run.k = k;
    run.m = m;
    // The asked items between the shared ends, most likely repeated in the run.
    expected.idsAt = idsAt;
    expected.startsAt = startsAt;
    expected.fieldAt = at;
    expected.first = k;
    expected.last = n - m;
    // Shared ends that meet on one space leave no item between them; an empty run between two spaces is one empty item.
    run.count = k + m > 0 && runFrom === runEnd + 1 ? 0 : readItems(data, this.mask, this.poolUnits, scratch.units, runFrom, runEnd, scratch.items, k + m === 0, expected);
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
    const data = this.data;
    const asked = this.sequenceIdsAt;
    const n = this.sequenceCount;
    for (let i = 0; i < count; i++) if (ids[i] !== -1) counts[ids[i]!]!++;
    for (let i = k; i < n - m; i++) counts[data[asked + i]!]!--;
    // Shared ends that overlap on the asked side (a stored sequence longer than the asked one) repeat the items between.
    for (let i = n - m; i < k; i++) counts[data[asked + i]!]!++;
    // The asked words are ids 0 to wordKinds - 1.
    for (let id = 0; id < this.wordKinds; id++) if (counts[id] !== 0) return true;
    counts.fill(0, 0, this.size);
    return false;
  }

  /** Whether stored items `i` and `j` (of the last read) are one string. */
  private sameItem(i: number, j: number): boolean {
    const { ids, starts, ends } = scratch.items;
    const units = scratch.units;
    if (ids[i] !== -1 || ids[j] !== -1) return ids[i] === ids[j];
    const length = ends[i]! - starts[i]!;
    if (ends[j]! - starts[j]! !== length) return false;
    for (let k = 0; k < length; k++) if (units[starts[i]! + k] !== units[starts[j]! + k]) return false;
    return true;
  }

  /**
   * The role rules on the stored roles `stored[from, end)`: rolesConflict (a stored role that is
   * the opposite of an asked one, where the role itself is not stored), then particleSwapped (one
   * side has more of a particle and fewer of its opposite). Only the roles between the ends shared
   * with the asked ones are read: per id, how many more times the stored roles hold it than the
   * asked ones (`scratch.roles`) is what both rules need.
   */
  private rolesVerdict(stored: string, from: number, end: number): RejectReason | null {
    const more = scratch.roles;
    more.fill(0, 0, this.size);
    const { k, m, count } = this.readRun(stored, from, end, this.roleIdsAt, this.roleStartsAt, this.roleCount, this.rolesAt, this.rolesLength);
    const ids = scratch.items.ids;
    const data = this.data;
    const asked = this.roleIdsAt;
    const n = this.roleCount;
    for (let i = 0; i < count; i++) if (ids[i] !== -1) more[ids[i]!]!++;
    for (let i = k; i < n - m; i++) more[data[asked + i]!]!--;
    for (let i = n - m; i < k; i++) more[data[asked + i]!]!++;
    for (let c = this.conflictsAt; c < this.conflictsEnd; c += 3) {
      if (data[c + 2]! + more[data[c]!]! === 0 && more[data[c + 1]!]! > 0) return 'order-mismatch';
    }
    for (let x = this.particlesAt; x < this.particlesAt + PARTICLE_ROLES.length; x += 2) {
      const dx = more[data[x]!]!;
      const dy = more[data[x + 1]!]!;
      if ((dx > 0 && dy < 0) || (dx < 0 && dy > 0)) return 'antonym-mismatch';
    }
    return null;
  }

  /** The rule on the words each side has alone, the stored words read from `stored[from, end)`. */
  private wordsVerdict(stored: string, from: number, end: number, recounted: boolean, similarity: number, options: CheckOptions): RejectReason | null | undefined {
    const seen = scratch.seen;
    seen.fill(0, 0, this.size);
    const data = this.data;
    const words = this.wordIdsAt;
    const n = this.wordCount;
    const { k, m, count } = this.readRun(stored, from, end, this.wordIdsAt, this.wordStartsAt, n, this.wordsAt, this.wordsLength);
    // The first k and last m asked words are on the stored side; when the asked words are distinct,
    // none of the others is one of them, so only the asked words between can be missing there.
    const first = this.distinctWords ? k : 0;
    const last = this.distinctWords ? n - m : n;
    if (!this.distinctWords) {
      for (let i = 0; i < k; i++) seen[data[words + i]!] = 1;
      for (let i = n - m; i < n; i++) seen[data[words + i]!] = 1;
    }
    const { ids, starts, ends } = scratch.items;
    let onlyStored: string[] | undefined;
    for (let i = 0; i < count; i++) {
      const id = ids[i]!;
      // Ids below wordKinds are the asked words'.
      if (id !== -1 && id < this.wordKinds) seen[id] = 1;
      else (onlyStored ??= []).push(stored.slice(starts[i], ends[i]));
    }
    if (recounted) {
      // An asked word both sides have, said more or less often on one: the decoded form judges.
      const counts = scratch.counts;
      let present = false;
      for (let i = 0; i < n && !present; i++) {
        const id = data[words + i]!;
        present = counts[id] !== 0 && (i < first || i >= last || seen[id] === 1);
      }
      if (present) return undefined;
    }
    if (onlyStored === undefined) return null;
    const onlyAsked: string[] = [];
    for (let i = first; i < last; i++) if (seen[data[words + i]!] === 0) onlyAsked.push(this.askedWord(i));
    if (onlyAsked.length === 0) return null;
    return substitutionVerdict(onlyAsked, onlyStored, similarity, options);
  }

  /** Asked word `i`, cut from the pool when its field round-trips. */
  private askedWord(i: number): string {
    if (this.wordsLength === -1) return this.askedWords[i]!;
    const starts = this.wordStartsAt;
    return this.pool.slice(this.wordsAt + this.data[starts + i]!, this.wordsAt + this.data[starts + i + 1]! - 1);
  }
}

/**
 * What one verdict writes as it reads, shared by every check so that it stays in the processor's
 * cache from lookup to lookup (a verdict runs to its end without yielding, so none overlaps
 * another): the items read, and per table id the stored words seen and the stored roles counted.
 */
class Scratch {
  readonly items = new Items();
  /** The code units of the stored form being judged (judge writes them first). */
  readonly codeUnits = new CodeUnits();
  units: Uint16Array = new Uint16Array(0);
  sink = 0;
  readonly run: Run = { k: 0, m: 0, count: 0 };
  readonly expected: ExpectedItems = { idsAt: 0, startsAt: 0, fieldAt: 0, first: 0, last: 0 };
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
