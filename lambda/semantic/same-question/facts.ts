import { LITERAL_CLASSES } from './literals';
import { scanPrompt } from './scanner';

/**
 * Version of the stored form: a stored form of another version is treated as absent (rejected).
 * sq2: the stemmer and word lists changed (a stem stored by sq1 may not match its sq2 stem).
 * sq3: the content word right before a "to" phrase's source is a source too ("a hex string to
 * base64": "hex" and "string"); an sq2 form lacks those roles, so judging it would be lenient.
 */
export const FACTS_FORMAT = 'sq3';
const FORMAT = FACTS_FORMAT;
const FIELD = '\u001f';
const HEADER = FORMAT + FIELD;
/** Fields after the header: the literal classes, then words, roles and sequence. */
const FIELDS = LITERAL_CLASSES.length + 3;

/**
 * What the same-question check knows of one prompt (the compared user turn): its protected
 * literals per class, its content words and the roles some of them play ("to X", "from Y").
 * Computed once per request for the asked prompt, and once per stored entry when it is written.
 */
export interface QuestionFacts {
  /** Canonical literals per class, in LITERAL_CLASSES order (values joined with U+001E). */
  readonly classes: readonly string[];
  /** Distinct content-word stems. */
  readonly words: readonly string[];
  /**
   * `<role><stem>` for the content word after "to"/"into" (`>`), "from" (`<`), beside "than"/"vs"
   * (`=`); and `^<particle>` for each direction particle ("in", "out", "up", "down", "on", "off").
   */
  readonly roles: readonly string[];
  /** Content-word stems and role markers in prompt order (a swap of two of its words changes it). */
  readonly sequence: readonly string[];
}

/** The facts of `prompt` (its first 4000 characters), read in one pass (scanner.ts). */
export function questionFacts(prompt: string): QuestionFacts {
  return scanPrompt(prompt);
}

/** The stored form of `facts` (a string kept with the entry). */
export function encodeFacts(facts: QuestionFacts): string {
  return [FORMAT, facts.classes.join(FIELD), facts.words.join(' '), facts.roles.join(' '), facts.sequence.join(' ')].join(FIELD);
}

/** The facts of a stored form, or undefined when it is absent or of another version. */
export function decodeFacts(stored: string | undefined | null): QuestionFacts | undefined {
  if (typeof stored !== 'string' || !stored.startsWith(HEADER)) return undefined;
  // Exactly FIELDS fields after the header, read in one pass.
  const parts: string[] = [];
  let from = HEADER.length;
  for (let at = stored.indexOf(FIELD, from); at !== -1; at = stored.indexOf(FIELD, from)) {
    if (parts.length === FIELDS - 1) return undefined;
    parts.push(stored.slice(from, at));
    from = at + 1;
  }
  if (parts.length !== FIELDS - 1) return undefined;
  parts.push(stored.slice(from));
  const classes = parts.slice(0, LITERAL_CLASSES.length);
  return { classes, words: list(parts[LITERAL_CLASSES.length]!), roles: list(parts[LITERAL_CLASSES.length + 1]!), sequence: list(parts[LITERAL_CLASSES.length + 2]!) };
}

function list(joined: string): string[] {
  return joined === '' ? [] : joined.split(' ');
}


/**
 * Reads only the literal classes of a stored form, against `classes`: -1 when every class is
 * equal, the first differing class otherwise, or undefined when `stored` is no readable stored
 * form (decodeFacts would give undefined). Allocates nothing, so a neighbour rejected on a
 * literal costs no decoding.
 */
export function storedClassMismatch(stored: string, classes: readonly string[]): number | undefined {
  if (!stored.startsWith(HEADER)) return undefined;
  let fields = 0;
  for (let at = stored.indexOf(FIELD, HEADER.length); at !== -1; at = stored.indexOf(FIELD, at + 1)) {
    if (++fields > FIELDS - 1) return undefined;
  }
  if (fields !== FIELDS - 1) return undefined;
  let from = HEADER.length;
  for (let i = 0; i < LITERAL_CLASSES.length; i++) {
    const at = stored.indexOf(FIELD, from);
    const value = classes[i]!;
    if (at - from !== value.length || !stored.startsWith(value, from)) return i;
    from = at + 1;
  }
  return -1;
}

/**
 * The facts of a stored form whose literal classes storedClassMismatch found equal to the asked
 * prompt's (it returned -1): its classes are those, and a field equal to the asked prompt's
 * (`asked`, `fields`: its words, roles and sequence as stored) is read as the asked prompt's list,
 * so only the fields that differ are split.
 */
export function decodeMatched(stored: string, asked: QuestionFacts, fields: readonly string[]): QuestionFacts {
  let from = listsOffset(asked.classes);
  const lists = [asked.words, asked.roles, asked.sequence];
  const read: (readonly string[])[] = [];
  for (let i = 0; i < 3; i++) {
    const end = i < 2 ? stored.indexOf(FIELD, from) : stored.length;
    const own = fields[i]!;
    const mine = lists[i]!;
    // A list of one empty item is stored as an empty field, which reads back as no item.
    const same = end - from === own.length && stored.startsWith(own, from) && !(mine.length === 1 && mine[0] === '');
    read.push(same ? mine : list(stored.slice(from, end)));
    from = end + 1;
  }
  return { classes: asked.classes, words: read[0]!, roles: read[1]!, sequence: read[2]! };
}

/** The separator of a stored form's fields (the items of its lists are separated by a space). */
export const STORED_FIELD_SEPARATOR = FIELD;

/** Where the words field begins in a stored form whose literal classes are `classes` (storedClassMismatch gave -1). */
export function listsOffset(classes: readonly string[]): number {
  let from = HEADER.length;
  for (const value of classes) from += value.length + 1;
  return from;
}

/** The stored fields of `facts` after its classes: its words, roles and sequence, each joined by spaces. */
export function listFields(facts: QuestionFacts): readonly string[] {
  return [facts.words.join(' '), facts.roles.join(' '), facts.sequence.join(' ')];
}

/** 32-bit FNV-1a of a string, as 8 hex digits. */
function fnv(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/**
 * The literal signature as one TAG value (`v1` then 8 hex digits per class, `00000000` for an
 * empty class): letters and digits only, so it needs no escaping in a TAG query. Equal literals
 * give equal tags; the check compares the full literals again, so a hash collision is never a hit.
 */
export function literalTag(facts: QuestionFacts): string {
  let tag = 'v1';
  for (const value of facts.classes) tag += value === '' ? '00000000' : fnv(value);
  return tag;
}

/** The classes whose segment differs between two tags (the first reported), or undefined for an unreadable tag. */
export function tagMismatch(asked: string, stored: string): number | undefined {
  if (stored.length !== asked.length || !stored.startsWith('v1')) return undefined;
  for (let i = 0; i < LITERAL_CLASSES.length; i++) {
    const at = 2 + i * 8;
    if (asked.slice(at, at + 8) !== stored.slice(at, at + 8)) return i;
  }
  return -1;
}
