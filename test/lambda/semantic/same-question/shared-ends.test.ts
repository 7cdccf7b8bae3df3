import { commonPrefix, commonSuffix, SharedEnds } from '../../../../lambda/semantic/same-question/shared-ends';
import { codeUnitsOf } from '../../../../lambda/semantic/same-question/token-table';

/**
 * The most items both lists begin with, each followed by another stored item (a space), then the
 * most they end with, each after another stored item, among the stored items left (the two ends
 * may share the one space between them).
 */
function naive(asked: readonly string[], stored: readonly string[]): [number, number] {
  let k = 0;
  while (k < asked.length && k < stored.length - 1 && asked[k] === stored[k]) k++;
  const left = stored.length - k - (k === 0 ? 1 : 0);
  let m = 0;
  while (m < asked.length && m < left && asked[asked.length - 1 - m] === stored[stored.length - 1 - m]) m++;
  return [k, m];
}

describe('SharedEnds', () => {
  it('finds the first and last items a stored field repeats, never counting an item twice, on lists of a few items, empty ones among them', () => {
    let state = 11;
    const next = (): number => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296);
    const items = ['a', 'b', ''];
    const list = (): string[] => Array.from({ length: Math.floor(next() * 6) }, () => items[Math.floor(next() * items.length)]!);
    for (let round = 0; round < 50000; round++) {
      const asked = list();
      const stored = list();
      // Items of a field hold no space; a list of one empty item is no asked list SharedEnds is made for (it does not round-trip).
      if (asked.length === 1 && asked[0] === '') continue;
      const field = asked.join(' ');
      const text = `x\u001f${stored.join(' ')}\u001fy`;
      const from = 2;
      const end = text.length - 2;
      const ends = new SharedEnds(field, asked.length);
      const k = ends.prefix(text, from, end);
      const room = end - (from + ends.prefixLength(k)) + 1;
      const m = ends.suffix(text, from, end, room);
      expect({ asked, stored, shared: [k, m] }).toEqual({ asked, stored, shared: naive(asked, stored) });
    }
  });
});

describe('commonPrefix and commonSuffix', () => {
  /** The characters two strings share from their start (the plain loop the span comparisons replace). */
  function naivePrefix(a: string, b: string): number {
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    return i;
  }

  it('count the characters shared from each end, on fields long enough to be compared span by span, the difference anywhere', () => {
    let state = 5;
    const next = (): number => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296);
    for (let round = 0; round < 20000; round++) {
      const length = Math.floor(next() * 400);
      const asked = Array.from({ length }, () => 'ab '[Math.floor(next() * 3)]!).join('');
      const chars = [...asked];
      // One to three characters changed, added or dropped (or none).
      for (let c = Math.floor(next() * 4); c > 0; c--) {
        const at = Math.floor(next() * (chars.length + 1));
        const kind = Math.floor(next() * 3);
        if (kind === 0 && chars.length > 0) chars[Math.min(at, chars.length - 1)] = 'c';
        else if (kind === 1) chars.splice(at, 0, 'b');
        else chars.splice(at, 1);
      }
      const stored = chars.join('');
      // The asked field inside a pool and the stored one inside a stored form, as the verdict reads them.
      const pool = `xy\u001f${asked}\u001fz`;
      const text = `sq2\u001f${stored}\u001f`;
      const limit = Math.min(asked.length, stored.length);
      const prefix = commonPrefix(text, codeUnitsOf(text), 4, pool, codeUnitsOf(pool), 3, limit);
      const suffix = commonSuffix(text, codeUnitsOf(text), 4 + stored.length, pool, codeUnitsOf(pool), 3 + asked.length, limit);
      const reversed = (s: string): string => [...s].reverse().join('');
      expect({ asked, stored, prefix, suffix }).toEqual({ asked, stored, prefix: naivePrefix(asked, stored), suffix: Math.min(limit, naivePrefix(reversed(asked), reversed(stored))) });
    }
  });
});
