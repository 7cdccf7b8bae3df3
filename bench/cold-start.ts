import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { FUNCTION_BUNDLING } from '../lib/function/bundling';
import { median } from './stats';

/** The bundling options of lib/function/cache-function.ts (NodejsFunction), from the same table: CJS, nothing external. */
export const STACK_BUNDLING = {
  bundle: true,
  minify: FUNCTION_BUNDLING.minify,
  sourcemap: FUNCTION_BUNDLING.sourceMap,
  platform: 'node',
  target: FUNCTION_BUNDLING.target,
  conditions: [...FUNCTION_BUNDLING.conditions],
  format: 'cjs',
  external: [],
} satisfies BuildOptions;

export const MIB = 1024 * 1024;

export interface PackageShare {
  readonly name: string;
  readonly bytes: number;
}

export interface ColdStartRun {
  /** Process spawn until the first answer line arrived (includes starting Node itself). */
  readonly spawnToAnswerMs: number;
  /** Inside the child: `require` of the bundle (module init, including the handler's warm-up). */
  readonly requireMs: number;
  /** Inside the child: the first `handler` call. */
  readonly firstRequestMs: number;
  /** CPU time (user + system) of the child during `require`: steadier than wall time on a busy machine. */
  readonly requireCpuMs: number;
  /** CPU time of the child during the first `handler` call (waiting on the network excluded). */
  readonly firstRequestCpuMs: number;
  readonly firstCache: string;
  /** Why the first request skipped the cache (`timeout`, `error`, `circuit-open`), when it did. */
  readonly cacheSkipped?: string;
  /** The first request's time in cache operations (its `CacheLatency` metric), when metrics are printed. */
  readonly cacheMs?: number;
  /** The cache faults the child logged (`operation/reason: error`), when its log level printed them. */
  readonly faults?: readonly string[];
}

/** The cache faults in a child's log lines ("cache operation failed open", level WARN). */
export function faultsOf(output: string): string[] {
  const faults: string[] = [];
  for (const line of output.split('\n')) {
    if (!line.startsWith('{') || !line.includes('"operation"')) continue;
    try {
      const { operation, reason, error } = JSON.parse(line) as { operation?: unknown; reason?: unknown; error?: unknown };
      if (typeof operation === 'string') faults.push(`${operation}/${String(reason)}: ${typeof error === 'string' ? error.slice(0, 120) : JSON.stringify(error)?.slice(0, 120)}`);
    } catch {
      // not a log line
    }
  }
  return faults;
}

/** The `CacheLatency` value of the EMF document a child printed (POWERTOOLS_METRICS_DISABLED=false), if any. */
export function cacheLatencyOf(output: string): number | undefined {
  for (const line of output.split('\n')) {
    if (!line.startsWith('{') || !line.includes('"CacheLatency"')) continue;
    try {
      const value: unknown = (JSON.parse(line) as { CacheLatency?: unknown }).CacheLatency;
      const first = Array.isArray(value) ? value[0] : value;
      if (typeof first === 'number') return first;
    } catch {
      // not a metrics line
    }
  }
  return undefined;
}

export interface ColdStartScenario {
  readonly id: 'memory-miss' | 'redis-hit';
  readonly label: string;
  readonly runs: readonly ColdStartRun[];
  readonly median: {
    readonly spawnToAnswerMs: number;
    readonly requireMs: number;
    readonly firstRequestMs: number;
    readonly loadPlusFirstMs: number;
    /** CPU time of load + first request: the figure to compare across runs on a busy machine. */
    readonly loadPlusFirstCpuMs?: number;
  };
}

export interface ColdStartResult {
  readonly bundleBytes: number;
  /** Largest contributors to the minified output, by package. */
  readonly topPackages: readonly PackageShare[];
  readonly nodeVersion: string;
  readonly scenarios: readonly ColdStartScenario[];
}

/** Output bytes per package (node_modules/<pkg> or <@scope/pkg>; our own code is "(project)"). */
export function packageShares(metafile: Metafile): PackageShare[] {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, input] of Object.entries(output.inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path.slice(path.lastIndexOf('node_modules/')));
      const name = match ? match[1]! : '(project)';
      totals.set(name, (totals.get(name) ?? 0) + input.bytesInOutput);
    }
  }
  return [...totals.entries()].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
}

const MARK = 'BENCH_COLD_START ';

/** The child: requires the bundle, calls `handler` once with the event in argv[3], prints the timings on one marked line. */
const CHILD = `
const cpuMs = (from, to) => (to.user + to.system - from.user - from.system) / 1000;
const c0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
const { handler } = require(process.argv[2]);
const t1 = process.hrtime.bigint();
const c1 = process.cpuUsage();
handler(JSON.parse(process.argv[3])).then((response) => {
  const t2 = process.hrtime.bigint();
  const c2 = process.cpuUsage();
  const timings = { requireMs: Number(t1 - t0) / 1e6, firstRequestMs: Number(t2 - t1) / 1e6, requireCpuMs: cpuMs(c0, c1), firstRequestCpuMs: cpuMs(c1, c2) };
  const outcome = { cache: response.cache || JSON.stringify(response), ...(response.cacheSkipped ? { cacheSkipped: response.cacheSkipped } : {}) };
  process.stdout.write(${JSON.stringify(MARK)} + JSON.stringify({ ...timings, ...outcome }) + '\\n');
  process.exit(0);
});
`;

/** A bundle of lambda/handler.ts as the stack builds it, and the child script that loads it. */
export interface HandlerBundle {
  readonly outfile: string;
  readonly script: string;
  readonly metafile: Metafile;
  remove(): void;
}

/** Bundles lambda/handler.ts with `STACK_BUNDLING` into a temporary directory, with the child script beside it. */
export async function bundleHandler(): Promise<HandlerBundle> {
  const dir = mkdtempSync(join(tmpdir(), 'llmcache-bench-bundle-'));
  const outfile = join(dir, 'index.js');
  const built = await build({ ...STACK_BUNDLING, external: [], entryPoints: [resolve(__dirname, '..', 'lambda', 'handler.ts')], outfile, metafile: true, logLevel: 'silent' });
  const script = join(dir, 'child.js');
  writeFileSync(script, CHILD);
  return { outfile, script, metafile: built.metafile, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** How to start a cold child beyond the defaults. */
export interface ChildOptions {
  /** Wraps the command (e.g. into a CPU-limited cgroup, `CpuQuota.wrap`). */
  readonly wrap?: (file: string, args: readonly string[]) => { file: string; args: string[] };
  /** Extra Node flags (e.g. `--cpu-prof`). */
  readonly nodeArgs?: readonly string[];
}

/** Spawns a fresh Node process that loads the bundle and serves `event` once. */
export function runChild(bundle: HandlerBundle, event: object, env: NodeJS.ProcessEnv, options: ChildOptions = {}): Promise<ColdStartRun> {
  return new Promise((resolvePromise, reject) => {
    const start = process.hrtime.bigint();
    const plain = { file: process.execPath, args: [...(options.nodeArgs ?? []), bundle.script, bundle.outfile, JSON.stringify(event)] };
    const command = options.wrap ? options.wrap(plain.file, plain.args) : plain;
    // As deployed: the function sets no NODE_OPTIONS, so none of the bench's own may reach the child.
    const child = spawn(command.file, command.args, { env: { ...env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let answeredAt: bigint | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (answeredAt === undefined && out.includes(MARK)) answeredAt = process.hrtime.bigint();
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = out.split('\n').find((text) => text.startsWith(MARK));
      if (code !== 0 || line === undefined || answeredAt === undefined) {
        reject(new Error(`cold-start child failed (exit ${code}): ${err.slice(0, 500)}`));
        return;
      }
      const { cache, cacheSkipped, ...timings } = JSON.parse(line.slice(MARK.length)) as Omit<ColdStartRun, 'spawnToAnswerMs' | 'firstCache'> & { cache: string; cacheSkipped?: string };
      const cacheMs = cacheLatencyOf(out);
      const faults = faultsOf(`${out}\n${err}`);
      resolvePromise({
        spawnToAnswerMs: Number(answeredAt - start) / 1e6,
        ...timings,
        firstCache: cache,
        ...(cacheSkipped === undefined ? {} : { cacheSkipped }),
        ...(cacheMs === undefined ? {} : { cacheMs }),
        ...(faults.length === 0 ? {} : { faults }),
      });
    });
  });
}

export interface ColdStartOptions {
  readonly runs: number;
  /** Environment of the child for each scenario (backend, emulator endpoint). */
  readonly memoryEnv: NodeJS.ProcessEnv;
  /** Redis backend environment with the prompt's answer already stored (first request is a hit). */
  readonly redisEnv?: NodeJS.ProcessEnv;
  readonly memoryPrompt: string;
  readonly redisPrompt: string;
}

/**
 * Bundles lambda/handler.ts as the stack does, reports the size of index.js and
 * its biggest packages, then loads it in fresh Node processes and serves one request each.
 */
export async function runColdStart(options: ColdStartOptions): Promise<ColdStartResult> {
  const bundle = await bundleHandler();
  try {
    const scenarios: ColdStartScenario[] = [];
    const plan: Array<[ColdStartScenario['id'], string, NodeJS.ProcessEnv | undefined, string]> = [
      ['memory-miss', 'memory backend, first request (a miss; emulator answers in 0 ms)', options.memoryEnv, options.memoryPrompt],
      ['redis-hit', 'redis backend, first request is a hit (includes connecting)', options.redisEnv, options.redisPrompt],
    ];
    for (const [id, label, env, prompt] of plan) {
      if (env === undefined) continue;
      const runs: ColdStartRun[] = [];
      for (let i = 0; i < options.runs; i++) runs.push(await runChild(bundle, { prompt, mode: 'standard' }, env));
      scenarios.push({
        id,
        label,
        runs,
        median: {
          spawnToAnswerMs: median(runs.map((run) => run.spawnToAnswerMs)),
          requireMs: median(runs.map((run) => run.requireMs)),
          firstRequestMs: median(runs.map((run) => run.firstRequestMs)),
          loadPlusFirstMs: median(runs.map((run) => run.requireMs + run.firstRequestMs)),
          loadPlusFirstCpuMs: median(runs.map((run) => run.requireCpuMs + run.firstRequestCpuMs)),
        },
      });
    }
    return {
      bundleBytes: statSync(bundle.outfile).size,
      topPackages: packageShares(bundle.metafile).slice(0, 8),
      nodeVersion: process.version,
      scenarios,
    };
  } finally {
    bundle.remove();
  }
}
