import { MORE_ANTONYM_PAIRS, MORE_CITIES, MORE_COUNTRIES, MORE_LANGUAGES, MORE_PROGRAMMING_LANGUAGES, MORE_EXCLUSIVE_GROUPS, MORE_UNITS, SPELLING_VARIANTS, SYNONYM_SETS, UNIT_ABBREVIATIONS, WORD_FORMS } from './lexicon';

/**
 * Content words: what is left of a prompt once the literals are taken out, minus function words,
 * question words and politeness, reduced to a crude stem so "files" / "file" and "running" / "run"
 * agree. Plus the dictionary of mutually exclusive words (weekdays, months, countries, languages,
 * programming languages, antonym poles) whose swap is never the same question.
 */
const STOPWORDS = new Set(
  ('a an the this that these those it its it\'s i i\'m i\'d i\'ll i\'ve me my mine we us our you your you\'re he she they them their his her ' +
    'is are was were be been being am do does did doing done have has had having will would shall should can could may might must ' +
    'what what\'s which who whom whose when where why how how\'s whats hows ' +
    'of in on at by for with about as into onto over under up down out off from to than then so such too very just also ' +
    'and or but if else any some all each every both either more most other another own same ' +
    'please kindly thanks thank hi hello hey help tell explain know want need like let let\'s show give get ' +
    'there here there\'s it\'ll way ways quick quickly exactly actually really basically simply currently ' +
    'go going gonna wanna anyone someone something anything vs versus via per ok okay many much ' +
    // Inflected forms of the verbs above: "I'm getting an error" asks what "the error" asks.
    'gets getting got gotten gives giving gave given shows showing showed shown tells telling told wants wanted wanting ' +
    'needs needed needing lets letting knows knew known helps helped helping explains explained explaining goes went gone ' +
    // Prepositions that say what "about" says, and a degree word like "very".
    'regarding concerning quite')
    .split(' '),
);

/**
 * Words that carry an argument's role: the content word after them is a target (`>`), a source
 * (`<`), a compared side (`=`: "than", "vs", "against"), or one of two coordinated words (`&`:
 * "and", "or", whose two sides may change places: "TCP and UDP" / "UDP and TCP").
 */
export const ROLE_WORDS: ReadonlyMap<string, string> = new Map([
  ['to', '>'],
  ['into', '>'],
  ['from', '<'],
  ['than', '='],
  ['vs', '='],
  ['versus', '='],
  ['against', '='],
  ['and', '&'],
  ['or', '&'],
]);

/**
 * A light stem (after Porter): plural and -ing/-ed endings off long enough words, so "files" /
 * "file", "running" / "run", "citing" / "cite", "parsing" / "parse", "cities" / "city" agree. An
 * -ing/-ed stem ending in a doubled consonant loses one ("running" -> "run", not "ll", "ss", "zz");
 * a short one ending consonant-vowel-consonant gets its "e" back ("citing" -> "cite"); a final "e"
 * goes when the stem is long enough without it ("parse" -> "pars", but "cite" and "plane" stay, so
 * "plane" is not "plan"); a final "y" after a consonant is "i" ("city", "cities" -> "citi").
 */
export function stem(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith("'s")) word = word.slice(0, -2);
  return finalY(finalE(inflection(word)));
}

function inflection(word: string): string {
  if (word.length > 5 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 5 && word.endsWith('ing')) return restore(word.slice(0, -3));
  if (word.length > 4 && word.endsWith('ed')) return restore(word.slice(0, -2));
  if (word.length > 4 && (word.endsWith('ches') || word.endsWith('shes') || word.endsWith('sses') || word.endsWith('xes'))) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us') && !word.endsWith('is')) return word.slice(0, -1);
  return word;
}

/** What an -ing/-ed ending took: one of a doubled consonant, or the "e" of a short stem. */
function restore(base: string): string {
  const n = base.length;
  const last = base[n - 1]!;
  if (n > 3 && last === base[n - 2] && consonant(base, n - 1) && last !== 'l' && last !== 's' && last !== 'z') return base.slice(0, -1);
  if (measure(base) === 1 && endsCvc(base)) return `${base}e`;
  return base;
}

function finalE(word: string): string {
  if (word.length <= 3 || !word.endsWith('e') || word.endsWith('ee')) return word;
  const base = word.slice(0, -1);
  const m = measure(base);
  return m > 1 || (m === 1 && !endsCvc(base)) ? base : word;
}

function finalY(word: string): string {
  return word.length > 3 && word.endsWith('y') && consonant(word, word.length - 2) ? `${word.slice(0, -1)}i` : word;
}

/** A consonant at `i` ("y" is one after a vowel or at the start). */
function consonant(word: string, i: number): boolean {
  const c = word[i];
  if (c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u') return false;
  return c !== 'y' || i === 0 || !consonant(word, i - 1);
}

/** Porter's measure: how many vowel-consonant sequences the word has. */
function measure(word: string): number {
  let m = 0;
  let i = 0;
  while (i < word.length && consonant(word, i)) i++;
  while (i < word.length) {
    while (i < word.length && !consonant(word, i)) i++;
    if (i >= word.length) break;
    while (i < word.length && consonant(word, i)) i++;
    m++;
  }
  return m;
}

/** Ends consonant-vowel-consonant, the last not w, x or y ("cit", "plan", not "fix"). */
function endsCvc(word: string): boolean {
  const n = word.length;
  if (n < 3) return false;
  const last = word[n - 1];
  return consonant(word, n - 3) && !consonant(word, n - 2) && consonant(word, n - 1) && last !== 'w' && last !== 'x' && last !== 'y';
}

/** A stopword, unless the dictionaries below give it an axis ("most" / "fewest", "up" / "down"); "may" stays one. */
export function isStopword(word: string): boolean {
  return effectiveStopwords().has(word);
}

let stopwords: Set<string> | undefined;
function effectiveStopwords(): Set<string> {
  stopwords ??= new Set([...STOPWORDS].filter((word) => word === 'may' || !POLES.has(stem(word))));
  return stopwords;
}

let special: Set<string> | undefined;
/** A role word, a direction particle or a stopword: one lookup for the usual content word. */
export function isSpecial(word: string): boolean {
  special ??= new Set([...effectiveStopwords(), ...ROLE_WORDS.keys(), ...PARTICLES]);
  return special.has(word);
}

const LENGTH_UNITS = 'mile mi kilometer kilometre km meter metre centimeter cm millimeter mm inch foot feet ft yard yd';
const MASS_UNITS = 'pound lb lbs kilogram kg gram g milligram mg microgram mcg ounce oz ton tonne stone';
const VOLUME_UNITS = 'liter litre gallon quart pint cup ml milliliter teaspoon tablespoon';
const TIME_UNITS = 'second minute hour day week month year decade century millisecond microsecond nanosecond ms sec hr';

/** Groups of words of one kind: two different members of a group are never the same question. */
const EXCLUSIVE_GROUPS: readonly string[] = [
  'monday tuesday wednesday thursday friday saturday sunday weekday weekend today tomorrow yesterday tonight',
  'january february march april may june july august september october november december',
  'spring summer autumn fall winter',
  'morning afternoon evening night noon midnight',
  'am pm',
  'france germany spain italy portugal england britain uk ireland scotland wales usa america canada mexico brazil argentina chile peru colombia ' +
    'china japan korea india pakistan russia ukraine poland sweden norway finland denmark netherlands belgium switzerland austria greece turkey ' +
    'egypt nigeria kenya africa australia zealand europe asia antarctica israel iran iraq vietnam thailand indonesia philippines singapore malaysia ' +
    MORE_COUNTRIES,
  'paris london berlin madrid rome tokyo beijing moscow york boston chicago seattle vegas angeles francisco sydney toronto dublin amsterdam lisbon ' +
    MORE_CITIES,
  'english french german spanish italian portuguese chinese mandarin cantonese japanese korean russian arabic hindi dutch swedish danish norwegian ' +
    'finnish icelandic polish czech slovak hungarian romanian bulgarian serbian croatian ukrainian greek turkish hebrew persian farsi urdu bengali ' +
    'punjabi tamil telugu thai vietnamese indonesian malay tagalog swahili latin ' +
    MORE_LANGUAGES,
  'python java javascript typescript ruby rust go golang c cplusplus csharp fsharp kotlin swift php perl scala haskell elixir erlang lua r matlab sql bash ' +
    'powershell dart julia clojure fortran cobol ' +
    MORE_PROGRAMMING_LANGUAGES,
  'react angular vue svelte django flask rails spring express laravel nextjs',
  'windows linux macos mac ubuntu debian android ios',
  'aws azure gcp',
  'mysql postgres postgresql sqlite mongodb redis oracle dynamodb',
  'chrome firefox safari edge',
  'iphone ipad android pixel galaxy',
  'red orange yellow green blue purple pink black white brown gray grey',
  'celsius fahrenheit kelvin',
  LENGTH_UNITS,
  MASS_UNITS,
  VOLUME_UNITS,
  // Any unit of measure for another, whatever it measures: "a cup" / "an ounce" of flour, "per mile" / "per hour".
  [LENGTH_UNITS, MASS_UNITS, VOLUME_UNITS, TIME_UNITS, ...MORE_UNITS].join(' '),
  TIME_UNITS,
  'dollar euro pound yen yuan rupee peso franc usd eur gbp jpy bitcoin',
  'byte kilobyte megabyte gigabyte terabyte petabyte kb mb gb tb bit kilobit megabit gigabit terabit kibibyte mebibyte gibibyte tebibyte kib mib gib tib',
  'cat dog horse cow pig sheep goat chicken bird fish rabbit',
  'apple banana orange grape strawberry lemon mango',
  'beef pork chicken lamb turkey tofu fish',
  'man woman men women boy girl male female husband wife father mother son daughter brother sister',
  'north south east west',
  'left right',
  'ibuprofen acetaminophen paracetamol aspirin naproxen',
  'coffee tea water milk beer wine juice alcohol',
  ...MORE_EXCLUSIVE_GROUPS,
];

/** Axes with two poles: a word of one pole against a word of the other is never the same question. */
const ANTONYM_PAIRS: readonly [string, string][] = [
  ['largest biggest highest greatest tallest longest maximum max most', 'smallest lowest least shortest minimum min fewest'],
  ['large big high tall long great huge', 'small little low short tiny'],
  ['larger bigger higher greater taller longer', 'smaller lower lesser shorter'],
  ['increase raise grow rise gain', 'decrease reduce lower shrink fall drop lose cut'],
  ['add insert append include', 'remove delete drop exclude'],
  ['enable turn-on activate allow start', 'disable turn-off deactivate block stop'],
  ['buy purchase', 'sell'],
  ['before earlier', 'after later'],
  ['first', 'last'],
  ['open', 'close closed'],
  ['hot warm', 'cold cool'],
  ['fast faster fastest quick speed accelerate', 'slow slower slowest decelerate'],
  ['more', 'less fewer'],
  ['maximize maximise expand', 'minimize minimise collapse'],
  ['zoom-in', 'zoom-out'],
  ['best', 'worst'],
  ['better', 'worse'],
  ['cheap cheapest cheaper', 'expensive priciest pricier'],
  ['old oldest older', 'new newest newer young youngest younger'],
  ['upload', 'download'],
  ['import', 'export'],
  ['encrypt encode', 'decrypt decode'],
  ['compress zip', 'decompress unzip extract'],
  ['push', 'pull'],
  ['win', 'lose'],
  ['true', 'false'],
  ['positive', 'negative'],
  ['import', 'export'],
  ['login log-in sign-in', 'logout log-out sign-out'],
  ['lock', 'unlock'],
  ['install', 'uninstall'],
  ['subscribe', 'unsubscribe'],
  ['safe safer safest', 'dangerous unsafe risky riskier riskiest hazardous'],
  ['legal', 'illegal'],
  ['above', 'below'],
  ['inside', 'outside'],
  ['up', 'down'],
  ['start begin', 'end finish'],
  ['private', 'public'],
  ['uppercase upper', 'lowercase lower'],
  ['ascending', 'descending'],
  ...MORE_ANTONYM_PAIRS,
];

/** word stem -> its "axis:pole"s (an exclusive group's member is its own pole; a word may sit on several axes). */
const POLES = new Map<string, string[]>();
function place(word: string, pole: string): void {
  const poles = POLES.get(stem(word));
  if (poles === undefined) POLES.set(stem(word), [pole]);
  else if (!poles.includes(pole)) poles.push(pole);
}
EXCLUSIVE_GROUPS.forEach((group, g) => {
  for (const word of group.split(' ')) place(word, `g${g}:${stem(word)}`);
});
ANTONYM_PAIRS.forEach(([plus, minus], a) => {
  for (const word of plus.split(' ')) place(word, `a${a}:+`);
  for (const word of minus.split(' ')) place(word, `a${a}:-`);
});

/** The axes and poles of a stemmed content word (empty when it has none). */
export function polesOf(stemmed: string): readonly string[] {
  return POLES.get(stemmed) ?? NONE;
}
const NONE: readonly string[] = [];

/**
 * Direction particles, a stopword each ("zoom in", "go up"), but a swap of one for its opposite
 * changes the question: kept apart, counted per prompt.
 */
export const PARTICLE_PAIRS: readonly [string, string][] = [
  ['in', 'out'],
  ['up', 'down'],
  ['on', 'off'],
];
export const PARTICLES: ReadonlySet<string> = new Set(PARTICLE_PAIRS.flat());

/** Prefixes that negate a word: "possible" / "impossible", "safe" / "unsafe", "serialize" / "deserialize". */
const NEGATING_PREFIXES = ['un', 'im', 'in', 'il', 'ir', 'dis', 'non', 'non-', 'a', 'de'];

/**
 * Prefixes of opposite sense: one word with the first and another with the second, on the same
 * rest, are opposites ("overflow" / "underflow", "upload" / "download", "include" / "exclude",
 * "increase" / "decrease", "encrypt" / "decrypt", "subclass" / "superclass", "minimum" / "maximum").
 */
const OPPOSED_PREFIXES: readonly [string, string][] = [
  ['over', 'under'],
  ['up', 'down'],
  ['hyper', 'hypo'],
  ['pre', 'post'],
  ['inter', 'intra'],
  ['micro', 'macro'],
  ['sub', 'super'],
  ['min', 'max'],
  ['in', 'out'],
  ['in', 'ex'],
  ['im', 'ex'],
  ['in', 'de'],
  ['en', 'de'],
  ['en', 'dis'],
  ['ac', 'de'],
  ['ap', 'de'],
];

/** Whether two content-word stems are one rest (3 letters or more) after opposite prefixes. */
export function opposedPrefixes(a: string, b: string): boolean {
  for (const [p, q] of OPPOSED_PREFIXES) {
    if (sameRest(a, p, b, q) || sameRest(a, q, b, p)) return true;
  }
  return false;
}

function sameRest(a: string, p: string, b: string, q: string): boolean {
  return a.length - p.length >= 3 && a.length - p.length === b.length - q.length && a.startsWith(p) && b.startsWith(q) && a.endsWith(b.slice(q.length));
}

/** Whether one of two content words is the other with a negating prefix. */
export function negatedPair(a: string, b: string): boolean {
  const [long, short] = a.length > b.length ? [a, b] : [b, a];
  if (short.length < 3) return false;
  // The stem of the shorter word may keep a final "e" the longer one's lost ("sure" / "unsur").
  const base = long.endsWith(short) ? short : short.endsWith('e') && long.endsWith(short.slice(0, -1)) ? short.slice(0, -1) : undefined;
  return base !== undefined && NEGATING_PREFIXES.includes(long.slice(0, long.length - base.length));
}

/** Stem -> the sets (by index) that hold it. */
function setIndex(sets: readonly string[]): Map<string, number[]> {
  const index = new Map<string, number[]>();
  sets.forEach((set, i) => {
    for (const word of set.split(' ')) {
      const key = stem(word);
      const held = index.get(key);
      if (held === undefined) index.set(key, [i]);
      else if (!held.includes(i)) held.push(i);
    }
  });
  return index;
}

function shareSet(index: ReadonlyMap<string, readonly number[]>, a: string, b: string): boolean {
  const setsOfA = index.get(a);
  if (setsOfA === undefined) return false;
  const setsOfB = index.get(b);
  return setsOfB !== undefined && setsOfA.some((set) => setsOfB.includes(set));
}

const VARIANTS = setIndex([...SPELLING_VARIANTS, ...WORD_FORMS, ...UNIT_ABBREVIATIONS]);
const SYNONYMS = setIndex(SYNONYM_SETS);

/** Whether the word lists know a content-word stem: on an axis or in a group, a spelling, word form or unit abbreviation, or a synonym set. */
export function isListed(stemmed: string): boolean {
  return POLES.has(stemmed) || VARIANTS.has(stemmed) || SYNONYMS.has(stemmed);
}

/**
 * Two content-word stems that are one word written another way: a listed spelling, word form or
 * unit abbreviation, an -ly adverb of its adjective ("correctly" / "correct"), or a British /
 * American spelling by rule: -our/-or ("colour"), -ise/-ize and -yse/-yze ("organise", "analyse"),
 * -re/-er ("centre"), -ll-/-l- ("travelled"), -ence/-ense ("defence").
 */
export function variantPair(a: string, b: string): boolean {
  if (adverbOf(a, b) || adverbOf(b, a)) return true;
  if (a.length === b.length) return sameLengthSpelling(a, b);
  if (a.length === b.length + 1) return oneLetterSpelling(a, b);
  if (b.length === a.length + 1) return oneLetterSpelling(b, a);
  return shareSet(VARIANTS, a, b);
}

/** `long` is the -ly adverb of `short` ("correctly" / "correct", "easily" / "easy", stemmed "easili" / "easi"). */
function adverbOf(long: string, short: string): boolean {
  return short.length >= 4 && long.length === short.length + 2 && long.endsWith('li') && long.startsWith(short);
}

/** Two stems that are listed synonyms ("fix" / "repair", "buy" / "purchase"). */
export function synonymPair(a: string, b: string): boolean {
  return shareSet(SYNONYMS, a, b);
}

/** What may follow the s/z of -ise/-ize in a stem: "organis", "organise" (stemmed "organis"), "organiser", "organisation(s)", "organisational". */
const IZE_ENDINGS: ReadonlySet<string> = new Set(['', 'e', 'er', 'ation', 'ational']);

/** -ise/-ize, -yse/-yze (one letter s against z after i or y), -ence/-ense (c against s at the end, after "en"). */
function sameLengthSpelling(a: string, b: string): boolean {
  let at = -1;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    if (at !== -1) return shareSet(VARIANTS, a, b);
    at = i;
  }
  if (at <= 0) return shareSet(VARIANTS, a, b);
  const pair = a[at]! + b[at]!;
  // The s or z of a suffix ("organis", "organisation"), not of a short name ("Lisa" / "Liza").
  if ((pair === 'sz' || pair === 'zs') && at >= 3 && (a[at - 1] === 'i' || a[at - 1] === 'y') && IZE_ENDINGS.has(a.slice(at + 1))) return true;
  if ((pair === 'cs' || pair === 'sc') && at === a.length - 1 && a.endsWith(`en${a[at]!}`)) return true;
  return shareSet(VARIANTS, a, b);
}

/** `long` is `short` with one letter more: the u of -our, a doubled l, the e of -er against -re (stemmed "centr"), the u of -ogue. */
function oneLetterSpelling(long: string, short: string): boolean {
  let at = 0;
  while (at < short.length && long[at] === short[at]) at++;
  if (long.slice(at + 1) !== short.slice(at)) return shareSet(VARIANTS, long, short);
  const letter = long[at];
  if (letter === 'u' && long[at - 1] === 'o' && long[at + 1] === 'r') return true;
  if (letter === 'l' && short.length >= 5 && (long[at - 1] === 'l' || long[at + 1] === 'l')) return true;
  if (letter === 'e' && at === long.length - 2 && long.endsWith('er') && at > 0 && consonant(long, at - 1)) return true;
  if (letter === 'u' && at === long.length - 1 && long[at - 1] === 'g') return true;
  return shareSet(VARIANTS, long, short);
}
