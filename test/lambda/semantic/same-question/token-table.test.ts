import { codeUnitsOf, Items, readItems, TableBuilder, tableInts, tableSlots, type ExpectedItems } from '../../../../lambda/semantic/same-question/token-table';

const NONE: ExpectedItems = { idsAt: 0, startsAt: 0, fieldAt: 0, first: 0, last: 0 };

describe('TableBuilder and readItems', () => {
  it('find every string the table holds by its span of a list field, and give -1 for every other, past the filter or through it', () => {
    let state = 3;
    const next = (): number => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296);
    const word = (): string => Array.from({ length: 1 + Math.floor(next() * 6) }, () => 'abcdéz>'[Math.floor(next() * 7)]!).join('');
    for (let round = 0; round < 300; round++) {
      const strings = Array.from({ length: Math.floor(next() * 120) }, word);
      const slots = tableSlots(strings.length);
      const data = new Int32Array(tableInts(slots));
      // Every string appended to the pool's extras, as for a list that does not round-trip.
      const table = new TableBuilder(data, slots, 0);
      const ids = strings.map((s) => table.add(s, -1));
      const pool = codeUnitsOf(table.extrasText);
      const others = Array.from({ length: 60 }, word);
      const field = [...strings, ...others].join(' ');
      const items = new Items();
      const count = readItems(data, slots - 1, pool, codeUnitsOf(field), 0, field.length, items, true, NONE);
      const expected = [...strings.map((s) => ids[strings.indexOf(s)]!), ...others.map((s) => (strings.includes(s) ? ids[strings.indexOf(s)]! : -1))];
      expect({ strings, others, found: Array.from(items.ids.slice(0, count)) }).toEqual({ strings, others, found: field === '' ? [] : expected });
    }
  });
});
