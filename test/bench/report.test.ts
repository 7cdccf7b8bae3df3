import type { ColdContainersResult } from '../../bench/cold-containers';
import { chartOf, checkTargets, FLOOR_NOTE, formatReport, type BenchResults, type TargetCheck } from '../../bench/report';
import type { Round, StandardHitComparison, StandardHitRow } from '../../bench/standard-hit';
import { ratioSummary, summarize } from '../../bench/stats';

type Variant = StandardHitRow['variant'];

function row(variant: Variant, concurrency: number, p50Ratios: number[], timeRatios: number[] = p50Ratios): StandardHitRow {
  return { variant, label: `${variant} label`, concurrency, latency: summarize([50_000, 60_000], 1e6), p50VsFloor: ratioSummary(p50Ratios), throughputVsFloor: ratioSummary(timeRatios) };
}

function comparison(id: StandardHitComparison['id'], concurrency: number, ratios: number[]): StandardHitComparison {
  return { id, concurrency, label: id, ratio: ratioSummary(ratios) };
}

/** Results where every target passes; each test breaks one. */
function results(overrides: Partial<BenchResults> = {}, hit: { rows?: StandardHitRow[]; comparisons?: StandardHitComparison[]; serialRounds?: Round[] } = {}): BenchResults {
  const level = (concurrency: number) => ({ concurrency, rounds: 5, settled: true, seconds: 1, hitsPerRound: 300, variants: [], perRound: concurrency === 1 ? (hit.serialRounds ?? []) : [] });
  return {
    startedAt: '2026-11-28T00:00:00.000Z',
    machine: { node: 'v20.0.0', cpus: 2, cpuModel: 'Test CPU', platform: 'linux-x64', redisServer: '7.0.15' },
    standardHit: {
      payloadBytes: 600,
      langchainPayloadBytes: 400,
      stopRule: { minRounds: 5, maxRounds: 50, maxRelativeIqr: 0.1, budgetSeconds: 20 },
      levels: [level(1), level(64)],
      rows: hit.rows ?? [row('floor', 1, [1, 1, 1]), row('ours', 1, [1.1, 1.15, 1.2]), row('handler', 1, [1.3, 1.4, 1.45]), row('floor', 64, [1, 1, 1]), row('ours', 64, [2, 2, 2])],
      comparisons: hit.comparisons ?? [comparison('langchain-p50-over-ours', 1, [1.7, 1.8, 1.9]), comparison('ours-per-second-over-langchain', 64, [1.3, 1.4, 1.5])],
    },
    handlerOutput: { invocations: 100, writes: 200, bytes: 108_000 },
    roundTrips: [
      { variant: 'ours', label: 'ours', hits: 500, commandsPerHit: 1, byCommand: { get: 1 } },
      { variant: 'langchain', label: 'langchain', hits: 500, commandsPerHit: 2, byCommand: { get: 2 } },
    ],
    semantic: [],
    stampede: [],
    coldStart: {
      bundleBytes: 700_000,
      topPackages: [],
      nodeVersion: 'v20.0.0',
      scenarios: [{ id: 'memory-miss', label: 'memory', runs: [], median: { spawnToAnswerMs: 150, requireMs: 80, firstRequestMs: 20, loadPlusFirstMs: 100 } }],
    },
    bedrockConnections: { calls: 100, connections: 1 },
    ...overrides,
  };
}

function find(checks: readonly TargetCheck[], start: string): TargetCheck {
  const check = checks.find((candidate) => candidate.target.startsWith(start));
  if (!check) throw new Error(`no target starting with ${start}: ${checks.map((c) => c.target).join('; ')}`);
  return check;
}

describe('bench targets', () => {
  it('passes every issue target on medians of rounds', () => {
    const checks = checkTargets(results());
    for (const start of ['library hit p50', 'library >= 1.6', 'library hits/s', 'handler hit p50', 'load + first', 'bundle', 'Bedrock connections', 'one round trip']) {
      expect(find(checks, start).result).toBe('PASS');
    }
    expect(find(checks, 'library hit p50').measured).toBe(1.15);
    expect(find(checks, 'library hit p50').spread?.q3).toBe(1.2);
  });

  it('judges the median, not the best round', () => {
    const rows = [row('floor', 1, [1, 1, 1]), row('ours', 1, [1.1, 1.3, 1.4]), row('handler', 1, [1.2, 1.6, 1.7])];
    const checks = checkTargets(results({}, { rows }));
    expect(find(checks, 'library hit p50').result).toBe('MISS');
    expect(find(checks, 'handler hit p50').result).toBe('MISS');
  });

  it('misses the LangChain targets below 1.6 x at 1 and 1.3 x at 64', () => {
    const checks = checkTargets(results({}, { comparisons: [comparison('langchain-p50-over-ours', 1, [1.5, 1.55, 1.7]), comparison('ours-per-second-over-langchain', 64, [1.1, 1.2, 1.4])] }));
    expect(find(checks, 'library >= 1.6').result).toBe('MISS');
    expect(find(checks, 'library hits/s').result).toBe('MISS');
  });

  it('says NOT MEASURED, not PASS or MISS, for a section that did not run', () => {
    const { bedrockConnections: _omitted, ...rest } = results();
    const checks = checkTargets({ ...rest, coldStart: { ...rest.coldStart, scenarios: [] } });
    expect(find(checks, 'Bedrock connections').result).toBe('NOT MEASURED');
    expect(find(checks, 'load + first').result).toBe('NOT MEASURED');
    expect(checkTargets(results({}, { rows: [row('floor', 1, [1])], comparisons: [] })).filter((c) => c.result === 'NOT MEASURED')).toHaveLength(4);
  });

  it('misses cold start, bundle and connections over their limits', () => {
    const base = results();
    const checks = checkTargets({
      ...base,
      coldStart: { ...base.coldStart, bundleBytes: 2 * 1024 * 1024, scenarios: [{ ...base.coldStart.scenarios[0]!, median: { ...base.coldStart.scenarios[0]!.median, loadPlusFirstMs: 151 } }] },
      bedrockConnections: { calls: 100, connections: 3 },
    });
    expect(find(checks, 'load + first').result).toBe('MISS');
    expect(find(checks, 'bundle').result).toBe('MISS');
    expect(find(checks, 'Bedrock connections').result).toBe('MISS');
  });
});

describe('bench memory-search target', () => {
  const memoryRow = (p50Ms: number) => ({ path: 'memory' as const, label: 'memory index', entries: 10_000, performanceFigure: true, latency: summarize([p50Ms * 1e6]) });

  it('checks the embedded backend at 10,000 entries against 2 ms, when the section measured it', () => {
    expect(find(checkTargets(results({ semantic: [memoryRow(1.5)] })), 'memory backend').result).toBe('PASS');
    expect(find(checkTargets(results({ semantic: [memoryRow(2.5)] })), 'memory backend').result).toBe('MISS');
    expect(checkTargets(results()).some((check) => check.target.startsWith('memory backend'))).toBe(false);
  });
});

describe('bench same-question target', () => {
  const checkRow = (label: string, roundsUs: number[], lookup: boolean) => ({ path: 'check' as const, label, entries: 500, performanceFigure: true, latency: summarize(roundsUs.map((us) => us * 1000)), roundsUs: ratioSummary(roundsUs), lookup });

  it('judges the costliest lookup row against 5 µs (median of rounds, with its spread), and only lookup rows', () => {
    const rows = [checkRow('facts', [9, 9, 9], false), checkRow('same facts', [3, 3.2, 3.4], true), checkRow('other words', [4.5, 4.8, 5.5], true)];
    const pass = find(checkTargets(results({ semantic: rows })), 'same-question check');
    expect(pass).toMatchObject({ result: 'PASS', measured: 4.8, spread: { q1: 4.5, q3: 5.5 } });
    expect(pass.detail).toContain('other words');
    rows[1] = checkRow('same facts', [5.1, 5.2, 6], true);
    expect(find(checkTargets(results({ semantic: rows })), 'same-question check')).toMatchObject({ result: 'MISS', measured: 5.2 });
    expect(checkTargets(results()).some((check) => check.target.startsWith('same-question check'))).toBe(false);
  });
});

describe('bench report', () => {
  const text = formatReport(results(), checkTargets(results()));

  it('names the machine and says the figures are ratios to a floor from the same run', () => {
    expect(text).toContain('machine: 2 CPU core(s) (Test CPU), Node v20.0.0, linux-x64, redis-server 7.0.15');
    expect(text).toContain(FLOOR_NOTE);
  });

  it('prints each row as a ratio with its spread, and each target with PASS or MISS', () => {
    expect(text).toContain('1.15 x (IQR 1.10-1.20');
    expect(text).toMatch(/library hit p50 <= 1\.2 x floor \(concurrency 1\)\s+PASS\s+1\.15\s+1\.10-1\.20/);
    expect(text).toContain('2.00 stdout writes and 1080 bytes per invocation');
  });

  it('prints what the handler output costs: the handler minus the quiet handler, per round, over the floor', () => {
    const p50 = (floor: number, handler: number, quiet: number): Round => ({ floor: { p50Ns: floor, perSecond: 1 }, handler: { p50Ns: handler, perSecond: 1 }, 'handler-quiet': { p50Ns: quiet, perSecond: 1 } });
    const serialRounds = [p50(100, 180, 150), p50(100, 190, 150), p50(200, 360, 300)];
    const withQuiet = results({ handlerOutput: { invocations: 100, writes: 100, bytes: 84_000, quietWrites: 0 } }, { serialRounds });
    expect(formatReport(withQuiet, checkTargets(withQuiet))).toContain('cost of that output (handler p50 - quiet handler p50, per round, over the floor): 0.30 x (IQR 0.30-0.40');
    expect(formatReport(withQuiet, checkTargets(withQuiet))).toContain('the quiet handler wrote 0 time(s)');
    expect(text).not.toContain('cost of that output');
  });

  it('prints how much slower the hit\'s own work runs right after a round trip, when measured', () => {
    const measured = results({ idlePenalty: { samples: 3000, backToBackUs: 5, afterRoundTripUs: 15, afterBusyWaitUs: 7.5, busyWaitUs: 120 } });
    expect(formatReport(measured, checkTargets(measured))).toContain('5.00 us back to back, 15.00 us right after a round trip (3.0 x), 7.50 us after a 120 us busy wait (1.5 x): each us of CPU right after a wait costs more');
    const flat = results({ idlePenalty: { samples: 3000, backToBackUs: 5, afterRoundTripUs: 5.2, afterBusyWaitUs: 5.1, busyWaitUs: 40 } });
    expect(formatReport(flat, checkTargets(flat))).toContain('(1.0 x): no penalty for waiting seen on this run');
    expect(text).not.toContain('right after a round trip');
  });

  it('charts the ratios of both concurrency levels before the times', () => {
    const chart = chartOf(results());
    expect(chart.panels.map((panel) => panel.kind ?? 'latency')).toEqual(['ratio', 'ratio', 'latency', 'latency', 'latency']);
    const [serial] = chart.panels;
    expect(serial!.kind === 'ratio' && serial!.bars.map((bar) => [bar.label, bar.median])).toEqual([
      ['floor label', 1],
      ['ours label', 1.15],
      ['handler label', 1.4],
    ]);
  });
});

describe('bench cold-container rows', () => {
  const coldContainers: ColdContainersResult = {
    memoryMb: 512,
    share: 0.29,
    rows: [
      { id: 'cluster-exact', label: 'TLS cluster, exact', expect: 'exact', containers: 10, served: 10, outcomes: { exact: 10 }, firstRequestMs: { p50: 500, min: 420, max: 600 }, cacheMs: { p50: 480, min: 410, max: 590 }, load: 1.2 },
      { id: 'dead-silent', label: 'dead cache', expect: 'fail-open', containers: 10, served: 9, outcomes: { 'miss/timeout': 10 }, firstRequestMs: { p50: 1300, min: 1200, max: 1400 }, cacheMs: { p50: 1000, min: 990, max: 1150 }, connectDeadlineMs: 1000, load: 1.2 },
    ],
  };

  it('judges each row as a target and prints them in their own section and chart panels', () => {
    const withCold = results({ coldContainers });

    const checks = checkTargets(withCold);
    expect(find(checks, "every cold container's first request served from the cache: TLS cluster").result).toBe('PASS');
    expect(find(checks, 'cold container fails open within the connect deadline: dead cache').result).toBe('MISS');
    const report = formatReport(withCold, checks);
    expect(report).toContain('5b. Cold containers: the bundle in fresh processes at the CPU share of 512 MB, 0.290 of a CPU');
    expect(report).toMatch(/TLS cluster, exact\s+10\/10\s+500 \(420-600\)\s+480 \(410-590\)/);
    expect(chartOf(withCold).panels.map((panel) => panel.title)).toEqual(expect.arrayContaining([expect.stringContaining('Cold containers at 0.29 CPU (512 MB)')]));
  });

  it('adds nothing for results written before the bench measured them', () => {
    const checks = checkTargets(results());

    expect(checks.some((check) => check.target.includes('cold container'))).toBe(false);
    expect(formatReport(results(), checks)).not.toContain('5b.');
  });
});
