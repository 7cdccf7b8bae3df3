import { decodeDocument, encodeDocument } from '../../../../../lambda/backends/redis/client-index/codec';

const VECTOR = Float32Array.from([0.6, 0.8]);
const ENTRY = '{"v":1,"text":"In Nevada."}';

describe('client-side index document codec', () => {
  it('carries the same-question facts between the vector and the entry', () => {
    const decoded = decodeDocument(encodeDocument(VECTOR, ENTRY, 'sq1\u001ffacts'), 2);

    expect(decoded).toEqual({ vector: expect.any(Float32Array), entry: ENTRY, facts: 'sq1\u001ffacts' });
    expect(Array.from(decoded!.vector)).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)]);
  });

  it('reads a document written before the check as one without facts', () => {
    expect(decodeDocument(encodeDocument(VECTOR, ENTRY), 2)).toEqual({ vector: expect.any(Float32Array), entry: ENTRY });
  });

  it('refuses a document cut inside its facts', () => {
    const whole = encodeDocument(VECTOR, ENTRY, 'sq1\u001ffacts');

    expect(decodeDocument(whole.subarray(0, 8 + 5 + 3), 2)).toBeNull();
  });
});
