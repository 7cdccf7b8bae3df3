import { MemoryIndex } from '../../../../lambda/backends/memory/memory-index';
import { CandidateCheck } from '../../../../lambda/semantic/same-question/candidate-check';
import { questionFacts } from '../../../../lambda/semantic/same-question/facts';

const SCOPE = 's';
const unit = (x: number, y: number): Float32Array => Float32Array.from([x, y].map((v) => v / Math.hypot(x, y)));

describe('MemoryIndex with the same-question check', () => {
  it('passes over a nearer rejected neighbour to an acceptable one behind it, and reports the rejection', async () => {
    const index = new MemoryIndex();
    await index.add({ scope: SCOPE, id: 'six', namespace: 'default', vector: unit(1, 0.05), entry: 'six', ttlMs: 60_000, facts: questionFacts('Convert 6 miles to kilometers') });
    await index.add({ scope: SCOPE, id: 'five', namespace: 'default', vector: unit(1, 0.3), entry: 'five', ttlMs: 60_000, facts: questionFacts('Please convert 5 miles to kilometers') });
    const check = new CandidateCheck('Convert 5 miles to kilometers', 'on');

    const hit = await index.search(SCOPE, unit(1, 0), 0.9, check);

    expect(hit?.id).toBe('five');
    expect(check.rejection).toEqual({ reason: 'number-mismatch', similarity: expect.any(Number) });
  });

  it('never serves a document stored without facts to a checked search', async () => {
    const index = new MemoryIndex();
    await index.add({ scope: SCOPE, id: 'old', namespace: 'default', vector: unit(1, 0), entry: 'old', ttlMs: 60_000 });
    const check = new CandidateCheck('Where is Las Vegas?', 'on');

    expect(await index.search(SCOPE, unit(1, 0), 0.9, check)).toBeNull();
    expect(check.rejection?.reason).toBe('unchecked-entry');
    expect((await index.search(SCOPE, unit(1, 0), 0.9))?.id).toBe('old');
  });
});
