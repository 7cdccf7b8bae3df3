import { MemoryIndex } from '../../../lambda/semantic/memory-index';
import type { SemanticDocument } from '../../../lambda/semantic/semantic-index';

/** Expiry reads a fake clock, never the machine's wall clock. */
const FIXED_CLOCK = (): number => 0;

function unit(...values: number[]): Float32Array {
  const norm = Math.hypot(...values);
  return Float32Array.from(values.map((v) => v / norm));
}

function doc(overrides: Partial<SemanticDocument> = {}): SemanticDocument {
  return { scope: 's1', id: 'a', vector: unit(1, 0, 0), entry: 'A', ttlMs: 1000, ...overrides };
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
    for (let i = 0; i < 40_000; i++) await index.add({ scope: `system-prompt-${i}`, id: `id-${i}`, vector, entry: 'A', ttlMs: 1000 });
    expect(index.size).toBe(40_000);

    clock.now = 1001;
    for (let i = 0; i < 3; i++) await index.add(doc({ scope: `later-${i}`, id: `later-${i}`, ttlMs: 1000 }));

    expect(index.size).toBe(3);
    expect(index.scopeCount).toBe(3);
  });

  it('holds at most its default bound of 10,000 documents however many scopes are written', async () => {
    const index = new MemoryIndex(undefined, FIXED_CLOCK);

    const vector = unit(1, 0, 0);
    for (let i = 0; i < 40_000; i++) await index.add({ scope: `system-prompt-${i}`, id: `id-${i}`, vector, entry: 'A', ttlMs: 1000 });

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
