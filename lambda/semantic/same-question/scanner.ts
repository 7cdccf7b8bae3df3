/**
 * The prompt scanner of the same-question check: one pass over the prompt's character codes that
 * takes out the backticked and quoted spans, then reads the prompt run by run (a run is the text
 * between ASCII white space) and turns each into literals and words, and each word at once into
 * content stems, roles and the word sequence (QuestionFacts). The lexical tables it reads live in
 * literals.ts and words.ts.
 *
 * A run of letters and punctuation that no literal pattern can match (the usual run) and a run that
 * is only a plain number are read here, character by character. Any other run (an address, a path,
 * an identifier, a mixed token such as "10km", non-ASCII text) goes through the literal passes of
 * literals.ts, which give exactly what they gave on the whole prompt: none of them matches across
 * white space. A prompt holding a Windows path (":\", which may hold spaces) goes through them whole.
 *
 * Words are remembered (bounded): the usual word is found by its characters in place, hashed as
 * they are read, with no string made for it.
 */
import { FRACTIONS, identifierToldIn, isNumberWord, literalPasses, NEGATION_WORDS, NUMERIC_OR_NEGATING, ORDINALS, SCALES, UNITS, urlToldIn, type PassLiterals, type WholeTells } from './literals';
import { isSpecial, isStopword, PARTICLES, ROLE_WORDS, stem } from './words';

/** What the scanner gives: the literal classes in LITERAL_CLASSES order, and the word facts. */
export interface ScannedFacts {
  readonly classes: string[];
  readonly words: string[];
  readonly roles: string[];
  readonly sequence: string[];
}

/** Characters of a prompt the check reads; the rest is ignored. */
const MAX_CHARS = 4000;
/** Separator of the literals of one class. */
const ITEM = '\u001e';
/** Longest backticked or quoted span, in characters between the marks. */
const MAX_SPAN = 200;

/** A content stem, one object per stem: marks it as seen in the current scan and keeps its role strings. */
interface Stem {
  readonly text: string;
  seen: number;
  target?: string;
  source?: string;
  compared?: string;
}

/** How the word loop treats a word as split from the text (lower case). */
const USUAL = 0; // kept as it is: one facts step
const NEGATION = 1; // a negation word and nothing else
const OTHER = 2; // trimmed, split at hyphens, a number word, "and": the full word loop

/** A remembered word: how the word loop treats it, and what it adds to the facts when kept. */
interface Word {
  readonly key: string;
  readonly hash: number;
  readonly kind: number;
  /** Its role marker (`>` `<` `=`) when it is a role word. */
  readonly marker: string | undefined;
  /** `^<word>` when it is a direction particle. */
  readonly particle: string | undefined;
  /** Its stem when it counts as a content word (undefined for a stopword or role word). */
  readonly stem: Stem | undefined;
}

/** Remembered words: open addressing on the words' hashes, emptied (between scans) when full. */
const WORDS_MAX = 4096;
const SLOTS = 16384; // more than WORDS_MAX plus the words of one 4000-character prompt
const MASK = SLOTS - 1;
let slots: (Word | undefined)[] = new Array<Word | undefined>(SLOTS);
let wordCount = 0;
const stems = new Map<string, Stem>();

/** FNV-1a step on a character code, ASCII letters lowered. */
function mix(hash: number, code: number): number {
  return Math.imul(hash ^ (code >= 65 && code <= 90 ? code | 32 : code), 0x01000193);
}
const SEED = 0x811c9dc5 | 0;

/** The remembered word that is `text[start, end)` lowered (ASCII letters only differ), or undefined. */
function find(text: string, start: number, end: number, hash: number): Word | undefined {
  const length = end - start;
  for (let slot = hash & MASK; ; slot = (slot + 1) & MASK) {
    const word = slots[slot];
    if (word === undefined) return undefined;
    if (word.hash !== hash || word.key.length !== length) continue;
    let i = 0;
    while (i < length) {
      const code = text.charCodeAt(start + i);
      if ((code >= 65 && code <= 90 ? code | 32 : code) !== word.key.charCodeAt(i)) break;
      i++;
    }
    if (i === length) return word;
  }
}

function remember(key: string, hash: number): Word {
  let slot = hash & MASK;
  while (slots[slot] !== undefined) slot = (slot + 1) & MASK;
  const word = describe(key, hash);
  slots[slot] = word;
  wordCount++;
  return word;
}

/** A word given as a string (lower case). */
function wordOf(key: string): Word {
  let hash = SEED;
  for (let i = 0; i < key.length; i++) hash = mix(hash, key.charCodeAt(i));
  return find(key, 0, key.length, hash) ?? remember(key, hash);
}

function stemOf(text: string): Stem {
  let known = stems.get(text);
  if (known === undefined) {
    known = { text, seen: 0 };
    stems.set(text, known);
  }
  return known;
}

/** A lower-case word with no curly apostrophe and no leading or trailing apostrophe or hyphen (the usual case). */
function plainWord(word: string): boolean {
  const first = word.charCodeAt(0);
  const last = word.charCodeAt(word.length - 1);
  return first !== 39 && first !== 45 && last !== 39 && last !== 45 && !word.includes('’');
}

function describe(key: string, hash: number): Word {
  const plain = plainWord(key) && !key.includes('-');
  const negating = key.endsWith("n't");
  let kind = OTHER;
  if (plain && !NUMERIC_OR_NEGATING.has(key) && !negating) kind = USUAL;
  else if (plain && !UNITS.has(key) && !SCALES.has(key) && key !== 'and' && !ORDINALS.has(key) && !FRACTIONS.has(key) && (NEGATION_WORDS.has(key) || negating)) kind = NEGATION;
  if (!isSpecial(key)) return { key, hash, kind, marker: undefined, particle: undefined, stem: stemOf(stem(key)) };
  const marker = ROLE_WORDS.get(key);
  if (marker !== undefined) return { key, hash, kind, marker, particle: undefined, stem: undefined };
  return { key, hash, kind, marker: undefined, particle: PARTICLES.has(key) ? `^${key}` : undefined, stem: isStopword(key) ? undefined : stemOf(stem(key)) };
}

/** One scan's state; the literal lists are reused from scan to scan. */
const found: PassLiterals = { email: [], url: [], path: [], identifier: [], mixed: [], number: [] };
const quoted: string[] = [];
const backticked: string[] = [];
/** Numbers written in words, ordinals and fractions ("twenty five", "third", "half"): after the digits. */
const spelled: string[] = [];
let negations = 0;
let scan = 0;
/** The text the literal passes read (the prompt without its backticked and quoted spans), and whether the URL and identifier passes run on it (once asked). */
let passesText = '';
let urlTold: boolean | undefined;
let identifierTold: boolean | undefined;
const whole: WholeTells = {
  url: () => (urlTold ??= urlToldIn(passesText)),
  identifier: () => (identifierTold ??= identifierToldIn(passesText)),
};
// Number words make one number per run ("twenty five" = 25, "two thousand and five" = 2005).
let total = 0;
let current = 0;
let inNumber = false;
// The facts of the words kept.
let words: string[] = [];
let roles: string[] = [];
let sequence: string[] = [];
let role: string | undefined;
let previous: Stem | undefined;

export function scanPrompt(prompt: string): ScannedFacts {
  if (wordCount >= WORDS_MAX) {
    slots = new Array<Word | undefined>(SLOTS);
    wordCount = 0;
    stems.clear();
  }
  scan++;
  found.email.length = found.url.length = found.path.length = found.identifier.length = found.mixed.length = found.number.length = 0;
  quoted.length = backticked.length = spelled.length = 0;
  negations = total = current = 0;
  inNumber = false;
  words = [];
  roles = [];
  sequence = [];
  role = undefined;
  previous = undefined;

  let text = prompt.length > MAX_CHARS ? prompt.slice(0, MAX_CHARS) : prompt;
  if (text.includes('`')) text = takeBackticked(text, backticked);
  text = takeQuoted(text, quoted);
  passesText = text;
  urlTold = identifierTold = undefined;
  if (text.includes(':\\')) readWords(literalPasses(text, found, whole));
  else readRuns(text);
  flush();
  const classes = [
    join3(found.mixed, found.number, spelled),
    negations === 0 ? '' : 'not' + `${ITEM}not`.repeat(negations - 1),
    quoted.join(ITEM),
    found.email.join(ITEM),
    found.url.join(ITEM),
    found.path.join(ITEM),
    backticked.length === 0 ? found.identifier.join(ITEM) : backticked.concat(found.identifier).join(ITEM),
  ];
  return { classes, words, roles, sequence };
}

function join3(a: string[], b: string[], c: string[]): string {
  if (a.length === 0 && c.length === 0) return b.join(ITEM);
  return a.concat(b, c).join(ITEM);
}

/** JavaScript's `\s`. */
function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || (code >= 0xa0 && (code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff));
}

/** Backticked spans (`` `x` ``, 1 to 200 characters on one line) replaced by a space each, their text kept trimmed. */
function takeBackticked(text: string, into: string[]): string {
  let out = '';
  let from = 0;
  for (let at = text.indexOf('`'); at !== -1; at = text.indexOf('`', at + 1)) {
    const end = spanEnd(text, at, 96);
    if (end === -1) continue;
    into.push(text.slice(at + 1, end).trim());
    out += `${text.slice(from, at)} `;
    from = end + 1;
    at = end;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** The opening quotation marks and their closing ones. */
const OPENING = ['"', "'", '“', '‘'];
const CLOSING = [34, 39, 0x201d, 0x2019];
/** Where the next opening mark of each kind is, from where the search has got to (-1: none left). */
const nextOpening = [0, 0, 0, 0];

/**
 * Quoted spans replaced by a space each, their text kept trimmed and in lower case. A span opens
 * with `"`, `“`, `'` or `‘` at the start or after white space, `(`, `[`, `:` or `,`, and closes
 * at the next `"`, `”`, `'` or `’` on the same line, 1 to 200 characters later; a `'` span
 * only where white space, punctuation or the end follows. The search jumps from mark to mark.
 */
function takeQuoted(text: string, into: string[]): string {
  const n = text.length;
  for (let k = 0; k < 4; k++) nextOpening[k] = text.indexOf(OPENING[k]!);
  let out = '';
  let from = 0;
  for (;;) {
    let k = -1;
    for (let m = 0; m < 4; m++) if (nextOpening[m]! !== -1 && (k === -1 || nextOpening[m]! < nextOpening[k]!)) k = m;
    if (k === -1) break;
    const at = nextOpening[k]!;
    let resume = at + 1;
    const before = at > 0 ? text.charCodeAt(at - 1) : 32;
    if (isSpace(before) || before === 40 || before === 91 || before === 58 || before === 44) {
      const end = spanEnd(text, at, CLOSING[k]!);
      if (end !== -1 && (k !== 1 || end + 1 === n || endsQuote(text.charCodeAt(end + 1)))) {
        into.push(text.slice(at + 1, end).trim().toLowerCase());
        out += `${text.slice(from, at)} `;
        from = end + 1;
        resume = end + 1;
      }
    }
    for (let m = 0; m < 4; m++) if (nextOpening[m]! !== -1 && nextOpening[m]! < resume) nextOpening[m] = text.indexOf(OPENING[m]!, resume);
  }
  return from === 0 ? text : out + text.slice(from);
}

/** Where the span opened at `open` closes with `close` (1 to MAX_SPAN characters, one line), or -1. */
function spanEnd(text: string, open: number, close: number): number {
  const limit = Math.min(text.length, open + MAX_SPAN + 2);
  for (let at = open + 1; at < limit; at++) {
    const code = text.charCodeAt(at);
    if (code === close) return at > open + 1 ? at : -1;
    if (code === 10) return -1;
  }
  return -1;
}

/** [\s.,;:!?)\]]: what may follow a closing `'`. */
function endsQuote(code: number): boolean {
  return isSpace(code) || code === 46 || code === 44 || code === 59 || code === 58 || code === 33 || code === 63 || code === 41 || code === 93;
}

function isAsciiSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}
function isLetter(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
}
function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** What a run holds, as far as the literal patterns go. */
const PLAIN_RUN = 0; // letters, apostrophes, hyphens and punctuation no pattern matches
const NUMBER_RUN = 1; // digits and punctuation: perhaps one plain number
const LITERAL_RUN = 2; // anything else: the literal passes

/** The words of the run being read: where each starts and ends, and its hash. */
const WORD_SLOTS = MAX_CHARS / 2 + 1;
const wordStarts = new Int32Array(WORD_SLOTS);
const wordEnds = new Int32Array(WORD_SLOTS);
const wordHashes = new Int32Array(WORD_SLOTS);

/**
 * Reads `text` run by run, each in one loop over its characters that finds its end, tells what it
 * holds and hashes its words (runs of letters, apostrophes and hyphens). A run is plain when no
 * literal pattern can match in it: no digit, `@`, `/`, `\`, `_`, `#`, `+` (a name such as "C#"
 * or "C++" is the literal passes' to read), non-ASCII character but `’`,
 * lower-case letter before a capital (camelCase), `.` before a letter (`os.path`), `()` or `www.`;
 * its words are then looked up in place. A run of digits and such punctuation may be one plain
 * number; any other run goes through the literal passes.
 */
function readRuns(text: string): void {
  const n = text.length;
  let at = 0;
  while (at < n) {
    let code = text.charCodeAt(at);
    if (isAsciiSpace(code)) {
      at++;
      continue;
    }
    const start = at;
    let kind = PLAIN_RUN;
    let before = 0;
    let count = 0;
    let from = -1;
    let hash = SEED;
    for (;;) {
      if (code >= 97 && code <= 122) {
        if (from === -1) {
          from = at;
          hash = SEED;
        }
        hash = Math.imul(hash ^ code, 0x01000193);
      } else if (code >= 65 && code <= 90) {
        if (before >= 97 && before <= 122) kind = LITERAL_RUN;
        if (from === -1) {
          from = at;
          hash = SEED;
        }
        hash = Math.imul(hash ^ (code | 32), 0x01000193);
      } else if (code === 39 || code === 45 || code === 0x2019) {
        if (from === -1) {
          from = at;
          hash = SEED;
        }
        hash = Math.imul(hash ^ code, 0x01000193);
      } else {
        if (from !== -1) {
          wordStarts[count] = from;
          wordEnds[count] = at;
          wordHashes[count++] = hash;
          from = -1;
        }
        if (code >= 48 && code <= 57) {
          if (kind === PLAIN_RUN) kind = NUMBER_RUN;
        } else if (code === 46) {
          const next = at + 1 < n ? text.charCodeAt(at + 1) : 32;
          if (isLetter(next) || next === 95) kind = LITERAL_RUN;
          else if (at - start >= 3 && (text.charCodeAt(at - 1) | 32) === 119 && (text.charCodeAt(at - 2) | 32) === 119 && (text.charCodeAt(at - 3) | 32) === 119) kind = LITERAL_RUN;
        } else if (code === 40) {
          if (at + 1 < n && text.charCodeAt(at + 1) === 41) kind = LITERAL_RUN;
        } else if (code === 64 || code === 47 || code === 92 || code === 95 || code === 35 || code === 43 || code >= 128) kind = LITERAL_RUN;
      }
      before = code;
      if (++at === n) break;
      code = text.charCodeAt(at);
      if (code === 32 || (code >= 9 && code <= 13)) break;
    }
    if (from !== -1) {
      wordStarts[count] = from;
      wordEnds[count] = at;
      wordHashes[count++] = hash;
    }
    // A letter makes a run with digits no plain number.
    if (kind === NUMBER_RUN && count > 0) kind = hasLetter(text, start, at) ? LITERAL_RUN : NUMBER_RUN;
    if (kind === PLAIN_RUN) {
      for (let w = 0; w < count; w++) {
        const wordFrom = wordStarts[w]!;
        const wordTo = wordEnds[w]!;
        const wordHash = wordHashes[w]!;
        readWord(find(text, wordFrom, wordTo, wordHash) ?? remember(text.slice(wordFrom, wordTo).toLowerCase(), wordHash));
      }
    } else if (kind === NUMBER_RUN ? !readNumberRun(text, start, at) : !readLiteralRun(text, start, at)) readWords(literalPasses(text.slice(start, at), found, whole));
  }
}

function hasLetter(text: string, start: number, end: number): boolean {
  for (let at = start; at < end; at++) if (isLetter(text.charCodeAt(at))) return true;
  return false;
}

/** Opening marks a plain number may follow in its run: `(`, `[`, `"`, `$`. */
function opensNumber(code: number): boolean {
  return code === 40 || code === 91 || code === 34 || code === 36;
}
/** Marks a plain number may be followed by in its run: . , ; : ! ? ) ] " %. */
function closesNumber(code: number): boolean {
  return code === 46 || code === 44 || code === 59 || code === 58 || code === 33 || code === 63 || code === 41 || code === 93 || code === 34 || code === 37;
}

/**
 * A run that is one plain number (digits, perhaps a decimal part), perhaps after an opening mark
 * and before closing punctuation, read here; false (nothing read) for any other run with digits.
 */
function readNumberRun(text: string, start: number, end: number): boolean {
  let at = start;
  while (at < end && opensNumber(text.charCodeAt(at))) at++;
  const from = at;
  while (at < end && isDigit(text.charCodeAt(at))) at++;
  if (at === from) return false;
  let integer = at;
  if (at + 1 < end && text.charCodeAt(at) === 46 && isDigit(text.charCodeAt(at + 1))) {
    at++;
    while (at < end && isDigit(text.charCodeAt(at))) at++;
    integer = -1;
  }
  const to = at;
  while (at < end && closesNumber(text.charCodeAt(at))) at++;
  if (at !== end) return false;
  const digits = integer - from;
  // canonicalNumber of digits with at most one decimal part is String(Number(...)); an integer of
  // up to 15 digits without a leading zero is already that.
  const value = text.slice(from, to);
  found.number.push(integer !== -1 && digits <= 15 && (digits === 1 || text.charCodeAt(from) !== 48) ? value : String(Number(value)));
  return true;
}

/** [\w]: a letter, digit or `_`. */
function isWordChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95;
}
/** What may close a run after its one literal: . , ; : ! ? ) ] " (no word character, `-`, `/` or `@`). */
function closesLiteral(code: number): boolean {
  return code === 46 || code === 44 || code === 59 || code === 58 || code === 33 || code === 63 || code === 41 || code === 93 || code === 34;
}
/** Whether `text[at, end)` is only closing marks. */
function closedFrom(text: string, at: number, end: number): boolean {
  while (at < end && closesLiteral(text.charCodeAt(at))) at++;
  return at === end;
}

/**
 * A run that is one literal of a usual shape, read here exactly as the literal passes would read
 * it (and then nothing is left of it for the words): an identifier (`snake_case`, `camelCase`,
 * `PascalCase`, `call()`), an e-mail address or an absolute path, perhaps in brackets and before
 * closing marks. False (nothing read) for any other run.
 */
function readLiteralRun(text: string, start: number, end: number): boolean {
  let at = start;
  // An opening bracket or a stray double quote: none can start a match of any pass.
  while (at < end && (text.charCodeAt(at) === 40 || text.charCodeAt(at) === 91 || text.charCodeAt(at) === 34)) at++;
  if (at === end) return false;
  const first = text.charCodeAt(at);
  if (isLetter(first)) return readIdentifierOrAddress(text, at, end);
  if (first === 47 || first === 126) return readPath(text, start, at, end);
  return false;
}

function readIdentifierOrAddress(text: string, from: number, end: number): boolean {
  let at = from;
  while (at < end && isWordChar(text.charCodeAt(at))) at++;
  const next = at < end ? text.charCodeAt(at) : 32;
  if (next === 64 || next === 46 || next === 43 || next === 45) return readAddress(text, from, at, end);
  // An identifier pass match at the word's start (its alternatives in order), or none.
  const second = text.charCodeAt(from + 1);
  const call = next === 40 && at + 1 < end && text.charCodeAt(at + 1) === 41;
  let named = false;
  if (isLower(text.charCodeAt(from)) && from + 1 < at) {
    // [a-z]+[A-Z]: lower-case letters, then a capital.
    let i = from;
    while (i < at && isLower(text.charCodeAt(i))) i++;
    named = i > from && i < at && isUpper(text.charCodeAt(i));
  }
  if (!named && isUpper(text.charCodeAt(from)) && from + 2 < at && (isLower(second) || isDigit(second))) {
    // [A-Z][a-z0-9]+[A-Z]
    let i = from + 1;
    while (i < at && (isLower(text.charCodeAt(i)) || isDigit(text.charCodeAt(i)))) i++;
    named = i < at && isUpper(text.charCodeAt(i));
  }
  if (!named) {
    // [A-Za-z]\w*_\w+: an underscore after the first letter, a word character after it.
    for (let i = from + 1; i + 1 < at && !named; i++) named = text.charCodeAt(i) === 95;
  }
  if (!named && !call) return false;
  const to = call ? at + 2 : at;
  if (!closedFrom(text, to, end)) return false;
  found.identifier.push(text.slice(from, to));
  return true;
}

function isLower(code: number): boolean {
  return code >= 97 && code <= 122;
}
function isUpper(code: number): boolean {
  return code >= 65 && code <= 90;
}
/** [\w-]: a character of a domain label. */
function inLabel(code: number): boolean {
  return isWordChar(code) || code === 45;
}

/** local@domain.tld: [\w.+-]+@[\w-]+(\.[\w-]+)+, in lower case. */
function readAddress(text: string, from: number, at: number, end: number): boolean {
  while (at < end && (isWordChar(text.charCodeAt(at)) || text.charCodeAt(at) === 46 || text.charCodeAt(at) === 43 || text.charCodeAt(at) === 45)) at++;
  if (at >= end || text.charCodeAt(at) !== 64) return false;
  at++;
  const domain = at;
  while (at < end && inLabel(text.charCodeAt(at))) at++;
  if (at === domain) return false;
  let labels = 0;
  while (at + 1 < end && text.charCodeAt(at) === 46 && inLabel(text.charCodeAt(at + 1))) {
    at += 2;
    while (at < end && inLabel(text.charCodeAt(at))) at++;
    labels++;
  }
  if (labels === 0 || !closedFrom(text, at, end)) return false;
  found.email.push(text.slice(from, at).toLowerCase());
  return true;
}

/**
 * ~/x or /x/y: ~?\/[\w.@-]+(\/[\w.@-]*)* at the run's start or after `(`, without `@` or
 * `www.` (an address or URL pass would see it first); its closing dots dropped.
 */
function readPath(text: string, start: number, from: number, end: number): boolean {
  if (from !== start && !(from === start + 1 && text.charCodeAt(start) === 40)) return false;
  let at = from;
  if (text.charCodeAt(at) === 126) at++;
  if (at + 1 >= end || text.charCodeAt(at) !== 47 || !inPath(text.charCodeAt(at + 1))) return false;
  at++;
  while (at < end && (inPath(text.charCodeAt(at)) || text.charCodeAt(at) === 47)) at++;
  if (!closedFrom(text, at, end)) return false;
  const path = text.slice(from, at);
  if (path.toLowerCase().includes('www.')) return false;
  let to = at;
  while (text.charCodeAt(to - 1) === 46) to--;
  found.path.push(to === at ? path : text.slice(from, to));
  return true;
}

/** [\w.-]: a character of a path segment (`@` is left to the literal passes). */
function inPath(code: number): boolean {
  return isWordChar(code) || code === 46 || code === 45;
}

/** The words of text the literal passes left (split as the word loop splits: at anything but a-z 0-9 ' ’ -). */
function readWords(rest: string): void {
  const lower = rest.toLowerCase();
  const n = lower.length;
  let at = 0;
  while (at < n) {
    let code = lower.charCodeAt(at);
    if (!inWord(code)) {
      at++;
      continue;
    }
    const from = at;
    let hash = SEED;
    do {
      hash = mix(hash, code);
      code = ++at < n ? lower.charCodeAt(at) : 32;
    } while (inWord(code));
    readWord(find(lower, from, at, hash) ?? remember(lower.slice(from, at), hash));
  }
}

function inWord(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 39 || code === 45 || code === 0x2019;
}

/** One word as split from the text. */
function readWord(word: Word): void {
  if (word.kind === USUAL) {
    if (inNumber) flush();
    keep(word);
    return;
  }
  if (word.kind === NEGATION) {
    flush();
    negations++;
    return;
  }
  const raw = word.key;
  const trimmed = plainWord(raw) ? raw : raw.replace(/’/g, "'").replace(/^['-]+|['-]+$/g, '');
  if (trimmed.length === 0) return;
  // A number word joined by hyphens ("two-day", "twelve-year-old", "twenty-five") is a number:
  // its parts are read one by one. Other hyphenated words ("zoom-in", "well-known") stay whole.
  if (trimmed.includes('-')) {
    const parts = trimmed.split('-');
    if (parts.some(isNumberWord)) {
      for (const part of parts) consume(part);
      return;
    }
  }
  consume(trimmed);
}

/** The word loop: number words build a number, negations and ordinals are literals, the rest is kept. */
function consume(word: string): void {
  if (!NUMERIC_OR_NEGATING.has(word) && !word.endsWith("n't")) {
    if (inNumber) flush();
    keep(wordOf(word));
    return;
  }
  const unit = UNITS.get(word);
  if (unit !== undefined) {
    current += unit;
    inNumber = true;
    return;
  }
  const scale = SCALES.get(word);
  if (scale !== undefined && (inNumber || word !== 'hundred')) {
    if (scale === 100) current = (current === 0 ? 1 : current) * 100;
    else {
      total += (current === 0 ? 1 : current) * scale;
      current = 0;
    }
    inNumber = true;
    return;
  }
  if (word === 'and' && inNumber) return;
  flush();
  const ordinal = ORDINALS.get(word);
  if (ordinal !== undefined) {
    spelled.push(`#${ordinal}`);
    return;
  }
  const fraction = FRACTIONS.get(word);
  if (fraction !== undefined) {
    spelled.push(fraction);
    return;
  }
  if (NEGATION_WORDS.has(word) || word.endsWith("n't")) {
    negations++;
    return;
  }
  keep(wordOf(word));
}

function flush(): void {
  if (inNumber) spelled.push(String(total + current));
  total = 0;
  current = 0;
  inNumber = false;
}

/**
 * A word kept for the content-word comparison: a role word marks the next content word (and the
 * one before "than"/"vs", or before "to" as a source); a direction particle is counted; a stopword
 * goes; any other word adds its stem to the sequence and, once, to the content words.
 */
function keep(word: Word): void {
  const marker = word.marker;
  if (marker !== undefined) {
    role = marker;
    sequence.push(marker);
    if (previous !== undefined) {
      if (marker === '=') roles.push(roleOf('=', previous));
      else if (marker === '>') roles.push(roleOf('<', previous));
    }
    return;
  }
  if (word.particle !== undefined) roles.push(word.particle);
  const stemmed = word.stem;
  if (stemmed === undefined) return;
  if (role !== undefined) {
    roles.push(roleOf(role, stemmed));
    role = undefined;
  }
  previous = stemmed;
  sequence.push(stemmed.text);
  if (stemmed.seen !== scan) {
    stemmed.seen = scan;
    words.push(stemmed.text);
  }
}

/** `<marker><stem>`, made once per stem for the three role markers. */
function roleOf(marker: string, stemmed: Stem): string {
  if (marker === '>') return (stemmed.target ??= `>${stemmed.text}`);
  if (marker === '<') return (stemmed.source ??= `<${stemmed.text}`);
  if (marker === '=') return (stemmed.compared ??= `=${stemmed.text}`);
  return `${marker}${stemmed.text}`;
}
