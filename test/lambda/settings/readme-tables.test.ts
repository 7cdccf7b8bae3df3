import { readFileSync } from 'node:fs';
import { README_PATH, README_TABLES, renderTable, tableRange } from '../../../scripts/settings-tables';

describe('README configuration tables', () => {
  const lines = readFileSync(README_PATH, 'utf8').split('\n');

  it.each(README_TABLES)('$heading equals the table generated from lambda/settings', ({ heading, side }) => {
    const [start, end] = tableRange(lines, heading);
    const actual = lines.slice(start, end).join('\n');
    const expected = renderTable(side);
    if (actual !== expected) {
      throw new Error(`README table under "${heading}" is out of date: run npx tsx scripts/settings-tables.ts --write`);
    }
    expect(actual).toBe(expected);
  });
});
