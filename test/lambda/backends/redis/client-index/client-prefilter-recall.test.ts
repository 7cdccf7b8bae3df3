import { cosine, quantize } from '../../../../../lambda/semantic/vectors/quantize';
import { DEFAULT_SEARCH_TUNING, ScopeVectors } from '../../../../../lambda/semantic/vectors/scope-vectors';
import { AnisotropicVectors } from '../../../../support/vectors';

// The client index must find what brute force finds, on data shaped like real embeddings (a
// shared mean direction, uneven variances), at thresholds users set: down to 0.7.
const DIMENSIONS = 256;
const ENTRIES = 10_000;
const QUERIES = 200;

describe('client index prefilter on anisotropic vectors', () => {
  const space = new AnisotropicVectors(DIMENSIONS, 7);
  const documents = Array.from({ length: ENTRIES }, () => space.sample());
  const flat = new Float32Array(ENTRIES * DIMENSIONS);
  documents.forEach((vector, i) => flat.set(vector, i * DIMENSIONS));
  const index = new ScopeVectors(DIMENSIONS, ENTRIES);
  documents.forEach((vector, i) => index.put(String(i), quantize(vector), Number.MAX_SAFE_INTEGER));

  it('is as anisotropic as real text embeddings (random pairs near cosine 0.4)', () => {
    let sum = 0;
    for (let i = 0; i < 500; i++) sum += cosine(documents[i]!, documents[i + 500]!);

    expect(sum / 500).toBeGreaterThan(0.35);
    expect(sum / 500).toBeLessThan(0.45);
  });

  it.each([0.7, 0.8, 0.9])('agrees with brute force on every query at threshold %s', (threshold) => {
    let compared = 0;
    const disagreements: string[] = [];
    for (let q = 0; q < QUERIES; q++) {
      const query = space.near(documents[(q * 7919) % ENTRIES]!, threshold + (0.98 - threshold) * space.uniform());
      const best = bruteForceBest(flat, query);
      if (best < threshold) continue;
      compared++;

      const candidates = index.candidates(query, threshold, 0, DEFAULT_SEARCH_TUNING);
      const found = Math.max(-1, ...candidates.map((c) => cosine(query, documents[Number(c.id)]!)));

      if (found < best - 1e-6) disagreements.push(`query ${q}: nearest ${best.toFixed(4)}, index ${found.toFixed(4)}`);
    }

    expect(compared).toBeGreaterThan(QUERIES * 0.9);
    expect(disagreements).toEqual([]);
  });
});

/** Highest dot product of unit `query` with the unit rows of `flat`. */
function bruteForceBest(flat: Float32Array, query: Float32Array): number {
  let best = -1;
  for (let offset = 0; offset < flat.length; offset += query.length) {
    let sum = 0;
    for (let i = 0; i < query.length; i++) sum += flat[offset + i]! * query[i]!;
    if (sum > best) best = sum;
  }
  return best;
}
