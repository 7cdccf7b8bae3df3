/**
 * Evaluation figures: per category and split, the share of near-misses served the other question's
 * answer (wrong answers) and the share of rewordings served the stored answer (hits), for each
 * threshold and same-question check setting; and the Markdown table `npm run eval:semantic` prints.
 */
import { isLiteralCategory, type PairLabel, type PairSplit } from './pairs';
import type { PairOutcome } from './run-pairs';

export type CheckSetting = 'on' | 'off';

/** One pass over the pairs at one threshold and check setting. */
export interface EvalRun {
  readonly check: CheckSetting;
  readonly threshold: number;
  readonly outcomes: readonly PairOutcome[];
}

export interface Tally {
  readonly pairs: number;
  /** Pairs whose second prompt was served the first's answer. */
  readonly served: number;
  /** Pairs whose neighbour the same-question check rejected. */
  readonly rejected: number;
  /** Pairs the cache skipped (fail open): they measured nothing. */
  readonly faults: number;
}

/** Groups of categories the issue's targets speak of, shown under the categories. */
export const GROUPS: ReadonlyArray<{ readonly name: string; readonly label: PairLabel; readonly member: (category: string) => boolean }> = [
  { name: 'near-miss: literal (target 0)', label: 'near-miss', member: isLiteralCategory },
  { name: 'near-miss: swap (target ≤ 5 %)', label: 'near-miss', member: (category) => !isLiteralCategory(category) },
  { name: 'rewording (all)', label: 'rewording', member: () => true },
];

export function tally(outcomes: readonly PairOutcome[], filter: (outcome: PairOutcome) => boolean = () => true): Tally {
  let pairs = 0;
  let served = 0;
  let rejected = 0;
  let faults = 0;
  for (const outcome of outcomes) {
    if (!filter(outcome)) continue;
    pairs += 1;
    if (outcome.served) served += 1;
    if (outcome.rejected) rejected += 1;
    if (outcome.fault !== undefined) faults += 1;
  }
  return { pairs, served, rejected, faults };
}

/** Served share in percent with one decimal, or "–" for no pairs. */
export function percent(t: Tally): string {
  return t.pairs === 0 ? '–' : `${((100 * t.served) / t.pairs).toFixed(1)} %`;
}

const inSplit = (split: PairSplit | 'all') => (outcome: PairOutcome) => split === 'all' || outcome.pair.split === split;

/**
 * A Markdown table for one split: a row per category (near-misses first, then rewordings) and per
 * group, a column per threshold and check setting. Near-miss cells are wrong-answer shares,
 * rewording cells hit shares.
 */
export function formatTable(runs: readonly EvalRun[], split: PairSplit | 'all'): string {
  const columns = [...runs].sort((x, y) => x.threshold - y.threshold || x.check.localeCompare(y.check));
  const sample = columns[0]?.outcomes.filter(inSplit(split)) ?? [];
  const categories = (label: PairLabel) => [...new Set(sample.filter((o) => o.pair.label === label).map((o) => o.pair.category))];
  const header = `| ${split} split | pairs | ${columns.map((run) => `${run.threshold} check ${run.check}`).join(' | ')} |`;
  const rule = `|---|---:|${columns.map(() => '---:').join('|')}|`;
  const row = (name: string, filter: (outcome: PairOutcome) => boolean): string => {
    const cells = columns.map((run) => percent(tally(run.outcomes.filter(inSplit(split)), filter)));
    return `| ${name} | ${tally(sample, filter).pairs} | ${cells.join(' | ')} |`;
  };
  const lines = [header, rule];
  for (const label of ['near-miss', 'rewording'] as const) {
    for (const category of categories(label)) lines.push(row(category, (o) => o.pair.category === category && o.pair.label === label));
  }
  for (const group of GROUPS) lines.push(row(`**${group.name}**`, (o) => o.pair.label === group.label && group.member(o.pair.category)));
  const faults = columns.reduce((sum, run) => sum + tally(run.outcomes.filter(inSplit(split))).faults, 0);
  if (faults > 0) lines.push('', `${faults} pair runs were skipped by the cache (fail open) and count as not served.`);
  return lines.join('\n');
}

/** Rewording hits with the check as a share of hits without it, at one threshold (1 when neither hit). */
export function rewordingRetention(on: EvalRun, off: EvalRun, split: PairSplit | 'all'): number {
  const filter = (o: PairOutcome) => o.pair.label === 'rewording' && inSplit(split)(o);
  const without = tally(off.outcomes, filter).served;
  const withCheck = tally(on.outcomes, filter).served;
  return without === 0 ? 1 : withCheck / without;
}
