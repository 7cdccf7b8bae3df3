import { canonicalJson } from '../../../lambda/core/canonical-json';

describe('canonicalJson', () => {
  it('sorts object keys so that field order does not change the output', () => {
    const first = canonicalJson({ b: 1, a: 2, c: 3 });
    const second = canonicalJson({ c: 3, a: 2, b: 1 });

    expect(first).toBe('{"a":2,"b":1,"c":3}');
    expect(second).toBe(first);
  });

  it('sorts keys at every depth, including objects inside arrays', () => {
    const output = canonicalJson({ z: { y: 1, x: [{ q: 1, p: 2 }] }, a: null });

    expect(output).toBe('{"a":null,"z":{"x":[{"p":2,"q":1}],"y":1}}');
  });

  it('keeps array elements in their order', () => {
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
  });

  it('drops undefined members so that an absent field and an undefined one are equal', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }));
  });

  it('serialises scalars as JSON does', () => {
    expect(canonicalJson('text')).toBe('"text"');
    expect(canonicalJson(1.5)).toBe('1.5');
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson(true)).toBe('true');
  });

  it('distinguishes values that differ only in type', () => {
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }));
  });
});
