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

  it('keeps at most its bound per scope, dropping the oldest first', async () => {
    const index = new MemoryIndex(2, FIXED_CLOCK);
    await index.add(doc({ id: 'a', vector: unit(1, 0, 0), entry: 'A' }));
    await index.add(doc({ id: 'b', vector: unit(0, 1, 0), entry: 'B' }));
    await index.add(doc({ id: 'c', vector: unit(0, 0, 1), entry: 'C' }));

    expect(await index.search('s1', unit(1, 0, 0), 0.9)).toBeNull();
    expect((await index.search('s1', unit(0, 1, 0), 0.9))?.entry).toBe('B');
    expect((await index.search('s1', unit(0, 0, 1), 0.9))?.entry).toBe('C');
  });

  it('bounds each scope separately', async () => {
    const index = new MemoryIndex(1, FIXED_CLOCK);
    await index.add(doc({ scope: 's1', entry: 'one' }));

    await index.add(doc({ scope: 's2', entry: 'two' }));

    expect((await index.search('s1', unit(1, 0, 0), 0.9))?.entry).toBe('one');
  });
});
