import { MemoryIndex } from '../../../../lambda/backends/memory/memory-index';
import { CandidateCheck } from '../../../../lambda/semantic/same-question/candidate-check';
import { questionFacts } from '../../../../lambda/semantic/same-question/facts';
import { MAX_REJECTING_ASKERS, type SemanticDocument } from '../../../../lambda/semantic/semantic-index';
import { randomUnitVector } from '../../../support/vectors';

const SCOPE = 's';
const NS = 'tenant-a';
const ASKER = 'a'.repeat(64);
const OTHER_ASKER = 'b'.repeat(64);
const unit = (x: number, y: number): Float32Array => Float32Array.from([x, y].map((v) => v / Math.hypot(x, y)));

function doc(overrides: Partial<SemanticDocument> = {}): SemanticDocument {
  return { scope: SCOPE, id: 'near', namespace: NS, vector: unit(1, 0.05), entry: 'NEAR', ttlMs: 60_000, ...overrides };
}

describe('MemoryIndex.remove', () => {
  it('removes the document at once and says it existed', async () => {
    const index = new MemoryIndex();
    await index.add(doc());

    expect(await index.remove(SCOPE, 'near', NS)).toBe(true);
    expect(await index.search(SCOPE, unit(1, 0), 0.5)).toBeNull();
    expect(index.size).toBe(0);
    expect(index.scopeCount).toBe(0);
  });

  it('answers false when the document is not there', async () => {
    const index = new MemoryIndex();
    await index.add(doc());

    expect(await index.remove(SCOPE, 'other', NS)).toBe(false);
    expect(await index.remove('other-scope', 'near', NS)).toBe(false);
    expect(index.size).toBe(1);
  });

  it('answers false for a document whose TTL has passed', async () => {
    const clock = { now: 0 };
    const index = new MemoryIndex(100, () => clock.now);
    await index.add(doc({ ttlMs: 1000 }));
    clock.now = 1000;

    expect(await index.remove(SCOPE, 'near', NS)).toBe(false);
  });

  it('leaves the scope\'s other documents searchable', async () => {
    const index = new MemoryIndex();
    await index.add(doc());
    await index.add(doc({ id: 'far', vector: unit(1, 0.3), entry: 'FAR' }));

    await index.remove(SCOPE, 'near', NS);

    expect((await index.search(SCOPE, unit(1, 0), 0.9))?.id).toBe('far');
  });

  it('removes a document from a scope that searches through the prefilter structure', async () => {
    const index = new MemoryIndex();
    const vectors = Array.from({ length: 400 }, (_, i) => randomUnitVector(64, i + 1));
    for (let i = 0; i < vectors.length; i++) await index.add(doc({ id: `d${i}`, vector: vectors[i]!, entry: `A${i}` }));
    expect(index.accelerated(SCOPE)).toBe(true);
    expect((await index.search(SCOPE, vectors[7]!, 0.95))?.id).toBe('d7');

    await index.remove(SCOPE, 'd7', NS);

    expect(await index.search(SCOPE, vectors[7]!, 0.95)).toBeNull();
    expect((await index.search(SCOPE, vectors[8]!, 0.95))?.id).toBe('d8');
  });
});

describe('MemoryIndex.reject and the asker of a search', () => {
  it('passes over a document for the asker that rejected it, and only for that asker', async () => {
    const index = new MemoryIndex();
    await index.add(doc());

    expect(await index.reject(SCOPE, 'near', NS, ASKER)).toBe(true);

    expect(await index.search(SCOPE, unit(1, 0), 0.5, undefined, ASKER)).toBeNull();
    expect((await index.search(SCOPE, unit(1, 0), 0.5, undefined, OTHER_ASKER))?.id).toBe('near');
    expect((await index.search(SCOPE, unit(1, 0), 0.5))?.id).toBe('near');
  });

  it('never hides an acceptable neighbour behind the rejected one', async () => {
    const index = new MemoryIndex();
    await index.add(doc());
    await index.add(doc({ id: 'far', vector: unit(1, 0.3), entry: 'FAR' }));
    await index.reject(SCOPE, 'near', NS, ASKER);

    expect((await index.search(SCOPE, unit(1, 0), 0.9, undefined, ASKER))?.id).toBe('far');
  });

  it('reports the rejected neighbour to the check as rejected-by-owner with its similarity', async () => {
    const index = new MemoryIndex();
    await index.add(doc({ facts: questionFacts('Where is Las Vegas?') }));
    await index.reject(SCOPE, 'near', NS, ASKER);
    const check = new CandidateCheck('Where is Las Vegas?', 'on');

    expect(await index.search(SCOPE, unit(1, 0), 0.9, check, ASKER)).toBeNull();

    expect(check.rejection).toEqual({ reason: 'rejected-by-owner', similarity: expect.closeTo(unit(1, 0.05)[0]!, 5) });
  });

  it('keeps the check\'s nearer rejection when the owner\'s is farther', async () => {
    const index = new MemoryIndex();
    await index.add(doc({ id: 'six', vector: unit(1, 0.05), facts: questionFacts('Convert 6 miles to kilometers') }));
    await index.add(doc({ id: 'five', vector: unit(1, 0.3), facts: questionFacts('Convert 5 miles to kilometers') }));
    await index.reject(SCOPE, 'five', NS, ASKER);
    const check = new CandidateCheck('Convert 5 miles to kilometers', 'on');

    expect(await index.search(SCOPE, unit(1, 0), 0.9, check, ASKER)).toBeNull();

    expect(check.rejection?.reason).toBe('number-mismatch');
  });

  it('answers false and records nothing when the document is gone', async () => {
    const index = new MemoryIndex();

    expect(await index.reject(SCOPE, 'near', NS, ASKER)).toBe(false);
    await index.add(doc());
    expect((await index.search(SCOPE, unit(1, 0), 0.5, undefined, ASKER))?.id).toBe('near');
  });

  it('keeps the document\'s expiry', async () => {
    const clock = { now: 0 };
    const index = new MemoryIndex(100, () => clock.now);
    await index.add(doc({ ttlMs: 1000 }));
    clock.now = 900;

    await index.reject(SCOPE, 'near', NS, ASKER);
    clock.now = 1000;

    expect(await index.search(SCOPE, unit(1, 0), 0.5)).toBeNull();
  });

  it('remembers the last MAX_REJECTING_ASKERS askers, the oldest forgotten first', async () => {
    const index = new MemoryIndex();
    await index.add(doc());
    const askers = Array.from({ length: MAX_REJECTING_ASKERS + 1 }, (_, i) => i.toString(16).padStart(64, '0'));

    for (const asker of askers) await index.reject(SCOPE, 'near', NS, asker);

    expect((await index.search(SCOPE, unit(1, 0), 0.5, undefined, askers[0]))?.id).toBe('near');
    for (const asker of askers.slice(1)) expect(await index.search(SCOPE, unit(1, 0), 0.5, undefined, asker)).toBeNull();
  });

  it('survives a re-store of the document (a refresh replaces the answer, not the question)', async () => {
    const index = new MemoryIndex();
    await index.add(doc());
    await index.reject(SCOPE, 'near', NS, ASKER);

    await index.add(doc({ entry: 'NEW' }));

    expect(await index.search(SCOPE, unit(1, 0), 0.5, undefined, ASKER)).toBeNull();
    expect((await index.search(SCOPE, unit(1, 0), 0.5))?.entry).toBe('NEW');
  });

  it('goes with the document: a removed and re-stored answer starts with no rejections', async () => {
    const index = new MemoryIndex();
    await index.add(doc());
    await index.reject(SCOPE, 'near', NS, ASKER);

    await index.remove(SCOPE, 'near', NS);
    await index.add(doc({ entry: 'NEW' }));

    expect((await index.search(SCOPE, unit(1, 0), 0.5, undefined, ASKER))?.entry).toBe('NEW');
  });
});
