import { MemoryIndex } from '../../../../lambda/backends/memory/memory-index';
import type { SemanticDocument } from '../../../../lambda/semantic/semantic-index';
import { cosine } from '../../../../lambda/semantic/vectors/quantize';
import { AnisotropicVectors, randomUnitVector, unit } from '../../../support/vectors';

/** Expiry reads a fake clock, never the machine's wall clock. */
const FIXED_CLOCK = (): number => 0;

function doc(overrides: Partial<SemanticDocument> = {}): SemanticDocument {
  return { scope: 's1', id: 'a', namespace: 'default', vector: unit(1, 0, 0), entry: 'A', ttlMs: 1000, ...overrides };
}

describe('MemoryIndex', () => {
  it('finds nothing in a scope with no documents', async () => {
    expect(await new MemoryIndex(undefined, FIXED_CLOCK).search('s1', unit(1, 0, 0), 0)).toBeNull();
  });

  it('returns the nearest document at or above the threshold with its cosine similarity', async () => {
    const index = new MemoryIndex(undefined, FIXED_CLOCK);
    await index.add(doc({ id: 'a', vector: unit(1, 0, 0), entry: 'A' }));
    await index.add(doc({ id: 'b', vector: unit(0, 1, 0), entry: 'B' }));
    const query = unit(3, 4, 0); // cosine 0.6 to a, 0.8 to b

    const hit = await index.search('s1', query, 0.5);

    expect(hit?.entry).toBe('B');
    expect(hit?.id).toBe('b');
    expect(hit?.similarity).toBeCloseTo(0.8, 6);
  });

  it('returns null when the nearest document is below the threshold', async () => {
    const index = new MemoryIndex(undefined, FIXED_CLOCK);
    await index.add(doc({ vector: unit(1, 0, 0) }));

    expect(await index.search('s1', unit(3, 4, 0), 0.61)).toBeNull();
  });

  it('never returns a document of another scope, even an identical one', async () => {
    const index = new MemoryIndex(undefined, FIXED_CLOCK);
    await index.add(doc({ scope: 's2' }));

    expect(await index.search('s1', unit(1, 0, 0), 0)).toBeNull();
  });

  it('replaces a document re-added with the same id', async () => {
    const index = new MemoryIndex(undefined, FIXED_CLOCK);
    await index.add(doc({ entry: 'old' }));

    await index.add(doc({ entry: 'new' }));

    expect((await index.search('s1', unit(1, 0, 0), 0.99))?.entry).toBe('new');
  });

  it('skips documents whose vector has another dimension', async () => {
    const index = new MemoryIndex(undefined, FIXED_CLOCK);
    await index.add(doc({ vector: unit(1, 0) }));

    expect(await index.search('s1', unit(1, 0, 0), 0)).toBeNull();
  });

  it('drops documents once their TTL has passed', async () => {
    const clock = { now: 0 };
    const index = new MemoryIndex(100, () => clock.now);
    await index.add(doc({ ttlMs: 1000 }));

    clock.now = 999;
    const before = await index.search('s1', unit(1, 0, 0), 0.9);
    clock.now = 1000;

    expect(before?.entry).toBe('A');
    expect(await index.search('s1', unit(1, 0, 0), 0.9)).toBeNull();
  });

  it('keeps at most its entry bound across all scopes, least recently used out first', async () => {
    const index = new MemoryIndex(2, FIXED_CLOCK);
    await index.add(doc({ scope: 's1', id: 'a', entry: 'A' }));
    await index.add(doc({ scope: 's2', id: 'b', entry: 'B' }));

    await index.add(doc({ scope: 's3', id: 'c', entry: 'C' }));

    expect(index.size).toBe(2);
    expect(await index.search('s1', unit(1, 0, 0), 0.9)).toBeNull();
    expect((await index.search('s2', unit(1, 0, 0), 0.9))?.entry).toBe('B');
    expect((await index.search('s3', unit(1, 0, 0), 0.9))?.entry).toBe('C');
    expect(index.scopeCount).toBe(2);
  });

  it('counts a hit as a use: the document hit survives the next eviction', async () => {
    const index = new MemoryIndex(2, FIXED_CLOCK);
    await index.add(doc({ scope: 's1', entry: 'A' }));
    await index.add(doc({ scope: 's2', entry: 'B' }));
    await index.search('s1', unit(1, 0, 0), 0.9);

    await index.add(doc({ scope: 's3', entry: 'C' }));

    expect((await index.search('s1', unit(1, 0, 0), 0.9))?.entry).toBe('A');
    expect(await index.search('s2', unit(1, 0, 0), 0.9)).toBeNull();
  });

  it('keeps its estimated bytes within the byte bound, dropping the least recently used', async () => {
    const vector = new Float32Array(1024).fill(1 / 32); // 4 KiB, unit length
    const maxBytes = 64 * 1024;
    const index = new MemoryIndex(1_000_000, FIXED_CLOCK, maxBytes);

    for (let i = 0; i < 100; i++) await index.add(doc({ scope: `scope-${i}`, id: `id-${i}`, vector, entry: 'x'.repeat(1000) }));

    expect(index.bytes).toBeLessThanOrEqual(maxBytes);
    expect(index.bytes).toBeGreaterThan(maxBytes / 2);
    expect(index.size).toBeLessThan(100);
    expect(await index.search('scope-0', vector, 0.9)).toBeNull();
    expect((await index.search('scope-99', vector, 0.9))?.id).toBe('id-99');
  });

  it('counts each document at no less than its vector, answer, id and scope', async () => {
    const index = new MemoryIndex(undefined, FIXED_CLOCK);

    await index.add(doc({ scope: 's'.repeat(64), id: 'i'.repeat(64), vector: new Float32Array(1024).fill(1 / 32), entry: 'e'.repeat(3000) }));

    expect(index.bytes).toBeGreaterThanOrEqual(4096 + 2 * (3000 + 64 + 64));
  });

  it('keeps an exact-size copy of a vector that is a view on a larger buffer', async () => {
    const index = new MemoryIndex(undefined, FIXED_CLOCK);
    const big = new Float32Array(100_000);
    big.set(unit(1, 0, 0), 0);

    await index.add(doc({ vector: big.subarray(0, 3) }));

    expect(index.bytes).toBeLessThan(10_000);
    expect((await index.search('s1', unit(1, 0, 0), 0.9))?.entry).toBe('A');
  });

  it('forgets 40,000 expired scopes nobody searches again after a few more writes', async () => {
    const clock = { now: 0 };
    const index = new MemoryIndex(1_000_000, () => clock.now, Number.MAX_SAFE_INTEGER);
    const vector = unit(1, 0, 0);
    for (let i = 0; i < 40_000; i++) await index.add({ scope: `system-prompt-${i}`, id: `id-${i}`, namespace: 'default', vector, entry: 'A', ttlMs: 1000 });
    expect(index.size).toBe(40_000);

    clock.now = 1001;
    for (let i = 0; i < 3; i++) await index.add(doc({ scope: `later-${i}`, id: `later-${i}`, ttlMs: 1000 }));

    expect(index.size).toBe(3);
    expect(index.scopeCount).toBe(3);
  });

  it('holds at most its default bound of 10,000 documents however many scopes are written', async () => {
    const index = new MemoryIndex(undefined, FIXED_CLOCK);

    const vector = unit(1, 0, 0);
    for (let i = 0; i < 40_000; i++) await index.add({ scope: `system-prompt-${i}`, id: `id-${i}`, namespace: 'default', vector, entry: 'A', ttlMs: 1000 });

    expect(index.size).toBe(10_000);
    expect(index.scopeCount).toBe(10_000);
    expect((await index.search('system-prompt-39999', unit(1, 0, 0), 0.9))?.id).toBe('id-39999');
    expect(await index.search('system-prompt-0', unit(1, 0, 0), 0.9)).toBeNull();
  });

  it('drops an expired document found while searching its scope, and the emptied scope', async () => {
    const clock = { now: 0 };
    const index = new MemoryIndex(undefined, () => clock.now);
    await index.add(doc({ ttlMs: 10 }));
    clock.now = 10;

    expect(await index.search('s1', unit(1, 0, 0), 0)).toBeNull();

    expect(index.size).toBe(0);
    expect(index.scopeCount).toBe(0);
  });
});

describe('MemoryIndex on large scopes (prefilter structure)', () => {
  const DIMENSIONS = 256;
  const ENTRIES = 2_000;
  const QUERIES = 100;
  const LONG_TTL = 3_600_000;

  function fill(index: MemoryIndex, scope: string, vectors: readonly Float32Array[], ttlMs = LONG_TTL): Promise<void[]> {
    return Promise.all(vectors.map((vector, i) => index.add({ scope, id: `${scope}:${i}`, namespace: 'default', vector, entry: `answer-${i}`, ttlMs })));
  }

  /** Highest cosine of `query` with any of `vectors`, and its index. */
  function bruteForce(vectors: readonly Float32Array[], query: Float32Array): { best: number; at: number } {
    let best = -Infinity;
    let at = -1;
    vectors.forEach((vector, i) => {
      const value = cosine(query, vector);
      if (value > best) {
        best = value;
        at = i;
      }
    });
    return { best, at };
  }

  const spaces = {
    random: (): { documents: Float32Array[]; near: (base: Float32Array, similarity: number, seed: number) => Float32Array; uniform: () => number } => {
      const documents = Array.from({ length: ENTRIES }, (_, i) => randomUnitVector(DIMENSIONS, 1 + i));
      let u = 0;
      return { documents, near: (base, similarity, seed) => towards(base, randomUnitVector(DIMENSIONS, 100_000 + seed), similarity), uniform: () => ((u = (u * 9301 + 49297) % 233280) / 233280) };
    },
    // Clusters of 50 around 40 centres: siblings near cosine 0.64, hard negatives for the prefilter.
    clustered: (): { documents: Float32Array[]; near: (base: Float32Array, similarity: number, seed: number) => Float32Array; uniform: () => number } => {
      const centres = Array.from({ length: 40 }, (_, i) => randomUnitVector(DIMENSIONS, 60_000 + i));
      const documents = Array.from({ length: ENTRIES }, (_, i) => towards(centres[i % 40]!, randomUnitVector(DIMENSIONS, 70_000 + i), 0.8));
      let u = 0;
      return { documents, near: (base, similarity, seed) => towards(base, randomUnitVector(DIMENSIONS, 200_000 + seed), similarity), uniform: () => ((u = (u * 9301 + 49297) % 233280) / 233280) };
    },
    anisotropic: (): { documents: Float32Array[]; near: (base: Float32Array, similarity: number, seed: number) => Float32Array; uniform: () => number } => {
      const space = new AnisotropicVectors(DIMENSIONS, 11);
      const documents = Array.from({ length: ENTRIES }, () => space.sample());
      return { documents, near: (base, similarity) => space.near(base, similarity), uniform: () => space.uniform() };
    },
  };

  describe.each(Object.keys(spaces) as (keyof typeof spaces)[])('on %s vectors', (name) => {
    const { documents, near, uniform } = spaces[name]();
    const index = new MemoryIndex(undefined, FIXED_CLOCK);
    beforeAll(() => fill(index, 'big', documents));

    it.each([0.7, 0.8, 0.9])('agrees with brute force on every query at threshold %s, through the structure', async (threshold) => {
      expect(index.accelerated('big')).toBe(true);
      let hits = 0;
      const disagreements: string[] = [];
      for (let q = 0; q < QUERIES; q++) {
        // Mostly near a stored document (a hit); every fourth query lands below the threshold.
        const target = q % 4 === 3 ? threshold - 0.05 : threshold + (0.98 - threshold) * uniform();
        const query = near(documents[(q * 7919) % ENTRIES]!, target, q);
        const { best, at } = bruteForce(documents, query);

        const hit = await index.search('big', query, threshold);

        if (best < threshold) {
          if (hit !== null) disagreements.push(`query ${q}: nearest ${best.toFixed(4)} < ${threshold}, index hit ${hit.similarity.toFixed(4)}`);
          continue;
        }
        hits++;
        // The same document, or (a tie) one exactly as near.
        if (hit === null || (hit.id !== `big:${at}` && Math.abs(hit.similarity - best) > 1e-6)) disagreements.push(`query ${q}: nearest big:${at} ${best.toFixed(4)}, index ${hit?.id ?? 'miss'}`);
        else if (Math.abs(hit.similarity - best) > 1e-6) disagreements.push(`query ${q}: similarity ${hit.similarity} reported, exact ${best}`);
      }

      expect(disagreements).toEqual([]);
      expect(hits).toBeGreaterThan(QUERIES / 2);
    });
  });

  it('reports the exact float32 cosine of the document it returns', async () => {
    const documents = Array.from({ length: 400 }, (_, i) => randomUnitVector(DIMENSIONS, 500 + i));
    const index = new MemoryIndex(undefined, FIXED_CLOCK);
    await fill(index, 'big', documents);
    const query = towards(documents[17]!, randomUnitVector(DIMENSIONS, 9), 0.93);

    const hit = await index.search('big', query, 0.9);

    expect(index.accelerated('big')).toBe(true);
    expect(hit?.id).toBe('big:17');
    expect(hit?.similarity).toBeCloseTo(cosine(query, documents[17]!), 6);
  });

  it('never returns a document of another large scope', async () => {
    const documents = Array.from({ length: 400 }, (_, i) => randomUnitVector(DIMENSIONS, 900 + i));
    const index = new MemoryIndex(undefined, FIXED_CLOCK);
    await fill(index, 'a', documents);
    await fill(index, 'b', documents.map((_, i) => randomUnitVector(DIMENSIONS, 5_000 + i)));

    expect(index.accelerated('b')).toBe(true);
    expect(await index.search('b', documents[3]!, 0.7)).toBeNull();
    expect((await index.search('a', documents[3]!, 0.7))?.id).toBe('a:3');
  });

  it('never returns an expired document of a large scope', async () => {
    const clock = { now: 0 };
    const index = new MemoryIndex(undefined, () => clock.now);
    const documents = Array.from({ length: 400 }, (_, i) => randomUnitVector(DIMENSIONS, 1_300 + i));
    await fill(index, 'big', documents);
    await index.add({ scope: 'big', id: 'short', namespace: 'default', vector: randomUnitVector(DIMENSIONS, 77), entry: 'short-lived', ttlMs: 10 });
    clock.now = 10;

    expect(await index.search('big', randomUnitVector(DIMENSIONS, 77), 0.9)).toBeNull();
    expect((await index.search('big', documents[5]!, 0.9))?.id).toBe('big:5');
  });

  it('replaces a document of a large scope re-added with the same id', async () => {
    const documents = Array.from({ length: 400 }, (_, i) => randomUnitVector(DIMENSIONS, 1_800 + i));
    const index = new MemoryIndex(undefined, FIXED_CLOCK);
    await fill(index, 'big', documents);
    const moved = randomUnitVector(DIMENSIONS, 4242);

    await index.add({ scope: 'big', id: 'big:8', namespace: 'default', vector: moved, entry: 'new', ttlMs: LONG_TTL });

    expect(index.size).toBe(400);
    expect(await index.search('big', documents[8]!, 0.9)).toBeNull();
    expect(await index.search('big', moved, 0.9)).toMatchObject({ id: 'big:8', entry: 'new' });
  });

  it('keeps every document the LRU keeps when hits reorder a full scope', async () => {
    const documents = Array.from({ length: 500 }, (_, i) => randomUnitVector(DIMENSIONS, 2_400 + i));
    const index = new MemoryIndex(400, FIXED_CLOCK);
    await fill(index, 'big', documents.slice(0, 400));
    for (let i = 0; i < 100; i++) await index.search('big', documents[i]!, 0.99); // the oldest are now the most recent

    for (let i = 400; i < 500; i++) await index.add({ scope: 'big', id: `big:${i}`, namespace: 'default', vector: documents[i]!, entry: `answer-${i}`, ttlMs: LONG_TTL });

    const found: number[] = [];
    for (let i = 0; i < 500; i++) if ((await index.search('big', documents[i]!, 0.99))?.id === `big:${i}`) found.push(i);
    expect(index.size).toBe(400);
    expect(found).toEqual([...range(0, 100), ...range(200, 500)]);
  });

  it('counts the prefilter structure in its bytes', async () => {
    const documents = Array.from({ length: 400 }, (_, i) => randomUnitVector(DIMENSIONS, 3_000 + i));
    const oneScope = new MemoryIndex(undefined, FIXED_CLOCK);
    const scanned = new MemoryIndex(undefined, FIXED_CLOCK); // the same documents, one per scope: no structure
    for (let i = 0; i < documents.length; i++) {
      await oneScope.add({ scope: 'scop', id: `id:${i}`, namespace: 'default', vector: documents[i]!, entry: 'x', ttlMs: LONG_TTL });
      await scanned.add({ scope: String(i).padStart(4, '0'), id: `id:${i}`, namespace: 'default', vector: documents[i]!, entry: 'x', ttlMs: LONG_TTL });
    }

    await oneScope.search('scop', documents[0]!, 0.9);

    // At least each document's int8 codes, sign bits, scale, error and expiry.
    expect(oneScope.accelerated('scop')).toBe(true);
    expect(oneScope.bytes - scanned.bytes).toBeGreaterThanOrEqual(documents.length * (DIMENSIONS + DIMENSIONS / 8 + 16));
  });

  it('keeps documents and structures together within the byte bound', async () => {
    const maxBytes = 1024 * 1024;
    const index = new MemoryIndex(1_000_000, FIXED_CLOCK, maxBytes);
    let last: Float32Array | undefined;
    let overBound = 0;
    for (let s = 0; s < 5; s++) {
      for (let i = 0; i < 400; i++) {
        last = randomUnitVector(DIMENSIONS, 10_000 * (s + 1) + i);
        await index.add({ scope: `scope-${s}`, id: `${s}:${i}`, namespace: 'default', vector: last, entry: 'e'.repeat(200), ttlMs: LONG_TTL });
        if (index.bytes > maxBytes) overBound++;
      }
      await index.search(`scope-${s}`, last!, 0.9);
      if (index.bytes > maxBytes) overBound++;
    }

    expect(overBound).toBe(0);
    expect(index.accelerated('scope-4')).toBe(true);
    expect(index.size).toBeLessThan(2_000);
    expect((await index.search('scope-4', last!, 0.9))?.id).toBe('4:399');
  });

  it('goes back to the exact scan and frees the structure when a scope shrinks', async () => {
    const clock = { now: 0 };
    const index = new MemoryIndex(undefined, () => clock.now);
    const documents = Array.from({ length: 400 }, (_, i) => randomUnitVector(DIMENSIONS, 7_000 + i));
    for (let i = 0; i < 400; i++) await index.add({ scope: 'big', id: `big:${i}`, namespace: 'default', vector: documents[i]!, entry: 'x', ttlMs: i < 300 ? 1_000 : LONG_TTL });
    const accelerated = index.accelerated('big');
    const before = index.bytes;

    clock.now = 2_000;
    await index.add({ scope: 'other', id: 'o', namespace: 'default', vector: randomUnitVector(DIMENSIONS, 1), entry: 'x', ttlMs: LONG_TTL }); // the sweep runs

    expect(accelerated).toBe(true);
    expect(index.size).toBe(101);
    expect(index.accelerated('big')).toBe(false);
    expect(index.bytes).toBeLessThan((before * 101) / 400);
    expect((await index.search('big', documents[350]!, 0.9))?.id).toBe('big:350');
  });
});

/** `a`, `a + 1`, ..., `b - 1`. */
function range(a: number, b: number): number[] {
  return Array.from({ length: b - a }, (_, i) => a + i);
}

/** The unit vector at exactly cosine `similarity` to unit `base`, in the plane of `base` and `other`. */
function towards(base: Float32Array, other: Float32Array, similarity: number): Float32Array {
  let along = 0;
  for (let i = 0; i < base.length; i++) along += other[i]! * base[i]!;
  const orthogonal = Float32Array.from(other, (o, i) => o - along * base[i]!);
  const length = Math.hypot(...orthogonal);
  const rest = Math.sqrt(1 - similarity * similarity);
  return Float32Array.from(base, (b, i) => similarity * b + (rest * orthogonal[i]!) / length);
}
