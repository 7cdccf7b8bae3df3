/**
 * A deterministic LEXICAL stand-in for Titan Text Embeddings V2. It is not a neural embedding:
 * it only sees which words and word fragments two texts share, never what they mean. It exists so
 * the semantic cache can be exercised (demo, tests, benchmarks) without AWS.
 *
 * Features (each hashed with a signed hash into `dimensions` buckets, then L2-normalized):
 * - whole words, lower-cased and NFKC-normalized, weight `word`;
 * - character trigrams of each word with boundary markers (`<ve`, `veg`, ..., `as>`), weight
 *   `ngram` spread over the word's trigrams, so a word contributes the same total mass
 *   whatever its length and near-identical spellings ("vegas" / "vegas's") still overlap;
 * - stop-words ("where", "is", "the", ...) are scaled by `stopWordScale`: they carry little
 *   information and would otherwise make every question look like every other question.
 * - other words of up to `shortWordMax` (3) letters count at `shortWordScale`: short tokens are
 *   mostly particles, initials or name fragments ("las", "st", "de").
 *
 * The weights are tuned so that (asserted in test/tools/emulator-embedding.test.ts):
 *   cos("Where is Las Vegas?", "Where is Vegas?")     >= 0.90  (the default semantic threshold)
 *   cos("Where is Las Vegas?", "Where is Paris?")     <  0.90  (same shape, different place)
 *   cos("Where is Las Vegas?", "How do I bake bread?") <= 0.5   (unrelated)
 * With the defaults below (word 1, ngram 1, stop-words 0.35, short words 0.35) the figures are
 * 0.95-0.96 / 0.21-0.24 / below 0.05 at every Titan size (256, 512, 1024); a grid over stop/short scales
 * 0.25..0.5 showed short-word scale 0.5 drops the first pair below 0.9 at 256 dimensions (bucket
 * collisions), and a stop-word scale above 0.5 pushes the second pair toward 0.4.
 * The first pair passes because "las" is a short word whose trigrams (`<la`, `las`, `as>`) partly
 * overlap "vegas" (`as>`) and whose word weight is small next to the shared "vegas"; the second
 * fails because the only shared content is down-weighted stop-words.
 */

export interface LexicalWeights {
  readonly word: number;
  readonly ngram: number;
  readonly stopWordScale: number;
  readonly shortWordScale: number;
  /** Words of up to this many characters count as short (besides stop-words). */
  readonly shortWordMax: number;
}

export const DEFAULT_LEXICAL_WEIGHTS: LexicalWeights = {
  word: 1.0,
  ngram: 1.0,
  stopWordScale: 0.35,
  shortWordScale: 0.35,
  shortWordMax: 3,
};

const STOP_WORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'but', 'by', 'can', 'could', 'did', 'do', 'does', 'for',
  'from', 'had', 'has', 'have', 'how', 'i', 'if', 'in', 'into', 'is', 'it', 'its', 'me', 'my', 'of',
  'on', 'or', 'our', 's', 'should', 'so', 'tell', 'than', 'that', 'the', 'their', 'them', 'then',
  'there', 'these', 'they', 'this', 'to', 'was', 'we', 'were', 'what', 'when', 'where', 'which', 'who',
  'whom', 'why', 'will', 'with', 'would', 'you', 'your', 'please',
]);

/** Lower-cased, NFKC-normalized words (letters and digits; apostrophes dropped). */
export function tokenize(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/['\u2019]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/** 32-bit FNV-1a over UTF-16 code units, followed by a murmur3 finalizer for better bit mixing. */
function hash32(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function addFeature(vector: Float64Array, feature: string, weight: number): void {
  const bucket = hash32(feature, 0x9e3779b9) % vector.length;
  const sign = (hash32(feature, 0x7f4a7c15) & 1) === 0 ? 1 : -1;
  vector[bucket] += sign * weight;
}

function wordScale(word: string, weights: LexicalWeights): number {
  if (STOP_WORDS.has(word)) return weights.stopWordScale;
  if (word.length <= weights.shortWordMax) return weights.shortWordScale;
  return 1;
}

/**
 * The stand-in embedding of `text`: `dimensions` floats, unit length (all zeros only when the
 * text has no letters or digits at all). Identical text always gives an identical vector.
 */
export function lexicalEmbedding(text: string, dimensions: number, weights: LexicalWeights = DEFAULT_LEXICAL_WEIGHTS): number[] {
  if (!Number.isInteger(dimensions) || dimensions < 1) throw new RangeError(`dimensions must be a positive integer, got ${dimensions}`);
  const vector = new Float64Array(dimensions);
  for (const word of tokenize(text)) {
    const scale = wordScale(word, weights);
    addFeature(vector, `w:${word}`, weights.word * scale);
    const marked = `<${word}>`;
    const grams: string[] = [];
    for (let i = 0; i + 3 <= marked.length; i++) grams.push(marked.slice(i, i + 3));
    if (grams.length === 0) grams.push(marked);
    const each = (weights.ngram * scale) / Math.sqrt(grams.length);
    for (const gram of grams) addFeature(vector, `g:${gram}`, each);
  }
  let norm = 0;
  for (const v of vector) norm += v * v;
  norm = Math.sqrt(norm);
  return Array.from(vector, (v) => (norm === 0 ? 0 : v / norm));
}

/** Cosine similarity of two equally long vectors (0 when either is all zeros). */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`length mismatch: ${a.length} vs ${b.length}`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
