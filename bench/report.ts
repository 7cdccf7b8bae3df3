import type { ColdStartResult } from './cold-start';
import { MIB } from './cold-start';
import type { RoundTripRow } from './round-trips';
import type { SemanticRow } from './semantic';
import type { StampedeRow } from './stampede';
import type { StandardHitResult, StandardHitRow } from './standard-hit';
import { fmt } from './stats';
import type { Chart, ChartPanel } from './svg';

export interface BenchResults {
  readonly startedAt: string;
  readonly machine: { readonly node: string; readonly cpus: number; readonly platform: string; readonly redisServer: string };
  readonly standardHit: StandardHitResult;
  readonly roundTrips: readonly RoundTripRow[];
  readonly semantic: readonly SemanticRow[];
  readonly stampede: readonly StampedeRow[];
  readonly coldStart: ColdStartResult;
}

export interface TargetCheck {
  readonly target: string;
  readonly pass: boolean;
  /** measured / limit (for "at least" targets: required / measured), so <= 1 passes. */
  readonly ratio: number;
  readonly detail: string;
}

function hitRow(result: StandardHitResult, variant: StandardHitRow['variant'], concurrency: number): StandardHitRow {
  const row = result.rows.find((candidate) => candidate.variant === variant && candidate.concurrency === concurrency);
  if (!row) throw new Error(`no standard-hit row for ${variant} at ${concurrency}`);
  return row;
}

export function checkTargets(results: BenchResults): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const concurrency of [1, 64]) {
    const floor = hitRow(results.standardHit, 'floor', concurrency).latency.p50Ms;
    const ours = hitRow(results.standardHit, 'ours', concurrency).latency.p50Ms;
    const langchain = hitRow(results.standardHit, 'langchain', concurrency).latency.p50Ms;
    const vsFloor = ours / floor;
    checks.push({
      target: `standard hit p50 <= 1.2 x raw GET floor (concurrency ${concurrency})`,
      pass: vsFloor <= 1.2,
      ratio: vsFloor / 1.2,
      detail: `ours ${fmt(ours, 4)} ms vs floor ${fmt(floor, 4)} ms = ${fmt(vsFloor, 2)} x`,
    });
    const speedup = langchain / ours;
    checks.push({
      target: `standard hit >= 2 x faster than LangChain lookup (p50, concurrency ${concurrency})`,
      pass: speedup >= 2,
      ratio: 2 / speedup,
      detail: `LangChain ${fmt(langchain, 4)} ms / ours ${fmt(ours, 4)} ms = ${fmt(speedup, 2)} x`,
    });
  }
  const ours = results.roundTrips.find((row) => row.variant === 'ours');
  const langchain = results.roundTrips.find((row) => row.variant === 'langchain');
  if (ours) {
    checks.push({
      target: 'exactly one round trip per standard hit',
      pass: ours.commandsPerHit === 1,
      ratio: ours.commandsPerHit,
      detail: `ours ${fmt(ours.commandsPerHit, 2)} commands/hit${langchain ? `, LangChain ${fmt(langchain.commandsPerHit, 2)}` : ''}`,
    });
  }
  for (const row of results.stampede.filter((candidate) => candidate.variant === 'ours')) {
    checks.push({
      target: `one model call for ${row.requests} identical concurrent misses (${row.containers} container(s))`,
      pass: row.modelCalls === 1,
      ratio: row.modelCalls,
      detail: `ours ${row.modelCalls} call(s); LangChain ${results.stampede.find((r) => r.variant === 'langchain')?.modelCalls ?? 'n/a'}`,
    });
  }
  const { coldStart } = results;
  checks.push({
    target: 'bundle <= 1 MiB',
    pass: coldStart.bundleBytes <= MIB,
    ratio: coldStart.bundleBytes / MIB,
    detail: `index.js ${fmt(coldStart.bundleBytes / MIB, 2)} MiB (${coldStart.bundleBytes} bytes)`,
  });
  const memory = coldStart.scenarios.find((scenario) => scenario.id === 'memory-miss');
  if (memory) {
    checks.push({
      target: 'load + first request <= 150 ms (fresh Node, memory backend)',
      pass: memory.median.loadPlusFirstMs <= 150,
      ratio: memory.median.loadPlusFirstMs / 150,
      detail: `require ${fmt(memory.median.requireMs, 1)} ms + first request ${fmt(memory.median.firstRequestMs, 1)} ms = ${fmt(memory.median.loadPlusFirstMs, 1)} ms (median of ${memory.runs.length})`,
    });
  }
  return checks;
}

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [line(headers), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

/** The human-readable report printed to stdout. */
export function formatReport(results: BenchResults, checks: readonly TargetCheck[]): string {
  const out: string[] = [];
  const { machine } = results;
  out.push(`bedrock-llm-cache bench, ${results.startedAt}: Node ${machine.node}, ${machine.cpus} CPU(s), ${machine.platform}, redis-server ${machine.redisServer}`);
  const hit = results.standardHit;
  out.push('', `1. Standard hit (payload: ours ${hit.payloadBytes} B, LangChain ${hit.langchainPayloadBytes} B; ${hit.rounds} interleaved rounds per concurrency)`);
  out.push(
    table(
      ['variant', 'conc', 'n', 'p50 ms', 'p99 ms', 'mean ms', 'hits/s'],
      hit.rows.map((row) => [row.label, String(row.concurrency), String(row.latency.n), fmt(row.latency.p50Ms, 4), fmt(row.latency.p99Ms, 4), fmt(row.latency.meanMs, 4), fmt(row.latency.perSecond, 0)]),
    ),
  );
  out.push('', '2. Round trips per standard hit (server INFO commandstats deltas)');
  out.push(
    table(
      ['variant', 'hits', 'commands/hit', 'by command'],
      results.roundTrips.map((row) => [row.label, String(row.hits), fmt(row.commandsPerHit, 2), Object.entries(row.byCommand).map(([name, calls]) => `${name}=${fmt(calls, 2)}`).join(' ')]),
    ),
  );
  out.push('', '3. Semantic lookup: index.search, embedding excluded (1024-dim FLOAT32, one scope)');
  out.push(
    table(
      ['path', 'entries', 'n', 'p50 ms', 'p99 ms', 'note'],
      results.semantic.map((row) => [row.label, String(row.entries), row.latency ? String(row.latency.n) : '-', fmt(row.latency?.p50Ms, 3), fmt(row.latency?.p99Ms, 3), row.note ?? '']),
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
  out.push('', `5. Cold start: lambda/handler.ts bundled as the stack does; index.js ${cold.bundleBytes} bytes (${fmt(cold.bundleBytes / MIB, 3)} MiB), map ${cold.mapBytes} bytes; measured on Node ${cold.nodeVersion}`);
  out.push('   largest packages in index.js: ' + cold.topPackages.map((pkg) => `${pkg.name} ${fmt(pkg.bytes / 1024, 0)} KiB`).join(', '));
  out.push(
    table(
      ['scenario (median of runs)', 'runs', 'require ms', 'first request ms', 'load+first ms', 'spawn->answer ms'],
      cold.scenarios.map((scenario) => [scenario.label, String(scenario.runs.length), fmt(scenario.median.requireMs, 1), fmt(scenario.median.firstRequestMs, 1), fmt(scenario.median.loadPlusFirstMs, 1), fmt(scenario.median.spawnToAnswerMs, 1)]),
    ),
  );
  out.push('', 'Targets');
  out.push(table(['target', 'result', 'ratio', 'measured'], checks.map((check) => [check.target, check.pass ? 'PASS' : 'MISS', fmt(check.ratio, 2), check.detail])));
  return out.join('\n');
}

/** The SVG chart's panels: standard hits at both concurrencies, semantic lookups, cold start. */
export function chartOf(results: BenchResults): Chart {
  const panels: ChartPanel[] = [1, 64].map((concurrency) => ({
    title: `Standard hit latency, concurrency ${concurrency}`,
    bars: results.standardHit.rows.filter((row) => row.concurrency === concurrency).map((row) => ({ label: row.label, p50: row.latency.p50Ms, p99: row.latency.p99Ms })),
  }));
  panels.push({
    title: 'Semantic lookup (embedding excluded)',
    bars: results.semantic.map((row) => ({ label: `${row.label}, ${row.entries} entries`, p50: row.latency?.p50Ms, p99: row.latency?.p99Ms })),
  });
  return {
    title: 'bedrock-llm-cache bench',
    subtitle: `${results.startedAt}, Node ${results.machine.node}, ${results.machine.cpus} CPU(s), redis-server ${results.machine.redisServer}; bars: p50 and p99 in ms (each panel has its own scale)`,
    panels,
  };
}
