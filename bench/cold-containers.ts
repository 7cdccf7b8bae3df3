import { loadavg } from 'node:os';
import { runChild, type ColdStartRun, type HandlerBundle } from './cold-start';
import type { CpuQuota } from './cpu-quota';
import { median } from './stats';

/** What a cold container's first request should get: the stored answer (exact or semantic), or a fail-open miss. */
export type ColdExpectation = 'exact' | 'semantic' | 'fail-open';

/** One scenario: a backend, the request another process stores first, and the one each cold container sends. */
export interface ColdCase {
  readonly id: string;
  readonly label: string;
  readonly env: NodeJS.ProcessEnv;
  readonly expect: ColdExpectation;
  /** Sent once by a full-speed process before the cold containers start (absent: nothing to store). */
  readonly store?: object;
  readonly ask: object;
  /** Runs after the answer is stored, before the cold containers start (e.g. fills its scope). */
  readonly prepare?: () => Promise<void>;
  /** Fail-open cases: the connect deadline the first request must answer within. */
  readonly connectDeadlineMs?: number;
}

/** The first requests of `containers` cold containers of one case, each in a fresh process under the quota. */
export interface ColdContainerRow {
  readonly id: string;
  readonly label: string;
  readonly expect: ColdExpectation;
  readonly containers: number;
  /** Containers whose first request got what `expect` says. */
  readonly served: number;
  /** How the first requests ended, counted: `exact`, `semantic`, `miss`, `miss/timeout`, ... */
  readonly outcomes: Readonly<Record<string, number>>;
  /** First request (handler call after the bundle's load), median and spread over the containers. */
  readonly firstRequestMs?: { readonly p50: number; readonly min: number; readonly max: number };
  /** The first request's time in cache operations (CacheLatency), median and spread, when the children printed it. */
  readonly cacheMs?: { readonly p50: number; readonly min: number; readonly max: number };
  /** The cache faults the containers logged, counted (`operation/reason: error`). */
  readonly faults?: Readonly<Record<string, number>>;
  /** Bundle load (module init), median over the containers. */
  readonly requireMsP50?: number;
  readonly connectDeadlineMs?: number;
  /** The machine's 1-minute load average when the case started (2 cores shared with others). */
  readonly load: number;
  /** Set when the case was not measured, with the reason. */
  readonly notMeasured?: string;
}

export interface ColdContainersResult {
  /** The CPU share the containers ran under; undefined when no quota could be set (then nothing was measured). */
  readonly share?: number;
  readonly memoryMb: number;
  readonly rows: readonly ColdContainerRow[];
}

/** `exact`, `semantic`, `miss`, or `miss/<skip reason>`: what a first request's response said. */
export function outcomeOf(run: Pick<ColdStartRun, 'firstCache' | 'cacheSkipped'>): string {
  return run.cacheSkipped === undefined ? run.firstCache : `${run.firstCache}/${run.cacheSkipped}`;
}

/**
 * Slack on the connect deadline of a fail-open case: one CFS period. A process held to a CPU quota
 * can be throttled when its timer falls due and then waits up to the rest of the 100 ms period
 * (`CFS_PERIOD_US`) before it runs, so a deadline is honoured to within that.
 */
export const QUOTA_TIMER_SLACK_MS = 100;

/**
 * Whether a first request got what the case expects. A fail-open case needs a miss whose time in
 * the cache (`cacheMs`, its CacheLatency metric; the model's answer comes after) is within the
 * connect deadline, give or take `QUOTA_TIMER_SLACK_MS`.
 */
export function served(run: Pick<ColdStartRun, 'firstCache' | 'cacheSkipped' | 'cacheMs'>, expect: ColdExpectation, connectDeadlineMs?: number): boolean {
  if (expect !== 'fail-open') return run.firstCache === expect && run.cacheSkipped === undefined;
  if (run.firstCache !== 'miss') return false;
  return connectDeadlineMs === undefined || (run.cacheMs !== undefined && run.cacheMs <= connectDeadlineMs + QUOTA_TIMER_SLACK_MS);
}

/** The row of a measured case. */
export function summarizeContainers(cold: ColdCase, runs: readonly ColdStartRun[], load: number): ColdContainerRow {
  const outcomes: Record<string, number> = {};
  for (const run of runs) outcomes[outcomeOf(run)] = (outcomes[outcomeOf(run)] ?? 0) + 1;
  const faults: Record<string, number> = {};
  for (const fault of runs.flatMap((run) => run.faults ?? [])) faults[fault] = (faults[fault] ?? 0) + 1;
  const first = runs.map((run) => run.firstRequestMs);
  const cache = runs.flatMap((run) => (run.cacheMs === undefined ? [] : [run.cacheMs]));
  return {
    id: cold.id,
    label: cold.label,
    expect: cold.expect,
    containers: runs.length,
    served: runs.filter((run) => served(run, cold.expect, cold.connectDeadlineMs)).length,
    outcomes,
    ...(runs.length === 0 ? {} : { firstRequestMs: spread(first), requireMsP50: median(runs.map((run) => run.requireMs)) }),
    ...(cache.length === 0 ? {} : { cacheMs: spread(cache) }),
    ...(Object.keys(faults).length === 0 ? {} : { faults }),
    ...(cold.connectDeadlineMs === undefined ? {} : { connectDeadlineMs: cold.connectDeadlineMs }),
    load,
  };
}

function spread(values: readonly number[]): { p50: number; min: number; max: number } {
  return { p50: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/** The row of a case that could not be measured. */
export function notMeasured(cold: Pick<ColdCase, 'id' | 'label' | 'expect'>, reason: string): ColdContainerRow {
  return { id: cold.id, label: cold.label, expect: cold.expect, containers: 0, served: 0, outcomes: {}, load: loadavg()[0]!, notMeasured: reason };
}

/**
 * Runs one case: stores its answer from a full-speed process (a container that answered it
 * before), then starts `containers` fresh processes one after another, each under `quota`, each
 * serving `ask` once.
 */
export async function runColdCase(bundle: HandlerBundle, cold: ColdCase, quota: CpuQuota, containers: number): Promise<ColdContainerRow> {
  if (cold.store !== undefined) {
    const writer = await runChild(bundle, cold.store, cold.env);
    if (writer.firstCache !== 'miss' || writer.cacheSkipped !== undefined) {
      return notMeasured(cold, `the writer did not store the answer (${outcomeOf(writer)})`);
    }
  }
  await cold.prepare?.();
  const load = loadavg()[0]!;
  const runs: ColdStartRun[] = [];
  for (let i = 0; i < containers; i++) runs.push(await runChild(bundle, cold.ask, cold.env, { wrap: quota.wrap }));
  return summarizeContainers(cold, runs, load);
}
