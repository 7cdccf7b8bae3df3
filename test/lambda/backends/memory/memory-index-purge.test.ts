import { MemoryIndex } from '../../../../lambda/backends/memory/memory-index';
import { ACCELERATE_AT } from '../../../../lambda/backends/memory/memory-scope';
import type { SemanticDocument } from '../../../../lambda/semantic/semantic-index';
import { randomUnitVector, unit } from '../../../support/vectors';

const FIXED_CLOCK = (): number => 0;

function doc(overrides: Partial<SemanticDocument> = {}): SemanticDocument {
  return { scope: 's1', id: 'a', namespace: 'a', vector: unit(1, 0, 0), entry: 'A', ttlMs: 1000, ...overrides };
}

describe('MemoryIndex.purge', () => {
  it('removes every document of the namespace, in every scope, and none of another', async () => {
    const index = new MemoryIndex(undefined, FIXED_CLOCK);
    await index.add(doc({ scope: 's1', id: 'x' }));
    await index.add(doc({ scope: 's2', id: 'y' }));
    await index.add(doc({ scope: 's1', id: 'z', namespace: 'b', entry: 'B' }));

    const removed = index.purge('a');

    expect(removed).toBe(2);
    expect(index.size).toBe(1);
    expect(await index.search('s2', unit(1, 0, 0), 0.5)).toBeNull();
    expect((await index.search('s1', unit(1, 0, 0), 0.5))?.entry).toBe('B');
  });

  it('gives back the memory of a scope that had its prefilter structure', async () => {
    const index = new MemoryIndex(2 * ACCELERATE_AT, FIXED_CLOCK);
    const empty = index.bytes;
    for (let i = 0; i < ACCELERATE_AT + 10; i++) await index.add(doc({ id: `d${i}`, vector: randomUnitVector(64, i) }));
    expect(index.accelerated('s1')).toBe(true);

    expect(index.purge('a')).toBe(ACCELERATE_AT + 10);

    expect(index.size).toBe(0);
    expect(index.scopeCount).toBe(0);
    expect(index.bytes).toBe(empty);
  });
});
