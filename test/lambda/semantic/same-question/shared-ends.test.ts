import { SharedEnds } from '../../../../lambda/semantic/same-question/shared-ends';

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
