import { QUOTA_TIMER_SLACK_MS, type ColdContainerRow, type ColdContainersResult } from './cold-containers';
import { fmt } from './stats';
import type { ChartPanel } from './svg';

/** Target name of a row: every cold container served from the cache, or failing open within the deadline. */
export function coldTargetName(row: ColdContainerRow): string {
  return row.expect === 'fail-open'
    ? `cold container fails open within the connect deadline: ${row.label}`
    : `every cold container's first request served from the cache: ${row.label}`;
}

/** `7/10`, or `not measured`. */
export function servedText(row: ColdContainerRow): string {
  return row.notMeasured === undefined ? `${row.served}/${row.containers}` : 'not measured';
}

/** `p50 (min-max)` of a spread in ms, or `-`. */
export function spreadText(spread: ColdContainerRow['firstRequestMs']): string {
  return spread === undefined ? '-' : `${fmt(spread.p50, 0)} (${fmt(spread.min, 0)}-${fmt(spread.max, 0)})`;
}

/** `exact=9 miss/timeout=1`: how the first requests ended. */
export function outcomesText(row: ColdContainerRow): string {
  return row.notMeasured ?? Object.entries(row.outcomes).map(([outcome, count]) => `${outcome}=${count}`).join(' ');
}

/** The section's heading line: the share, the memory it stands for, and why nothing was measured when so. */
export function coldHeading(result: ColdContainersResult): string {
  const share = result.share === undefined ? 'no CPU quota (not measured)' : `${fmt(result.share, 3)} of a CPU (cgroup cpu.cfs_quota_us ${Math.round(result.share * 100_000)} per 100000)`;
  return `Cold containers: the bundle in fresh processes at the CPU share of ${result.memoryMb} MB, ${share}; the answer stored first by another process`;
}

/** The rows as table cells: case, served, outcomes, first request ms, cache ms, deadline, load. */
export function coldTableRows(result: ColdContainersResult): string[][] {
  return result.rows.map((row) => [
    row.label,
    servedText(row),
    spreadText(row.firstRequestMs),
    spreadText(row.cacheMs),
    row.connectDeadlineMs === undefined ? '' : String(row.connectDeadlineMs),
    row.notMeasured === undefined ? fmt(row.load, 2) : '',
    outcomesText(row),
  ]);
}

export const COLD_TABLE_HEADERS = ['case', 'served', 'first request ms p50 (min-max)', 'cache ms p50 (min-max)', 'deadline ms', 'load', 'outcomes'] as const;

/** The rows' PASS / MISS / NOT MEASURED: every container served (a fail-open case: each within the deadline plus the quota's slack). */
export function coldChecks(result: ColdContainersResult | undefined): { target: string; result: 'PASS' | 'MISS' | 'NOT MEASURED'; measured: number; detail: string }[] {
  if (result === undefined) return [];
  return result.rows.map((row) => {
    if (row.notMeasured !== undefined) return { target: coldTargetName(row), result: 'NOT MEASURED', measured: Number.NaN, detail: `not measured: ${row.notMeasured}` };
    const detail = `${servedText(row)}; first request p50 ${fmt(row.firstRequestMs?.p50, 0)} ms; load ${fmt(row.load, 2)}`;
    const result = row.containers > 0 && row.served === row.containers ? 'PASS' : 'MISS';
    if (row.expect === 'fail-open') {
      const worst = row.cacheMs?.max ?? Number.NaN;
      return { target: coldTargetName(row), result, measured: worst, detail: `cache time max ${fmt(worst, 0)} ms vs deadline ${row.connectDeadlineMs} ms (+${QUOTA_TIMER_SLACK_MS} ms quota slack); ${detail}` };
    }
    return { target: coldTargetName(row), result, measured: row.served, detail };
  });
}

/** Chart panels: the share of cold containers served per case, and each case's cache time against the connect deadline. */
export function coldPanels(result: ColdContainersResult | undefined): ChartPanel[] {
  if (result === undefined) return [];
  const measured = result.rows.filter((row) => row.notMeasured === undefined && row.containers > 0);
  const share = result.share === undefined ? '' : ` at ${fmt(result.share, 2)} CPU (${result.memoryMb} MB)`;
  const deadline = measured.find((row) => row.connectDeadlineMs !== undefined)?.connectDeadlineMs;
  const panels: ChartPanel[] = [
    {
      kind: 'ratio',
      title: `Cold containers${share}: share whose first request got the stored answer (fail-open rows: failed open in time)`,
      referenceLabel: 'all',
      bars: measured.map((row) => ({ label: row.label, median: row.served / row.containers, low: row.served / row.containers, high: row.served / row.containers })),
    },
  ];
  if (deadline !== undefined) {
    panels.push({
      kind: 'ratio',
      title: `Cold containers${share}: the first request's time in the cache over the ${deadline} ms connect deadline (median, min-max)`,
      referenceLabel: 'deadline',
      bars: measured.filter((row) => row.cacheMs !== undefined).map((row) => ({ label: row.label, median: row.cacheMs!.p50 / deadline, low: row.cacheMs!.min / deadline, high: row.cacheMs!.max / deadline })),
    });
  }
  return panels;
}
