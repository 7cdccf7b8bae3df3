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
    'go going gonna wanna anyone someone something anything vs versus via per ok okay many much')
    .split(' '),
);

/** Words that carry an argument's role: the content word after them is a target, a source, a compared side. */
export const ROLE_WORDS: ReadonlyMap<string, string> = new Map([
  ['to', '>'],
  ['into', '>'],
  ['from', '<'],
  ['than', '='],
  ['vs', '='],
  ['versus', '='],
]);

/** A crude stem: plural and -ing/-ed endings off long enough words. */
export function stem(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith("'s")) word = word.slice(0, -2);
  if (word.length > 5 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 5 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith('ed')) return word.slice(0, -2);
  if (word.length > 4 && (word.endsWith('ches') || word.endsWith('shes') || word.endsWith('sses') || word.endsWith('xes'))) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us') && !word.endsWith('is')) return word.slice(0, -1);
  return word;
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

/** Groups of words of one kind: two different members of a group are never the same question. */
const EXCLUSIVE_GROUPS: readonly string[] = [
  'monday tuesday wednesday thursday friday saturday sunday weekday weekend today tomorrow yesterday tonight',
  'january february march april may june july august september october november december',
  'spring summer autumn fall winter',
  'morning afternoon evening night noon midnight',
  'am pm',
  'france germany spain italy portugal england britain uk ireland scotland wales usa america canada mexico brazil argentina chile peru colombia ' +
    'china japan korea india pakistan russia ukraine poland sweden norway finland denmark netherlands belgium switzerland austria greece turkey ' +
    'egypt nigeria kenya africa australia zealand europe asia antarctica israel iran iraq vietnam thailand indonesia philippines singapore malaysia',
  'paris london berlin madrid rome tokyo beijing moscow york boston chicago seattle vegas angeles francisco sydney toronto dublin amsterdam lisbon',
  'english french german spanish italian portuguese chinese mandarin cantonese japanese korean russian arabic hindi dutch swedish danish norwegian ' +
    'finnish icelandic polish czech slovak hungarian romanian bulgarian serbian croatian ukrainian greek turkish hebrew persian farsi urdu bengali ' +
    'punjabi tamil telugu thai vietnamese indonesian malay tagalog swahili latin',
  'python java javascript typescript ruby rust go golang c c++ c# csharp kotlin swift php perl scala haskell elixir erlang lua r matlab sql bash ' +
    'powershell dart julia clojure fortran cobol',
  'react angular vue svelte django flask rails spring express laravel nextjs',
  'windows linux macos mac ubuntu debian android ios',
  'aws azure gcp',
  'mysql postgres postgresql sqlite mongodb redis oracle dynamodb',
  'chrome firefox safari edge',
  'iphone ipad android pixel galaxy',
  'red orange yellow green blue purple pink black white brown gray grey',
  'celsius fahrenheit kelvin',
  'mile mi kilometer kilometre km meter metre centimeter cm millimeter mm inch foot feet ft yard yd',
  'pound lb lbs kilogram kg gram g milligram mg microgram mcg ounce oz ton tonne stone',
  'liter litre gallon quart pint cup ml milliliter teaspoon tablespoon',
  'second minute hour day week month year decade century',
  'dollar euro pound yen yuan rupee peso franc usd eur gbp jpy bitcoin',
  'byte kilobyte megabyte gigabyte terabyte kb mb gb tb bit',
  'cat dog horse cow pig sheep goat chicken bird fish rabbit',
  'apple banana orange grape strawberry lemon mango',
  'beef pork chicken lamb turkey tofu fish',
  'man woman men women boy girl male female husband wife father mother son daughter brother sister',
  'north south east west',
  'left right',
  'ibuprofen acetaminophen paracetamol aspirin naproxen',
  'coffee tea water milk beer wine juice alcohol',
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
  ['safe', 'dangerous unsafe'],
  ['legal', 'illegal'],
  ['above', 'below'],
  ['inside', 'outside'],
  ['up', 'down'],
  ['start begin', 'end finish'],
  ['private', 'public'],
  ['uppercase upper', 'lowercase lower'],
  ['ascending', 'descending'],
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

/** Prefixes that negate a word: "possible" / "impossible", "safe" / "unsafe". */
const NEGATING_PREFIXES = ['un', 'im', 'in', 'il', 'ir', 'dis', 'non', 'non-', 'a'];

/** Whether one of two content words is the other with a negating prefix. */
export function negatedPair(a: string, b: string): boolean {
  const [long, short] = a.length > b.length ? [a, b] : [b, a];
  if (short.length < 3 || !long.endsWith(short)) return false;
  return NEGATING_PREFIXES.includes(long.slice(0, long.length - short.length));
}
