/**
 * The protected literals of a prompt: the parts an embedding barely sees but that change the
 * answer. Each class is kept in prompt order, canonicalised, so two prompts agree on a class only
 * when they name the same literals in the same order.
 */
export const LITERAL_CLASSES = ['number', 'negation', 'quoted', 'email', 'url', 'path', 'identifier'] as const;
export type LiteralClass = (typeof LITERAL_CLASSES)[number];
export type Literals = Record<LiteralClass, string[]>;

const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
const URL = /\b(?:[a-z][a-z0-9+.-]*:\/\/|www\.)[^\s<>"'`]+/gi;
const PATH = /(?:^|(?<=[\s(=]))(?:~?\/[\w.@-]+(?:\/[\w.@-]*)*|[a-z]:\\(?:[\w. -]*\\)*[\w.-]*[\w.]|\.{1,2}\/[\w.@/-]+|[\w.@-]+\/[\w.@-]*[a-z][\w.@/-]*)/gi;
/**
 * camelCase, PascalCase with an inner capital, snake_case, dotted names (`os.path`, `config.json`),
 * members through `->` (`GPIOA->ODR`), calls (`len()`); each continued through calls, dots and
 * arrows (`df.groupby().transform`, `dev->ops->read()`).
 */
const IDENTIFIER = /\b(?:[a-z]+[A-Z]\w*|[A-Z][a-z0-9]+[A-Z]\w*|[A-Za-z]\w*_\w+|[A-Za-z_]\w*(?:\.[A-Za-z_]\w+)+|[A-Za-z_]\w*(?:->[A-Za-z_]\w*)+|[A-Za-z_]\w*\(\))(?:\(\)|(?:\.|->)[A-Za-z_]\w*)*/g;
/** A token mixing letters and digits: an id or code ("1Z999AA1", "A4", "x86", "v1.2.3"), or a number and its unit ("10km", "5pm"). */
const MIXED = /\b[A-Za-z0-9]*(?:[A-Za-z]\d|\d[A-Za-z])[A-Za-z0-9]*(?:\.\d+)*\b/g;
const NUMBER = /(?:^|(?<=[^\w.]))-?\d+(?:[.,:/-]\d+)*(?:st|nd|rd|th)?/gi;
const TRAILING = /[.,;:!?)\]]+$/;
/** A language named by a letter and symbols ("C#", "C++", "F#"): one word, not the bare letter. */
const SYMBOL_NAME = /(?<![\w#+])([a-z])(#|\+\+)(?![\w#+])/gi;
const IDENTIFIER_TELL = /[a-z][A-Z]|[A-Z][a-z0-9]+[A-Z]|\w_\w|[A-Za-z_]\.[A-Za-z_]|\(\)|\w->[A-Za-z_]/;
/** What a dotted identifier the tell above misses has: a digit before its dot (`x5.y`). */
const UNTOLD_IDENTIFIER = /\d\.[A-Za-z_]/;
/** What a URL the URL pass's tell misses has: `www.` not in lower case. */
const UNTOLD_URL = /www\./i;
const MIXED_TELL = /[A-Za-z]\d|\d[A-Za-z]/;
const DIGIT = /\d/;
const SLASHES = ['/', '\\'];

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
const FRACTIONS = table<string>({
  half: '1/2', halves: '1/2', quarter: '1/4', quarters: '1/4', thirds: '1/3', twice: '×2', double: '×2', triple: '×3', quadruple: '×4',
  // "threefold", "tenfold", "hundredfold": a number word and "fold", a multiple.
  ...Object.fromEntries(['two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'twelve', 'twenty', 'fifty', 'hundred', 'thousand', 'million']
    .map((word) => [`${word}fold`, `×${word === 'hundred' ? 100 : word === 'thousand' ? 1000 : word === 'million' ? 1e6 : UNITS.get(word)!}`])),
});

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

/**
 * The text with each match of `pattern` replaced by a space, and the matches found, canonicalised.
 * `pattern` is global and never matches the empty string; the search starts at `start`, where no
 * match of it may begin earlier.
 */
function take(text: string, pattern: RegExp, found: string[], canonical: (match: string) => string, start = 0): string {
  pattern.lastIndex = start;
  let match = pattern.exec(text);
  if (match === null) return text;
  let out = '';
  let from = 0;
  do {
    found.push(canonical(match[0]));
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

/** The literals the passes below find, per pass: a class's literals are kept pass by pass, each pass's in prompt order. */
export interface PassLiterals {
  readonly email: string[];
  readonly url: string[];
  readonly path: string[];
  readonly identifier: string[];
  /** Numbers from tokens that mix letters and digits ("10km", "3rd", "x86"): before the plain numbers. */
  readonly mixed: string[];
  readonly number: string[];
}

/**
 * The passes that follow the backticked and quoted spans (addresses, URLs, paths, identifiers,
 * mixed tokens, numbers), in that order, on `text`: each takes its matches out (a space instead)
 * before the next runs. Returns what is left, for the words. The scanner runs them only on the
 * rare run of text that may hold such a literal; none of them matches across white space except a
 * Windows path, so a run between white space gives what the whole text would, given `whole`:
 * two passes run only when their tell is somewhere in the whole text, and a run may lack it
 * while its own text would match.
 */
export function literalPasses(text: string, found: PassLiterals, whole: WholeTells): string {
  // Each pass runs only when its tell-tale character is there: most runs skip most of them.
  // A pass starts its search where its first match could start, never later: an address at the
  // start of the local part before the first "@", a path at the start of the run before the first
  // slash, a number one character before the first digit.
  const at = text.indexOf('@');
  if (at !== -1) text = take(text, EMAIL, found.email, (m) => m.toLowerCase(), runStart(text, at, inLocalPart));
  // The URL pass runs when "://" or "www." is anywhere in the prompt (once the addresses are
  // out): "WWW.x" is then a URL, else perhaps a path.
  if (urlTold(text) || (UNTOLD_URL.test(text) && whole.url())) text = take(text, URL, found.url, (m) => m.replace(TRAILING, '').toLowerCase());
  const slash = firstOf(text, SLASHES);
  if (slash !== -1) text = take(text, PATH, found.path, (m) => m.replace(TRAILING, ''), runStart(text, slash, beforeSlash));
  // The identifier pass runs when its tell is anywhere in the prompt (once the addresses, URLs
  // and paths are out): a dotted name with a digit before its dot (`x5.y`), which has no tell of
  // its own, is then an identifier, else a mixed token and a word.
  if (IDENTIFIER_TELL.test(text) || (UNTOLD_IDENTIFIER.test(text) && whole.identifier())) text = take(text, IDENTIFIER, found.identifier, (m) => m);
  if (MIXED_TELL.test(text)) text = text.replace(MIXED, (token) => {
    if (/^\d+(?:st|nd|rd|th)$/i.test(token)) {
      found.mixed.push(canonicalNumber(token));
      return ' ';
    }
    const unit = /^(\d+)([a-z]+)$/i.exec(token);
    if (unit !== null) {
      found.mixed.push(canonicalNumber(unit[1]!));
      return ` ${unit[2]!} `; // the unit stays a word
    }
    found.mixed.push(token.toLowerCase());
    return ' ';
  });
  const digit = text.search(DIGIT);
  if (digit !== -1) text = take(text, NUMBER, found.number, canonicalNumber, Math.max(0, digit - 1));
  if (text.includes('#') || text.includes('++')) text = text.replace(SYMBOL_NAME, (_m, letter: string, symbol: string) => ` ${letter}${symbol === '#' ? 'sharp' : 'plusplus'} `);
  return text;
}

/** Whether the URL and identifier passes run on the whole text (the prompt without its backticked and quoted spans). */
export interface WholeTells {
  url(): boolean;
  identifier(): boolean;
}

function urlTold(text: string): boolean {
  return text.includes('://') || text.includes('www.');
}

/** WholeTells of `text`: whether the URL pass's tell is there once the addresses are out. */
export function urlToldIn(text: string): boolean {
  return urlTold(text.includes('@') ? take(text, EMAIL, [], (m) => m) : text);
}

/** WholeTells of `text`: whether the identifier pass's tell is there once the addresses, URLs and paths are out. */
export function identifierToldIn(text: string): boolean {
  const ignored: string[] = [];
  if (text.includes('@')) text = take(text, EMAIL, ignored, (m) => m);
  if (urlTold(text)) text = take(text, URL, ignored, (m) => m);
  if (firstOf(text, SLASHES) !== -1) text = take(text, PATH, ignored, (m) => m);
  return IDENTIFIER_TELL.test(text);
}

/** The lexical tables, read by the scanner's word loop (scanner.ts). */
export { NEGATION_WORDS, UNITS, SCALES, ORDINALS, FRACTIONS, NUMERIC_OR_NEGATING, isNumberWord };
