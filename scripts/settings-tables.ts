/**
 * Prints the README's two configuration tables, generated from the settings table
 * (`lambda/settings`):  npx tsx scripts/settings-tables.ts [--write]
 * `--write` replaces the tables in README.md ("## Runtime configuration" and "### Configuration");
 * test/lambda/settings/readme-tables.test.ts fails when the README and the table disagree.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BACKEND_IDS } from '../lib/config/backends';
import { allSettings, RUNTIME_SETTINGS, SHARED_SETTINGS } from '../lambda/settings';
import { describeNumber, formatValue, type Rule, type Setting } from '../lambda/settings/parse';

type Side = 'env' | 'context';

/** README headings whose first table is generated, and the side each documents. */
export const README_TABLES: readonly { readonly heading: string; readonly side: Side }[] = [
  { heading: '## Runtime configuration', side: 'env' },
  { heading: '### Configuration', side: 'context' },
];

const code = (text: string): string => `\`${text}\``;
const cell = (text: string): string => text.replace(/\|/g, '\\|');

function defaultText(setting: Setting<unknown>, side: Side): string {
  const doc = setting.defaultDoc;
  if (doc !== undefined) return typeof doc === 'string' ? doc : doc[side];
  return setting.default === undefined ? '—' : code(formatValue(setting.default));
}

function validText(rule: Rule): string {
  switch (rule.type) {
    case 'number': {
      if (rule.allowed !== undefined || rule.why !== undefined) return describeNumber(rule);
      const low = rule.minExclusive !== undefined ? `(${rule.minExclusive}` : `${rule.min ?? ''}`;
      if (rule.minExclusive !== undefined) return `${low}, ${rule.max ?? 'inf'}]`;
      const kind = rule.integer ? 'integer' : 'number';
      return rule.max === undefined ? `${kind} >= ${rule.min ?? '-inf'}` : `${low}..${rule.max}`;
    }
    case 'enum':
      return rule.values.map(code).join(', ');
    case 'string':
      return rule.expected ?? 'any';
    case 'list':
      return 'comma list';
    case 'bool':
      return '`true`, `false`';
  }
}

/** The table of one side: environment variables or CDK context keys. */
export function renderTable(side: Side): string {
  const rows = allSettings().filter((setting) => setting[side] !== undefined);
  if (side === 'env') {
    // Connection first (the stacks derive it from the backend), then what a deployment chooses.
    const R = RUNTIME_SETTINGS;
    const connection = new Set<Setting<unknown>>([R.backend, R.cacheUrl, R.secretArn, R.username, R.password, R.tlsCaFile, R.semanticIndex]);
    const shared = new Set(Object.values(SHARED_SETTINGS) as Setting<unknown>[]);
    const rank = (s: Setting<unknown>): number => (connection.has(s) ? 0 : shared.has(s) ? 1 : 2);
    rows.sort((a, b) => rank(a) - rank(b));
    const lines = rows.map((s) => `| ${code(s.env ?? '')} | ${cell(s.doc)} | ${cell(defaultText(s, side))} | ${cell(validText(s.rule))} |`);
    return ['| variable | meaning | default | valid |', '|---|---|---|---|', ...lines].join('\n');
  }
  const backend = `| ${code('backend')} | all | ${BACKEND_IDS.map(code).join(', ')} | the one backend to synthesize |`;
  const lines = rows.map((s) => `| ${code(s.context ?? '')} | ${cell(defaultText(s, side))} | ${cell(validText(s.rule))} | ${cell(s.doc)} |`);
  return ['| key | default | valid | meaning |', '|---|---|---|---|', backend, ...lines].join('\n');
}

/** The line range [start, end) of the first table after `heading`. */
export function tableRange(lines: readonly string[], heading: string): [number, number] {
  const at = lines.indexOf(heading);
  if (at < 0) throw new Error(`README has no line "${heading}"`);
  let start = at + 1;
  while (start < lines.length && !lines[start].startsWith('|')) start += 1;
  let end = start;
  while (end < lines.length && lines[end].startsWith('|')) end += 1;
  return [start, end];
}

/** README text with both tables regenerated. */
function withTables(readme: string): string {
  const lines = readme.split('\n');
  for (const { heading, side } of README_TABLES) {
    const [start, end] = tableRange(lines, heading);
    lines.splice(start, end - start, ...renderTable(side).split('\n'));
  }
  return lines.join('\n');
}

export const README_PATH = join(__dirname, '..', 'README.md');

if (require.main === module) {
  if (process.argv.includes('--write')) {
    writeFileSync(README_PATH, withTables(readFileSync(README_PATH, 'utf8')));
    console.log(`wrote both tables to ${README_PATH}`);
  } else {
    for (const { heading, side } of README_TABLES) console.log(`${heading}\n\n${renderTable(side)}\n`);
  }
}
