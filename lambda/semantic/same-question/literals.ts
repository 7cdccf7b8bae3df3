/**
 * The protected literals of a prompt: the parts an embedding barely sees but that change the
 * answer. Each class is kept in prompt order, canonicalised, so two prompts agree on a class only
 * when they name the same literals in the same order.
 */
export const LITERAL_CLASSES = ['number', 'negation', 'quoted', 'email', 'url', 'path', 'identifier'] as const;
export type LiteralClass = (typeof LITERAL_CLASSES)[number];
export type Literals = Record<LiteralClass, string[]>;

const QUOTED = /(?:^|(?<=[\s([:,]))(?:"([^"\n]{1,200})"|“([^”\n]{1,200})”|'([^'\n]{1,200})'(?=[\s.,;:!?)\]]|$)|‘([^’\n]{1,200})’)/g;
const BACKTICKED = /`([^`\n]{1,200})`/g;
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
const URL = /\b(?:[a-z][a-z0-9+.-]*:\/\/|www\.)[^\s<>"'`]+/gi;
const PATH = /(?:^|(?<=[\s(=]))(?:~?\/[\w.@-]+(?:\/[\w.@-]*)*|[a-z]:\\[\w.\\ -]*[\w.]|\.{1,2}\/[\w.@/-]+|[\w.@-]+\/[\w.@-]*[a-z][\w.@/-]*)/gi;
/** camelCase, PascalCase with an inner capital, snake_case, dotted names (`os.path`, `config.json`), calls (`len()`). */
const IDENTIFIER = /\b(?:[a-z]+[A-Z]\w*|[A-Z][a-z0-9]+[A-Z]\w*|[A-Za-z]\w*_\w+|[A-Za-z_]\w*(?:\.[A-Za-z_]\w+)+|[A-Za-z_]\w*\(\))(?:\(\))?/g;
/** A token mixing letters and digits: an id or code ("1Z999AA1", "A4", "x86", "v1.2.3"), or a number and its unit ("10km", "5pm"). */
const MIXED = /\b[A-Za-z0-9]*(?:[A-Za-z]\d|\d[A-Za-z])[A-Za-z0-9]*(?:\.\d+)*\b/g;
const NUMBER = /(?:^|(?<=[^\w.]))-?\d+(?:[.,:/-]\d+)*(?:st|nd|rd|th)?/gi;
const TRAILING = /[.,;:!?)\]]+$/;
/** A language named by a letter and symbols ("C#", "C++", "F#"): one word, not the bare letter. */
const SYMBOL_NAME = /(?<![\w#+])([a-z])(#|\+\+)(?![\w#+])/gi;
const QUOTE_CHARS = /["“‘]|(?:^|[\s([:,])'/;
const IDENTIFIER_TELL = /[a-z][A-Z]|[A-Z][a-z0-9]+[A-Z]|\w_\w|[A-Za-z_]\.[A-Za-z_]|\(\)/;
const MIXED_TELL = /[A-Za-z]\d|\d[A-Za-z]/;
const DIGIT = /\d/;
const QUOTES = ['"', '“', '‘', "'"];
const SLASHES = ['/', '\\'];

/** A lower-case word with no curly apostrophe and no leading or trailing apostrophe or hyphen (the usual case). */
function plainWord(word: string): boolean {
  const first = word.charCodeAt(0);
  const last = word.charCodeAt(word.length - 1);
  return first !== 39 && first !== 45 && last !== 39 && last !== 45 && !word.includes('’');
}

const NEGATION_WORDS = new Set([
  'not', 'no', 'never', 'dont', 'doesnt', 'didnt', 'cant', 'wont', 'isnt', 'arent', 'wasnt', 'shouldnt', 'couldnt', 'wouldnt', 'without', 'none', 'nobody', 'nothing', 'neither', 'nor', 'nowhere', 'cannot', 'except', 'excluding', 'unless',
]);

const UNITS = table<number>({
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
  twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90, dozen: 12,
});
const SCALES = table<number>({ hundred: 100, thousand: 1000, million: 1e6, billion: 1e9, trillion: 1e12 });
const ORDINALS = table<number>({
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10,
  eleventh: 11, twelfth: 12, thirteenth: 13, fourteenth: 14, fifteenth: 15, sixteenth: 16, seventeenth: 17, eighteenth: 18,
  nineteenth: 19, twentieth: 20, thirtieth: 30, fortieth: 40, fiftieth: 50, hundredth: 100, thousandth: 1000, last: -1,
});
const FRACTIONS = table<string>({ half: '1/2', halves: '1/2', quarter: '1/4', quarters: '1/4', thirds: '1/3', twice: '×2', double: '×2', triple: '×3' });

/** A lookup table without a prototype, so "constructor" or "toString" is no number word. */
function table<T>(entries: Record<string, T>): Map<string, T> {
  return new Map(Object.entries(entries));
}

/** A cardinal, scale or ordinal number word. */
function isNumberWord(part: string): boolean {
  return UNITS.has(part) || SCALES.has(part) || ORDINALS.has(part);
}

/** Every word the loop below treats specially (number words, negations, "and" inside a number). */
const NUMERIC_OR_NEGATING: ReadonlySet<string> = new Set([...UNITS.keys(), ...SCALES.keys(), ...ORDINALS.keys(), ...FRACTIONS.keys(), ...NEGATION_WORDS, 'and']);

const WORD_BREAK = /[^a-z0-9'’-]+/;

/** Words known to be kept as they are by the word loop below; bounded, emptied when full. */
const USUAL = new Set<string>();
const USUAL_MAX = 4096;

/**
 * Whether the word loop keeps `raw` as it is, whatever comes before it: no apostrophe or hyphen
 * to trim, no hyphen to split at, no number word, negation or "and".
 */
function usual(raw: string): boolean {
  return plainWord(raw) && !raw.includes('-') && !NUMERIC_OR_NEGATING.has(raw) && !raw.endsWith("n't");
}

/**
 * The prompt with each matched literal replaced by a space, and the literals found (the first
 * capturing group that took part, else the whole match). `pattern` is global and never matches
 * the empty string; the search starts at `start`, where no match of it may begin earlier.
 */
function take(text: string, pattern: RegExp, found: string[], canonical: (match: string, group?: string) => string, start = 0): string {
  pattern.lastIndex = start;
  let match = pattern.exec(text);
  if (match === null) return text;
  let out = '';
  let from = 0;
  do {
    let group: string | undefined;
    for (let g = 1; g < match.length; g++) {
      if (match[g] !== undefined) {
        group = match[g];
        break;
      }
    }
    found.push(canonical(match[0], group));
    out += text.slice(from, match.index) + ' ';
    from = match.index + match[0].length;
    match = pattern.exec(text);
  } while (match !== null);
  pattern.lastIndex = 0;
  return out + text.slice(from);
}

/** Where the run of characters `inRun` accepts that ends just before `at` starts. */
function runStart(text: string, at: number, inRun: (code: number) => boolean): number {
  let start = at;
  while (start > 0 && inRun(text.charCodeAt(start - 1))) start--;
  return start;
}

/** The first index of any of `chars` in `text`, or -1. */
function firstOf(text: string, chars: readonly string[]): number {
  let first = -1;
  for (const char of chars) {
    const at = text.indexOf(char);
    if (at !== -1 && (first === -1 || at < first)) first = at;
  }
  return first;
}

function isWordCode(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}
/** [\w.+-]: an e-mail address's local part. */
function inLocalPart(code: number): boolean {
  return isWordCode(code) || code === 46 || code === 43 || code === 45;
}
/** [\w.@~:-]: what may precede the first slash or backslash of a path match. */
function beforeSlash(code: number): boolean {
  return isWordCode(code) || code === 46 || code === 64 || code === 126 || code === 58 || code === 45;
}

function canonicalNumber(raw: string): string {
  let value = raw.toLowerCase();
  let ordinal = '';
  const suffix = /(st|nd|rd|th)$/.exec(value);
  if (suffix) {
    ordinal = '#';
    value = value.slice(0, -2);
  }
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(value)) value = value.replace(/,/g, '');
  if (/^-?\d+(\.\d+)?$/.test(value)) value = String(Number(value));
  return ordinal + value;
}

/**
 * Extracts the literal classes of `prompt` and returns the words left over (lower case, apostrophes
 * kept, negation words and number words removed) for the content-word comparison.
 */
export function extractLiterals(prompt: string): { literals: Literals; words: string[] } {
  const literals: Literals = { number: [], negation: [], quoted: [], email: [], url: [], path: [], identifier: [] };
  let text = prompt.length > 4000 ? prompt.slice(0, 4000) : prompt;
  // Each pass runs only when its tell-tale character is there: most prompts skip most of them.
  if (text.includes('`')) text = take(text, BACKTICKED, literals.identifier, (_m, g) => (g ?? '').trim());
  // A pass starts its search where its first match could start, never later: a quoted span at its
  // opening quote, an address at the start of the local part before the first "@", a path at the
  // start of the run before the first slash, a number one character before the first digit.
  if (QUOTE_CHARS.test(text)) text = take(text, QUOTED, literals.quoted, (_m, g) => (g ?? '').trim().toLowerCase(), Math.max(0, firstOf(text, QUOTES)));
  const at = text.indexOf('@');
  if (at !== -1) text = take(text, EMAIL, literals.email, (m) => m.toLowerCase(), runStart(text, at, inLocalPart));
  if (text.includes('://') || text.includes('www.')) text = take(text, URL, literals.url, (m) => m.replace(TRAILING, '').toLowerCase());
  const slash = firstOf(text, SLASHES);
  if (slash !== -1) text = take(text, PATH, literals.path, (m) => m.replace(TRAILING, ''), runStart(text, slash, beforeSlash));
  if (IDENTIFIER_TELL.test(text)) text = take(text, IDENTIFIER, literals.identifier, (m) => m);
  if (MIXED_TELL.test(text)) text = text.replace(MIXED, (token) => {
    if (/^\d+(?:st|nd|rd|th)$/i.test(token)) {
      literals.number.push(canonicalNumber(token));
      return ' ';
    }
    const unit = /^(\d+)([a-z]+)$/i.exec(token);
    if (unit !== null) {
      literals.number.push(canonicalNumber(unit[1]!));
      return ` ${unit[2]!} `; // the unit stays a word
    }
    literals.number.push(token.toLowerCase());
    return ' ';
  });
  const digit = text.search(DIGIT);
  if (digit !== -1) text = take(text, NUMBER, literals.number, canonicalNumber, Math.max(0, digit - 1));
  if (text.includes('#') || text.includes('++')) text = text.replace(SYMBOL_NAME, (_m, letter: string, symbol: string) => ` ${letter}${symbol === '#' ? 'sharp' : 'plusplus'} `);
  const words: string[] = [];
  // Number words make one number per run ("twenty five" = 25, "two thousand and five" = 2005).
  let total = 0;
  let current = 0;
  let inNumber = false;
  const flush = (): void => {
    if (inNumber) literals.number.push(String(total + current));
    total = 0;
    current = 0;
    inNumber = false;
  };
  const consume = (word: string): void => {
    if (!NUMERIC_OR_NEGATING.has(word) && !word.endsWith("n't")) {
      // The usual word: one lookup.
      if (inNumber) flush();
      words.push(word);
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
      literals.number.push(`#${ordinal}`);
      return;
    }
    const fraction = FRACTIONS.get(word);
    if (fraction !== undefined) {
      literals.number.push(fraction);
      return;
    }
    if (NEGATION_WORDS.has(word) || word.endsWith("n't")) {
      literals.negation.push('not');
      return;
    }
    words.push(word);
  };
  for (const raw of text.toLowerCase().split(WORD_BREAK)) {
    if (raw.length === 0) continue;
    if (USUAL.has(raw)) {
      // A word seen before that is kept as it is (the usual case): one lookup.
      if (inNumber) flush();
      words.push(raw);
      continue;
    }
    if (usual(raw)) {
      if (USUAL.size >= USUAL_MAX) USUAL.clear();
      USUAL.add(raw);
    }
    const word = plainWord(raw) ? raw : raw.replace(/’/g, "'").replace(/^['-]+|['-]+$/g, '');
    if (word.length === 0) continue;
    // A number word joined by hyphens ("two-day", "twelve-year-old", "twenty-five") is a number:
    // its parts are read one by one. Other hyphenated words ("zoom-in", "well-known") stay whole.
    if (word.includes('-') && word.split('-').some(isNumberWord)) word.split('-').forEach(consume);
    else consume(word);
  }
  flush();
  return { literals, words };
}
