import type { ColdContainersResult } from './cold-containers';
import { COLD_TABLE_HEADERS, coldChecks, coldHeading, coldPanels, coldTableRows } from './cold-report';
import type { ColdStartResult } from './cold-start';
import type { IdlePenalty } from './idle-penalty';
import { MIB } from './cold-start';
import type { RoundTripRow } from './round-trips';
import type { SemanticRow } from './semantic';
import type { RecallBenchResult } from './recall-bench';
import type { StampedeRow } from './stampede';
import { roundDifferenceRatios, type StandardHitComparison, type StandardHitResult, type StandardHitRow } from './standard-hit';
import { fmt, fmtRatio, ratioSummary, type RatioSummary } from './stats';
import { BEDROCK_CONNECTIONS_CALLS, BEDROCK_CONNECTIONS_TARGET, CONCURRENCY_LEVELS, MEMORY_SEARCH_TARGET_MS, SAME_QUESTION_TARGET_US } from './targets';
import type { Chart, ChartPanel, RatioBar } from './svg';

/** What the handler rows wrote to their sink (stdout redirected to /dev/null). */
export interface HandlerOutput {
  readonly invocations: number;
  readonly writes: number;
  readonly bytes: number;
  /** Writes of the quiet handler row (logs at WARN, metrics off): 0 when it ran without output. */
  readonly quietWrites?: number;
}

/** Bedrock connections the emulator accepted for a number of sequential calls from one container. */
export interface BedrockConnectionsFigure {
  readonly calls: number;
  readonly connections: number;
  readonly detail?: string;
}

export interface BenchResults {
  readonly startedAt: string;
  readonly machine: { readonly node: string; readonly cpus: number; readonly cpuModel?: string; readonly platform: string; readonly redisServer: string };
  readonly standardHit: StandardHitResult;
  readonly handlerOutput?: HandlerOutput;
  /** Absent in results written before the bench measured it. */
  readonly idlePenalty?: IdlePenalty;
  readonly roundTrips: readonly RoundTripRow[];
  readonly semantic: readonly SemanticRow[];
  readonly stampede: readonly StampedeRow[];
  readonly coldStart: ColdStartResult;
  /** Cold containers under the CPU share of the configured memory; absent in results written before the bench measured them. */
  readonly coldContainers?: ColdContainersResult;
  /** Absent when the section did not run (then its target reads NOT MEASURED). */
  readonly bedrockConnections?: BedrockConnectionsFigure;
  /** Search recall on real sentence embeddings (bench/recall-bench.ts); absent in older results. */
  readonly recall?: RecallBenchResult;
}

export interface TargetCheck {
  readonly target: string;
  readonly result: 'PASS' | 'MISS' | 'NOT MEASURED';
  /** The figure as the target states it: a ratio (median of rounds), ms, MiB or a count. */
  readonly measured: number;
  /** Spread over rounds, for ratio targets. */
  readonly spread?: RatioSummary;
  readonly detail: string;
}

export const FLOOR_NOTE = 'Figures are ratios to a floor (raw ioredis GET + JSON.parse of the same entry) measured in the same run, interleaved round by round; absolute times are for reference and move with machine load.';

function findRow(result: StandardHitResult, variant: StandardHitRow['variant'], concurrency: number): StandardHitRow | undefined {
  return result.rows.find((candidate) => candidate.variant === variant && candidate.concurrency === concurrency);
}

function findComparison(result: StandardHitResult, id: StandardHitComparison['id']): StandardHitComparison | undefined {
  return result.comparisons.find((comparison) => comparison.id === id);
}

/** A target on a per-round ratio: PASS when its median is on the right side of `limit`. */
function ratioCheck(target: string, spread: RatioSummary | undefined, limit: number, direction: 'at-most' | 'at-least', detail: string): TargetCheck {
  if (spread === undefined || !Number.isFinite(spread.median)) return { target, result: 'NOT MEASURED', measured: Number.NaN, detail };
  const pass = direction === 'at-most' ? spread.median <= limit : spread.median >= limit;
  return { target, result: pass ? 'PASS' : 'MISS', measured: spread.median, spread, detail };
}

function plainCheck(target: string, measured: number, pass: boolean, detail: string): TargetCheck {
  return { target, result: pass ? 'PASS' : 'MISS', measured, detail };
}

/** The issue's targets (median of rounds, same run), then the guarantees the bench also checks. */
export function checkTargets(results: BenchResults): TargetCheck[] {
  const hit = results.standardHit;
  const ours1 = findRow(hit, 'ours', 1);
  const handler1 = findRow(hit, 'handler', 1);
  const ms = (row: StandardHitRow | undefined): string => fmt(row?.latency.p50Ms, 4);
  const checks: TargetCheck[] = [
    ratioCheck('library hit p50 <= 1.2 x floor (concurrency 1)', ours1?.p50VsFloor, 1.2, 'at-most', `ours p50 ${ms(ours1)} ms, floor ${ms(findRow(hit, 'floor', 1))} ms (pooled)`),
    ratioCheck('library >= 1.6 x faster than LangChain JS (p50, concurrency 1)', findComparison(hit, 'langchain-p50-over-ours')?.ratio, 1.6, 'at-least', `LangChain p50 ${ms(findRow(hit, 'langchain', 1))} ms / ours ${ms(ours1)} ms (pooled)`),
    ratioCheck(
      'library hits/s >= 1.3 x LangChain JS (concurrency 64)',
      findComparison(hit, 'ours-per-second-over-langchain')?.ratio,
      1.3,
      'at-least',
      `ours ${fmt(findRow(hit, 'ours', 64)?.latency.perSecond, 0)} hits/s, LangChain ${fmt(findRow(hit, 'langchain', 64)?.latency.perSecond, 0)} (pooled)`,
    ),
    ratioCheck('handler hit p50 (direct invoke, logs + EMF on) <= 1.5 x floor', handler1?.p50VsFloor, 1.5, 'at-most', `handler p50 ${ms(handler1)} ms${results.handlerOutput ? `, ${fmt(results.handlerOutput.writes / results.handlerOutput.invocations, 1)} stdout writes per invoke` : ''}`),
  ];
  const memorySearch = results.semantic.find((row) => row.path === 'memory' && row.entries === 10_000);
  if (memorySearch?.latency) {
    const p50 = memorySearch.latency.p50Ms;
    checks.push(plainCheck(`memory backend semantic lookup p50 <= ${MEMORY_SEARCH_TARGET_MS} ms (10,000 x 1024)`, p50, p50 <= MEMORY_SEARCH_TARGET_MS, `${memorySearch.label}${memorySearch.vsClient ? `; ${fmtRatio(memorySearch.vsClient)} the client index` : ''}`));
  }
  const lookups = results.semantic.filter((row) => row.path === 'check' && row.lookup === true && row.roundsUs !== undefined);
  if (lookups.length > 0) {
    // The costliest kind of neighbour measured: the target holds for every lookup or it misses.
    const worst = lookups.reduce((a, b) => (b.roundsUs!.median > a.roundsUs!.median ? b : a));
    const median = worst.roundsUs!.median;
    checks.push({
      target: `same-question check adds <= ${SAME_QUESTION_TARGET_US} us to a semantic lookup (500 chars; its work on the lookup's path)`,
      result: median <= SAME_QUESTION_TARGET_US ? 'PASS' : 'MISS',
      measured: median,
      spread: worst.roundsUs,
      detail: `costliest of ${lookups.length} kinds of neighbour: ${worst.label.replace(/^same-question check[^:]*: /, '')}; the facts are computed while the embedding is in flight`,
    });
  }
  const { coldStart } = results;
  const memory = coldStart.scenarios.find((scenario) => scenario.id === 'memory-miss');
  checks.push(
    memory
      ? plainCheck('load + first request <= 150 ms (fresh Node, memory backend)', memory.median.loadPlusFirstMs, memory.median.loadPlusFirstMs <= 150, `require ${fmt(memory.median.requireMs, 1)} ms + first request ${fmt(memory.median.firstRequestMs, 1)} ms (median of ${memory.runs.length})`)
      : { target: 'load + first request <= 150 ms (fresh Node, memory backend)', result: 'NOT MEASURED', measured: Number.NaN, detail: 'no memory-miss scenario' },
  );
  checks.push(plainCheck('bundle <= 1 MiB', coldStart.bundleBytes / MIB, coldStart.bundleBytes <= MIB, `index.js ${coldStart.bundleBytes} bytes`));
  checks.push(...coldChecks(results.coldContainers));
  const bedrock = results.bedrockConnections;
  checks.push(
    bedrock
      ? plainCheck(`Bedrock connections <= ${BEDROCK_CONNECTIONS_TARGET} for ${bedrock.calls} sequential calls`, bedrock.connections, bedrock.connections <= BEDROCK_CONNECTIONS_TARGET, bedrock.detail ?? `${bedrock.connections} connection(s) accepted by the emulator`)
      : { target: `Bedrock connections <= ${BEDROCK_CONNECTIONS_TARGET} for ${BEDROCK_CONNECTIONS_CALLS} sequential calls`, result: 'NOT MEASURED', measured: Number.NaN, detail: 'the Bedrock connections section did not run' },
  );
  for (const row of results.roundTrips.filter((candidate) => candidate.variant !== 'floor' && candidate.variant !== 'langchain')) {
    checks.push(plainCheck(`one round trip per standard hit (${row.variant})`, row.commandsPerHit, row.commandsPerHit === 1, `${fmt(row.commandsPerHit, 2)} commands/hit; LangChain ${fmt(results.roundTrips.find((r) => r.variant === 'langchain')?.commandsPerHit, 2)}`));
  }
  for (const row of results.stampede.filter((candidate) => candidate.variant === 'ours')) {
    checks.push(plainCheck(`one model call for ${row.requests} identical concurrent misses (${row.containers} container(s))`, row.modelCalls, row.modelCalls === 1, `LangChain ${results.stampede.find((r) => r.variant === 'langchain')?.modelCalls ?? 'n/a'} call(s)`));
  }
  return checks;
}

/** A plain-text table: the first column (names) and the `textColumns` (free text) left-aligned, figures right-aligned. */
function table(headers: readonly string[], rows: readonly (readonly string[])[], textColumns: readonly number[] = []): string {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)));
  const left = new Set([0, ...textColumns]);
  const line = (cells: readonly string[]): string => cells.map((cell, i) => (left.has(i) ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(headers), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

function minMax(summary: RatioSummary | undefined): string {
  return summary && Number.isFinite(summary.median) ? `${fmt(summary.min, 2)}-${fmt(summary.max, 2)}` : 'n/a';
}

function standardHitSection(hit: StandardHitResult, handlerOutput: HandlerOutput | undefined): string[] {
  const out: string[] = [];
  const rule = hit.stopRule;
  out.push(
    `1. Standard hit (payload: ours ${hit.payloadBytes} B, LangChain ${hit.langchainPayloadBytes} B). Rounds repeat until every ratio's IQR < ${fmt(rule.maxRelativeIqr * 100, 0)} % of its median (${rule.minRounds}-${rule.maxRounds} rounds, ${rule.budgetSeconds} s per level).`,
  );
  for (const level of hit.levels) {
    const rows = hit.rows.filter((row) => row.concurrency === level.concurrency);
    const serial = level.concurrency === 1;
    out.push(
      '',
      `   concurrency ${level.concurrency}: ${level.rounds} rounds x ${level.hitsPerRound} hits per variant, ${fmt(level.seconds, 1)} s, ${level.settled ? 'settled' : 'NOT settled (round or time limit): read the spread'}`,
    );
    out.push(
      table(
        serial ? ['variant', 'p50 x floor (median, IQR)', 'min-max', 'p50 ms', 'p99 ms'] : ['variant', 'time/hit x floor (1 / hits/s)', 'min-max', 'p50 x floor', 'hits/s', 'p50 ms', 'p99 ms'],
        rows.map((row) => {
          const main = serial ? row.p50VsFloor : row.throughputVsFloor;
          const head = [row.label, fmtRatio(main), minMax(main)];
          const times = [fmt(row.latency.p50Ms, 4), fmt(row.latency.p99Ms, 4)];
          return serial ? [...head, ...times] : [...head, fmtRatio(row.p50VsFloor).split(' (')[0]!, fmt(row.latency.perSecond, 0), ...times];
        }),
      ),
    );
    for (const comparison of hit.comparisons.filter((candidate) => candidate.concurrency === level.concurrency)) {
      out.push(`   ${comparison.label}: ${fmtRatio(comparison.ratio)}, min-max ${minMax(comparison.ratio)}`);
    }
  }
  if (handlerOutput && handlerOutput.invocations > 0) {
    out.push(
      `   handler output (to /dev/null, not silenced): ${fmt(handlerOutput.writes / handlerOutput.invocations, 2)} stdout writes and ${fmt(handlerOutput.bytes / handlerOutput.invocations, 0)} bytes per invocation (the "answered" log line and the EMF document), ${handlerOutput.invocations} invocations`,
    );
  }
  const serial = hit.levels.find((level) => level.concurrency === 1);
  const outputCost = serial ? ratioSummary(roundDifferenceRatios(serial.perRound, 'handler', 'handler-quiet', 'floor', 'p50Ns')) : undefined;
  if (outputCost && outputCost.rounds > 0) {
    out.push(
      `   cost of that output (handler p50 - quiet handler p50, per round, over the floor): ${fmtRatio(outputCost)}, min-max ${minMax(outputCost)}${handlerOutput?.quietWrites !== undefined ? `; the quiet handler wrote ${handlerOutput.quietWrites} time(s)` : ''}`,
    );
  }
  return out;
}

/** The report calls the wait's penalty seen when the work after a round trip takes this much longer than after a busy wait (and back to back). */
const IDLE_PENALTY_SEEN = 1.2;

function idlePenaltyLine(penalty: IdlePenalty): string {
  const { backToBackUs, afterRoundTripUs, afterBusyWaitUs, busyWaitUs, samples } = penalty;
  return (
    `   the hit's work before its GET (validate, canonical JSON, SHA-256; median of ${samples}): ${fmt(backToBackUs, 2)} us back to back, ` +
    `${fmt(afterRoundTripUs, 2)} us right after a round trip (${fmt(afterRoundTripUs / backToBackUs, 1)} x), ` +
    `${fmt(afterBusyWaitUs, 2)} us after a ${fmt(busyWaitUs, 0)} us busy wait (${fmt(afterBusyWaitUs / backToBackUs, 1)} x)` +
    (afterRoundTripUs > IDLE_PENALTY_SEEN * Math.max(backToBackUs, afterBusyWaitUs)
      ? ': each us of CPU right after a wait costs more than a us of latency on this machine'
      : ': no penalty for waiting seen on this run')
  );
}

/** The human-readable report printed to stdout. */
export function formatReport(results: BenchResults, checks: readonly TargetCheck[]): string {
  const out: string[] = [];
  const { machine } = results;
  out.push(`bedrock-llm-cache bench, ${results.startedAt}`);
  out.push(`machine: ${machine.cpus} CPU core(s)${machine.cpuModel ? ` (${machine.cpuModel})` : ''}, Node ${machine.node}, ${machine.platform}, redis-server ${machine.redisServer}`);
  out.push(FLOOR_NOTE, '');
  out.push(...standardHitSection(results.standardHit, results.handlerOutput));
  if (results.idlePenalty) out.push(idlePenaltyLine(results.idlePenalty));
  out.push('', '2. Round trips per standard hit (server INFO commandstats deltas)');
  out.push(
    table(
      ['variant', 'hits', 'commands/hit', 'by command'],
      results.roundTrips.map((row) => [row.label, String(row.hits), fmt(row.commandsPerHit, 2), Object.entries(row.byCommand).map(([name, calls]) => `${name}=${fmt(calls, 2)}`).join(' ')]),
      [3],
    ),
  );
  out.push('', '3. Semantic lookup: index.search, embedding excluded (1024-dim FLOAT32, one scope)');
  out.push(
    table(
      ['path', 'entries', 'n', 'p50 ms', 'p99 ms', 'note'],
      results.semantic.map((row) => [row.label, String(row.entries), row.latency ? String(row.latency.n) : '-', fmt(row.latency?.p50Ms, 3), fmt(row.latency?.p99Ms, 3), row.note ?? '']),
      [5],
    ),
  );
  out.push('', '4. Stampede: identical concurrent misses, model calls made');
  out.push(
    table(
      ['variant', 'requests', 'containers', 'model calls', 'wall ms'],
      results.stampede.map((row) => [row.label, String(row.requests), String(row.containers), String(row.modelCalls), fmt(row.wallMs, 0)]),
    ),
  );
  const cold = results.coldStart;
  out.push('', `5. Cold start: lambda/handler.ts bundled as the stack does; index.js ${cold.bundleBytes} bytes (${fmt(cold.bundleBytes / MIB, 3)} MiB); measured on Node ${cold.nodeVersion}`);
  out.push('   largest packages in index.js: ' + cold.topPackages.map((pkg) => `${pkg.name} ${fmt(pkg.bytes / 1024, 0)} KiB`).join(', '));
  out.push(
    table(
      ['scenario (median of runs)', 'runs', 'require ms', 'first request ms', 'load+first ms', 'spawn->answer ms'],
      cold.scenarios.map((scenario) => [scenario.label, String(scenario.runs.length), fmt(scenario.median.requireMs, 1), fmt(scenario.median.firstRequestMs, 1), fmt(scenario.median.loadPlusFirstMs, 1), fmt(scenario.median.spawnToAnswerMs, 1)]),
    ),
  );
  if (results.coldContainers !== undefined) {
    out.push('', `5b. ${coldHeading(results.coldContainers)}`);
    out.push(table(COLD_TABLE_HEADERS, coldTableRows(results.coldContainers), [6]));
  }
  const bedrock = results.bedrockConnections;
  out.push('', '6. Bedrock connections (emulator-accepted connections, sequential calls from one container)');
  out.push(bedrock ? `   ${bedrock.calls} calls: ${bedrock.connections} connection(s)${bedrock.detail ? `; ${bedrock.detail}` : ''}` : '   not measured: the section did not run');
  out.push('', 'Targets (ratios: median of rounds in this run; spread: IQR over rounds)');
  out.push(
    table(
      ['target', 'result', 'measured', 'spread', 'detail'],
      checks.map((check) => [check.target, check.result, fmt(check.measured, 2), check.spread ? `${fmt(check.spread.q1, 2)}-${fmt(check.spread.q3, 2)} (${fmt(check.spread.relativeIqr * 100, 1)} %)` : '', check.detail]),
      [1, 4],
    ),
  );
  return out.join('\n');
}

function ratioBar(label: string, summary: RatioSummary | undefined): RatioBar {
  return { label, median: summary?.median, low: summary?.q1, high: summary?.q3 };
}

/** The SVG chart's panels: the standard-hit ratios at both levels, their times, semantic lookups. */
export function chartOf(results: BenchResults): Chart {
  const hit = results.standardHit;
  const at = (concurrency: number): StandardHitRow[] => hit.rows.filter((row) => row.concurrency === concurrency);
  const panels: ChartPanel[] = [
    { kind: 'ratio', title: 'Standard hit p50 as a multiple of the floor, concurrency 1 (median of rounds, IQR)', referenceLabel: 'floor', bars: at(1).map((row) => ratioBar(row.label, row.p50VsFloor)) },
    { kind: 'ratio', title: 'Standard hit time per hit (1 / hits/s) as a multiple of the floor, concurrency 64', referenceLabel: 'floor', bars: at(64).map((row) => ratioBar(row.label, row.throughputVsFloor)) },
  ];
  for (const concurrency of CONCURRENCY_LEVELS) {
    panels.push({ title: `Standard hit latency, concurrency ${concurrency} (pooled over rounds)`, bars: at(concurrency).map((row) => ({ label: row.label, p50: row.latency.p50Ms, p99: row.latency.p99Ms })) });
  }
  panels.push({
    title: 'Semantic lookup (embedding excluded)',
    bars: results.semantic.map((row) => ({ label: `${row.label}, ${row.entries} entries`, p50: row.latency?.p50Ms, p99: row.latency?.p99Ms })),
  });
  panels.push(...coldPanels(results.coldContainers));
  const { machine } = results;
  return {
    title: 'bedrock-llm-cache bench',
    subtitle: `${results.startedAt}, Node ${machine.node}, ${machine.cpus} CPU(s), redis-server ${machine.redisServer}; ratios to a floor measured in the same run; latency panels: p50 and p99 in ms, each panel its own scale`,
    panels,
  };
}
