/**
 * The recall data set's text: English sentences taken from roff man pages, and paraphrase-like
 * queries made from them by small seeded edits. Pure functions; `generate.ts` does the I/O.
 */

/** A seeded pseudo-random source (mulberry32): the same seed gives the same data set. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

/** Fisher-Yates shuffle of a copy, driven by `random`. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** Macros whose arguments are running text (font changes, paragraph tags); every other macro line is dropped. */
const TEXT_MACROS = /^[.'](?:B|I|BR|IR|RB|RI|BI|IB|SM|SB|IP|TP|PP|P|LP|Nm|Ar|Fl|Em|Sy)\b\s*/;

/** The running text of a roff man page: macro lines dropped (or their text kept), escapes removed. */
export function stripRoff(source: string): string {
  const lines: string[] = [];
  for (const raw of source.split('\n')) {
    let line = raw;
    if (/^[.']/.test(line)) {
      const match = TEXT_MACROS.exec(line);
      if (match === null) {
        lines.push(''); // a paragraph break or a layout request
        continue;
      }
      line = line.slice(match[0].length).replace(/"/g, '');
    }
    lines.push(
      line
        .replace(/\\f(?:\[[^\]]*\]|\([A-Za-z]{2}|.)/g, '')
        .replace(/\\\*(?:\[[^\]]*\]|\(..|.)/g, '')
        .replace(/\\\((?:aq|cq|oq)/g, "'")
        .replace(/\\\((?:dq|lq|rq)/g, '"')
        .replace(/\\\((?:em|en|hy)/g, '-')
        .replace(/\\\(../g, '')
        .replace(/\\s[+-]?\d/g, '')
        .replace(/\\-/g, '-')
        .replace(/\\e/g, '\\')
        .replace(/\\[&,/|^%:]/g, '')
        .replace(/\\ /g, ' ')
        .replace(/\\"/g, ''),
    );
  }
  return lines.join('\n');
}

/** Plain English sentences of 6 to 30 words: a capital first, a full stop last, nothing code-like between. */
export function sentencesOf(text: string): string[] {
  const sentences: string[] = [];
  for (const paragraph of text.split(/\n\s*\n/)) {
    const flat = paragraph.replace(/\s+/g, ' ').trim();
    for (const sentence of flat.split(/(?<=[.!?])\s+(?=[A-Z])/)) {
      const words = sentence.split(' ').length;
      if (words < 6 || words > 30) continue;
      if (!/^[A-Z][A-Za-z0-9 ,;:'()-]*[a-z)]\.$/.test(sentence)) continue;
      if (/\b(?:e\.g|i\.e|etc)$/.test(sentence.slice(0, -1))) continue;
      sentences.push(sentence);
    }
  }
  return sentences;
}

/** The form two sentences are duplicates in: lower case, letters and digits only. */
export function normalForm(sentence: string): string {
  return sentence.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}

const FILLERS = ['just', 'also', 'really', 'basically', 'actually', 'simply', 'then', 'please'];
const DROPPABLE = new Set(['the', 'a', 'an', 'that', 'also', 'just', 'then', 'only', 'all']);
const SYNONYMS: Readonly<Record<string, string>> = {
  file: 'document', files: 'documents', directory: 'folder', directories: 'folders', show: 'display',
  shows: 'displays', display: 'show', print: 'output', prints: 'outputs', use: 'utilize', used: 'utilized',
  remove: 'delete', removes: 'deletes', create: 'make', creates: 'makes', default: 'standard',
  option: 'setting', options: 'settings', error: 'failure', errors: 'failures', value: 'number',
  run: 'execute', runs: 'executes', start: 'begin', starts: 'begins', stop: 'halt', program: 'application',
  programs: 'applications', user: 'person', users: 'people', specify: 'give', specified: 'given',
  command: 'instruction', commands: 'instructions', change: 'modify', changes: 'modifies', list: 'enumerate',
  set: 'configure', read: 'load', write: 'save', written: 'saved', name: 'title', output: 'result',
  allow: 'permit', allows: 'permits', ignore: 'skip', ignored: 'skipped', enable: 'turn on', disable: 'turn off',
};

type Edit = (words: string[], random: () => number) => string[] | undefined;

const pick = <T>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)]!;

const EDITS: readonly Edit[] = [
  // drop a filler word
  (words, random) => {
    const at = words.map((word, i) => (DROPPABLE.has(word.toLowerCase()) ? i : -1)).filter((i) => i >= 0);
    if (at.length === 0) return undefined;
    const drop = pick(at, random);
    return words.filter((_, i) => i !== drop);
  },
  // insert a filler word
  (words, random) => {
    const at = 1 + Math.floor(random() * (words.length - 1));
    return [...words.slice(0, at), pick(FILLERS, random), ...words.slice(at)];
  },
  // a synonym
  (words, random) => {
    const at = words.map((word, i) => (SYNONYMS[word.toLowerCase().replace(/[^a-z]/g, '')] !== undefined ? i : -1)).filter((i) => i >= 0);
    if (at.length === 0) return undefined;
    const i = pick(at, random);
    const word = words[i]!;
    const bare = word.toLowerCase().replace(/[^a-z]/g, '');
    const replacement = SYNONYMS[bare]!;
    const copy = [...words];
    copy[i] = word.replace(new RegExp(bare, 'i'), replacement);
    return copy;
  },
  // reorder two clauses around the first comma
  (words) => {
    const comma = words.findIndex((word, i) => i < words.length - 2 && word.endsWith(','));
    if (comma < 1) return undefined;
    const first = words.slice(0, comma + 1);
    const second = words.slice(comma + 1);
    first[first.length - 1] = first[first.length - 1]!.slice(0, -1);
    const last = second[second.length - 1]!.replace(/[.!?]$/, '');
    return [...second.slice(0, -1), `${last},`, ...first.map((word, i) => (i === 0 ? word.toLowerCase() : word)), '.'].join(' ').replace(/ \.$/, '.').split(' ');
  },
  // case
  (words, random) => (random() < 0.5 ? words.map((word) => word.toLowerCase()) : words.map((word) => word.charAt(0).toUpperCase() + word.slice(1))),
  // punctuation
  (words, random) => {
    const copy = [...words];
    const last = copy[copy.length - 1]!.replace(/[.!?]$/, '');
    copy[copy.length - 1] = last + pick(['', '?', '!', '...'], random);
    return copy;
  },
];

/** A paraphrase-like edit of `sentence`: one to three of the edits above, never the sentence itself. */
export function paraphrase(sentence: string, random: () => number): string {
  let words = sentence.split(' ');
  const count = 1 + Math.floor(random() * 3);
  for (let applied = 0, tries = 0; applied < count && tries < 20; tries++) {
    const edited = pick(EDITS, random)(words, random);
    if (edited === undefined) continue;
    words = edited;
    applied++;
  }
  const result = words.join(' ');
  return result === sentence ? `${sentence.slice(0, -1)} ${pick(FILLERS, random)}.` : result;
}
