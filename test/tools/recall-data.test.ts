import { normalForm, paraphrase, seededRandom, sentencesOf, shuffled, stripRoff } from '../../tools/recall-data/corpus';
import { bruteForceNearest, dequantize, loadRecallSet, quantize, recordBytes, similarity } from '../../tools/recall-data/dataset';

describe('recall corpus text', () => {
  it('strips roff macros and escapes, keeping the text of font macros', () => {
    const page = ['.TH LS 1', '.SH DESCRIPTION', 'List information about the \\fBFILEs\\fR (the current', 'directory by default\\-ish).', '.B Sort entries', 'alphabetically by name when nothing else is set.'].join('\n');

    const text = stripRoff(page);

    expect(text).toContain('List information about the FILEs (the current\ndirectory by default-ish).');
    expect(text).toContain('Sort entries\nalphabetically');
    expect(text).not.toMatch(/\\f|\.TH|\.SH/);
  });

  it('keeps plain English sentences of 6 to 30 words only', () => {
    const text = 'Print the version number and exit. Too short here. Use --color=auto to get colors, e.g. when printing output to a terminal.\n\nThis one has a path /usr/bin in it and is long enough.';

    expect(sentencesOf(text)).toEqual(['Print the version number and exit.']);
  });

  it('treats sentences differing in case and punctuation as duplicates', () => {
    expect(normalForm('Print the Version, then exit.')).toBe(normalForm('print the version then exit'));
  });

  it('makes the same paraphrases from the same seed, never the sentence itself', () => {
    const sentence = 'Remove the file from the default directory, then print the name.';
    const first = Array.from({ length: 20 }, ((random) => () => paraphrase(sentence, random))(seededRandom(7)));
    const second = Array.from({ length: 20 }, ((random) => () => paraphrase(sentence, random))(seededRandom(7)));

    expect(first).toEqual(second);
    expect(first).not.toContain(sentence);
    expect(new Set(first).size).toBeGreaterThan(5);
  });

  it('shuffles deterministically and keeps every item', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);

    expect(shuffled(items, seededRandom(1))).toEqual(shuffled(items, seededRandom(1)));
    expect([...shuffled(items, seededRandom(1))].sort((a, b) => a - b)).toEqual(items);
  });
});

describe('recall vectors', () => {
  it('quantizes to int8 with a per-vector scale and dequantizes to a unit vector close to the original', () => {
    const original = Float32Array.from({ length: 512 }, (_, i) => Math.sin(i) * 0.1);
    const buffer = Buffer.alloc(recordBytes(512));

    quantize(original, buffer, 0);
    const restored = dequantize(buffer, 0, 512);

    const norm = Math.sqrt(original.reduce((sum, value) => sum + value * value, 0));
    expect(similarity(restored, restored)).toBeCloseTo(1, 5);
    expect(similarity(restored, original.map((value) => value / norm))).toBeGreaterThan(0.9999);
  });

  it('finds the exact nearest neighbour among the first `size` vectors', () => {
    const corpus = [Float32Array.from([1, 0]), Float32Array.from([0, 1]), Float32Array.from([0.6, 0.8])];

    expect(bruteForceNearest(corpus, 3, Float32Array.from([0, 1]))).toEqual({ index: 1, similarity: 1 });
    expect(bruteForceNearest(corpus, 1, Float32Array.from([0, 1]))).toEqual({ index: 0, similarity: 0 });
  });

  it('loads the committed data set: 10,000 sentences, their queries, unit vectors of 512 dimensions', () => {
    const set = loadRecallSet();

    expect(set.corpus).toHaveLength(10_000);
    expect(set.corpusVectors).toHaveLength(10_000);
    expect(set.queries.length).toBeGreaterThanOrEqual(1_000);
    expect(set.queryVectors).toHaveLength(set.queries.length);
    expect(set.corpusVectors[123]).toHaveLength(512);
    expect(similarity(set.queryVectors[0]!, set.queryVectors[0]!)).toBeCloseTo(1, 5);
    for (const query of set.queries.slice(0, 50)) expect(set.corpus[query.from]).toBeDefined();
    // a query is near the sentence it was edited from (the model ran; the bytes were not garbled)
    const { from } = set.queries[0]!;
    expect(similarity(set.queryVectors[0]!, set.corpusVectors[from]!)).toBeGreaterThan(0.7);
  });
});
