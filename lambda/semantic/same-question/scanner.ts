/**
 * The prompt scanner of the same-question check: one pass over the prompt's character codes that
 * takes out the backticked and quoted spans, then reads the prompt run by run (a run is the text
 * between ASCII white space) and turns each into literals and words, and each word at once into
 * content stems, roles and the word sequence (QuestionFacts). The lexical tables it reads live in
 * literals.ts and words.ts.
 *
 * A run of letters and punctuation that no literal pattern can match (the usual run) is read here,
 * character by character; a plain number and one identifier, address or path of a usual shape in
 * literal-runs.ts. Any other run (a mixed token such as "10km", a URL, non-ASCII text) goes through
 * the literal passes of literals.ts, which give exactly what they gave on the whole prompt: none of
 * them matches across white space. A prompt holding a Windows path (":\", which may hold spaces)
 * goes through them whole. The spans are taken out first (spans.ts).
 *
 * Words are remembered (bounded): the usual word is found by its characters in place, hashed as
 * they are read, with no string made for it.
 */
import { FRACTIONS, identifierToldIn, isNumberWord, literalPasses, NEGATION_WORDS, NUMERIC_OR_NEGATING, ORDINALS, SCALES, UNITS, urlToldIn, type PassLiterals, type WholeTells } from './literals';
import { isLetter, readLiteralRun, readNumberRun } from './literal-runs';
import { takeBackticked, takeQuoted } from './spans';
import { isListed, isSpecial, isStopword, PARTICLES, ROLE_WORDS, stem } from './words';

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
  /**
   * Whether, written in capitals in a prompt that has lower-case letters too ("XLOOKUP", "ODR"),
   * it is a name: an identifier literal, not a word. Only a content word of letters the word lists
   * do not know ("USA", "SQL", "KG" stay words).
   */
  readonly name: boolean;
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
  if (!isSpecial(key)) {
    const stemmed = stem(key);
    return { key, hash, kind, marker: undefined, particle: undefined, stem: stemOf(stemmed), name: kind === USUAL && LETTERS.test(key) && !isListed(stemmed) };
  }
  const marker = ROLE_WORDS.get(key);
  if (marker !== undefined) return { key, hash, kind, marker, particle: undefined, stem: undefined, name: false };
  return { key, hash, kind, marker: undefined, particle: PARTICLES.has(key) ? `^${key}` : undefined, stem: isStopword(key) ? undefined : stemOf(stem(key)), name: false };
}

const LOWER_CASE = /[a-z]/;
/** Two letters or more, nothing else. */
const LETTERS = /^[a-z]{2,}$/;

/** Whether `text[start, end)` is all capitals (ASCII letters; the caller knows they are letters). */
function inCapitals(text: string, start: number, end: number): boolean {
  for (let at = start; at < end; at++) {
    const code = text.charCodeAt(at);
    if (code < 65 || code > 90) return false;
  }
  return true;
}

/**
 * A word read from `text[start, end)`: a name in capitals (Word.name) is an identifier literal,
 * when the prompt has lower-case letters too (a prompt all in capitals has no such names).
 */
function readWordAt(word: Word, text: string, start: number, end: number): void {
  if (word.name && hasLowerCase && inCapitals(text, start, end)) found.identifier.push(text.slice(start, end));
  else readWord(word);
}

/** One scan's state; the literal lists are reused from scan to scan. */
const found: PassLiterals = { email: [], url: [], path: [], identifier: [], mixed: [], number: [] };
const quoted: string[] = [];
const backticked: string[] = [];
/** Numbers written in words, ordinals and fractions ("twenty five", "third", "half"): after the digits. */
const spelled: string[] = [];
let negations = 0;
let scan = 0;
/** Whether the text the scanner reads has a lower-case ASCII letter. */
let hasLowerCase = false;
/** The word read last, and the one before it (as split from the text, lower case). */
let lastWord = '';
let priorWord = '';
/** Words after which "one" is a pronoun. */
const ONE_AS_PRONOUN: ReadonlySet<string> = new Set(
  'this that which the each any every another other no quick last next right wrong same only new old good big small little such'.split(' '),
);
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
/** The last content words (up to SOURCE_SPAN) since the last role word: what a "to" after them turns into sources. */
const SOURCE_SPAN = 4;
const span: Stem[] = [];

/**
 * Polite formulas holding a negation that negates nothing of the question ("If it's not too much
 * trouble, explain ..." asks what "Explain ..." asks): read as white space.
 */
const POLITE_FORMULAS = /\bif (?:(?:it|that)(?:['’]s| is) not|(?:it|that) isn['’]t) too much (?:trouble|to ask)\b|\bif you (?:don['’]t|do not) mind\b|\bno worries if not\b/gi;

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
  span.length = 0;

  let text = prompt.length > MAX_CHARS ? prompt.slice(0, MAX_CHARS) : prompt;
  text = text.replace(POLITE_FORMULAS, ' ');
  if (text.includes('`')) text = takeBackticked(text, backticked);
  text = takeQuoted(text, quoted);
  passesText = text;
  hasLowerCase = LOWER_CASE.test(text);
  lastWord = priorWord = '';
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

function isAsciiSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
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
 * lower-case letter before a capital (camelCase), `.` before a letter (`os.path`), `()`, `->` or `www.`;
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
        } else if (code === 62) {
          if (before === 45) kind = LITERAL_RUN; // "->": a member (GPIOA->ODR)
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
        readWordAt(find(text, wordFrom, wordTo, wordHash) ?? remember(text.slice(wordFrom, wordTo).toLowerCase(), wordHash), text, wordFrom, wordTo);
      }
    } else if (kind === NUMBER_RUN ? !readNumberRun(text, start, at, found) : !readLiteralRun(text, start, at, found)) readWords(literalPasses(text.slice(start, at), found, whole));
  }
}

function hasLetter(text: string, start: number, end: number): boolean {
  for (let at = start; at < end; at++) if (isLetter(text.charCodeAt(at))) return true;
  return false;
}

/** The words of text the literal passes left (split as the word loop splits: at anything but a-z 0-9 ' ’ -). */
function readWords(rest: string): void {
  const lower = rest.toLowerCase();
  // Lowering kept every character where it was (no non-ASCII letter that lowers to two): a word's capitals are read in `rest`.
  const sameLength = lower.length === rest.length;
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
    const word = find(lower, from, at, hash) ?? remember(lower.slice(from, at), hash);
    if (sameLength) readWordAt(word, rest, from, at);
    else readWord(word);
  }
}

function inWord(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 39 || code === 45 || code === 0x2019;
}

/** One word as split from the text. */
function readWord(word: Word): void {
  priorWord = lastWord;
  lastWord = word.key;
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
  // "one" after a determiner or an adjective is a pronoun ("this one", "which one", "quick one"), no number.
  if (word === 'one' && ONE_AS_PRONOUN.has(priorWord)) return;
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
 * one before "than"/"vs"; before "to", the content words since the last role word, up to four, are
 * sources: "a hex string to base64" has the sources "hex" and "string", "30 liters per 100 km to
 * miles per gallon" "liter" and "km"); a direction particle is counted; a stopword goes; any other
 * word adds its stem to the sequence and, once, to the content words.
 */
function keep(word: Word): void {
  const marker = word.marker;
  if (marker !== undefined) {
    role = marker;
    sequence.push(marker);
    if (previous !== undefined) {
      if (marker === '=') roles.push(roleOf('=', previous));
      else if (marker === '>') {
        roles.push(roleOf('<', previous));
        for (let i = span.length - 1; i >= 0; i--) {
          const source = span[i]!;
          if (source !== previous && span.indexOf(source, i + 1) === -1) roles.push(roleOf('<', source));
        }
      }
    }
    span.length = 0;
    return;
  }
  if (word.particle !== undefined) roles.push(word.particle);
  const stemmed = word.stem;
  if (stemmed === undefined) return;
  if (role !== undefined) {
    roles.push(roleOf(role, stemmed));
    role = undefined;
  }
  if (span.length === SOURCE_SPAN) span.shift();
  span.push(stemmed);
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
