import { cosine, decodeQuantized, encodeQuantized, quantize } from '../../../../lambda/semantic/vectors/quantize';
import { ScopeVectors } from '../../../../lambda/semantic/vectors/scope-vectors';
import { randomUnitVector, unit } from '../../../support/vectors';

const TUNING = { prefilter: 16, rerank: 4 };
const NOW = 1_000;
const LATER = 10_000;

const randomUnit = randomUnitVector;

describe('int8 quantization', () => {
  it('bounds the approximate cosine: |approximate - exact| <= error, for vectors of any norm', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const stored = randomUnit(256, seed).map((x) => x * (seed % 7 + 0.5));
      const query = randomUnit(256, seed + 1000);
      const q = quantize(stored);
      let sum = 0;
      for (let i = 0; i < 256; i++) sum += query[i]! * q.codes[i]!;
      const approximate = sum * q.scale;

      expect(Math.abs(approximate - cosine(query, stored))).toBeLessThanOrEqual(q.error);
    }
  });

  it('round-trips through its wire encoding and refuses a wrong length', () => {
    const q = quantize(randomUnit(64, 3));
    const decoded = decodeQuantized(encodeQuantized(q), 64);

    expect(decoded?.codes).toEqual(q.codes);
    expect(decoded?.scale).toBeCloseTo(q.scale, 6);
    expect(decodeQuantized(encodeQuantized(q), 65)).toBeNull();
  });

  it('quantizes a zero vector to zeros without dividing by zero', () => {
    expect(quantize(new Float32Array(8))).toEqual({ scale: 0, error: 0, codes: new Int8Array(8) });
  });
});

describe('ScopeVectors', () => {
  it('returns the nearest document first and only those that may reach the threshold', () => {
    const vectors = new ScopeVectors(3, 100);
    vectors.put('a', quantize(unit(1, 0, 0)), LATER);
    vectors.put('b', quantize(unit(0, 1, 0)), LATER);
    vectors.put('c', quantize(unit(1, 1, 0)), LATER);
    const query = unit(1, 0.2, 0);

    const found = vectors.candidates(query, 0.5, NOW, TUNING);

    expect(found.map((c) => c.id)).toEqual(['a', 'c']);
    expect(found[0]!.approximate).toBeCloseTo(cosine(query, unit(1, 0, 0)), 2);
  });

  it('returns only real documents when fewer are held than the prefilter size', () => {
    const vectors = new ScopeVectors(4, 100);
    vectors.put('only', quantize(unit(1, 1, 0, 0)), LATER);

    expect(vectors.candidates(unit(1, 1, 0, 0), 0, NOW, { prefilter: 64, rerank: 8 }).map((c) => c.id)).toEqual(['only']);
  });

  it('replaces a document stored again under the same id', () => {
    const vectors = new ScopeVectors(3, 100);
    vectors.put('a', quantize(unit(1, 0, 0)), LATER);
    vectors.put('a', quantize(unit(0, 0, 1)), LATER);

    expect(vectors.count).toBe(1);
    expect(vectors.candidates(unit(1, 0, 0), 0.5, NOW, TUNING)).toEqual([]);
    expect(vectors.candidates(unit(0, 0, 1), 0.5, NOW, TUNING).map((c) => c.id)).toEqual(['a']);
  });

  it('keeps every live document when a full index is sent a document it already holds again (log replay)', () => {
    const vectors = new ScopeVectors(8, 8);
    const stored = Array.from({ length: 8 }, (_, i) => quantize(randomUnit(8, i + 1)));
    stored.forEach((q, i) => vectors.put(`d${i}`, q, LATER));

    vectors.put('d7', stored[7]!, LATER);

    const held = vectors.candidates(randomUnit(8, 1), -1, NOW, { prefilter: 8, rerank: 8 }).map((c) => c.id);
    expect(held.sort()).toEqual(['d0', 'd1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7']);
  });

  it('keeps at most maxEntries, the oldest leaving first', () => {
    const vectors = new ScopeVectors(8, 3);
    for (let i = 0; i < 5; i++) vectors.put(`d${i}`, quantize(randomUnit(8, i + 1)), LATER);

    expect(vectors.count).toBe(3);
    expect(['d0', 'd1', 'd2', 'd3', 'd4'].filter((id) => vectors.has(id))).toEqual(['d2', 'd3', 'd4']);
  });

  it('drops expired documents instead of returning them', () => {
    const vectors = new ScopeVectors(3, 100);
    vectors.put('old', quantize(unit(1, 0, 0)), NOW);
    vectors.put('new', quantize(unit(0, 1, 0)), LATER);

    expect(vectors.candidates(unit(1, 0, 0), 0, NOW, TUNING).map((c) => c.id)).toEqual(['new']);
    expect(vectors.has('old')).toBe(false);
  });

  it('finds every remaining document after removals, compaction and growth', () => {
    const dims = 64;
    const vectors = new ScopeVectors(dims, 1_000);
    for (let i = 0; i < 600; i++) vectors.put(`d${i}`, quantize(randomUnit(dims, i + 1)), LATER);
    for (let i = 0; i < 600; i += 2) vectors.remove(`d${i}`);
    for (let i = 600; i < 900; i++) vectors.put(`d${i}`, quantize(randomUnit(dims, i + 1)), LATER);

    expect(vectors.count).toBe(600);
    for (const i of [1, 3, 599, 601, 899]) {
      expect(vectors.candidates(randomUnit(dims, i + 1), 0.99, NOW, TUNING).map((c) => c.id)).toEqual([`d${i}`]);
    }
    expect(vectors.candidates(randomUnit(dims, 1), 0.99, NOW, TUNING)).toEqual([]);
  });

  it('ignores a query or a document of another dimension', () => {
    const vectors = new ScopeVectors(3, 100);
    vectors.put('short', quantize(unit(1, 0)), LATER);
    vectors.put('a', quantize(unit(1, 0, 0)), LATER);

    expect(vectors.count).toBe(1);
    expect(vectors.candidates(unit(1, 0), 0, NOW, TUNING)).toEqual([]);
  });
});
