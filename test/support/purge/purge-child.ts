/**
 * Child process for the purge scale test: one container that purges a namespace once the parent
 * says go, while it samples its own memory.
 *
 * Environment: the runtime's own variables (CACHE_BACKEND, CACHE_URL, credentials, CA file) plus
 * PURGE_NAMESPACE. Run with `--expose-gc` so the baseline is taken after a collection.
 * Protocol: prints `ready` once its connection to every master is up, waits for a `go` line on
 * stdin, purges, prints one JSON line (`PurgeReport`) and exits.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { connectClusterNodes } from '../../../lambda/backends/redis/cluster/connect-nodes';
import { connectRedisClient, getRedisClient } from '../../../lambda/backends/redis/connection';
import { getRuntime } from '../../../lambda/runtime';
import { readyThenGo } from '../ready-then-go';

export interface PurgeReport {
  readonly entries: number;
  readonly keys: number;
  readonly complete: boolean;
  readonly durationMs: number;
  /** RSS and heap in use just before the purge (after a GC), bytes. */
  readonly baseline: { readonly rss: number; readonly heapUsed: number };
  /** Highest RSS and heap in use sampled (every 5 ms) during the purge, bytes. */
  readonly peak: { readonly rss: number; readonly heapUsed: number };
  /**
   * Highest heap in use right after a full collection, forced every 100 ms during the purge (what
   * the purge really holds, without the garbage a sampled `heapUsed` includes), bytes. The
   * collections are inside `durationMs`.
   */
  readonly liveHeapPeak: number;
  /** VmHWM from /proc/self/status: the process's peak RSS over its whole life (startup included), bytes. */
  readonly vmHwm: number | undefined;
}

function vmHwm(): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const namespace = process.env.PURGE_NAMESPACE ?? 'purge';
  const runtime = getRuntime();
  const client = await connectRedisClient(await getRedisClient(runtime.config), 5000);
  await connectClusterNodes(client);
  await readyThenGo();
  (globalThis as { gc?: () => void }).gc?.();
  const baseline = process.memoryUsage();
  const peak = { rss: baseline.rss, heapUsed: baseline.heapUsed };
  const gc = (globalThis as { gc?: () => void }).gc;
  let liveHeapPeak = baseline.heapUsed;
  let samples = 0;
  const sampler = setInterval(() => {
    const now = process.memoryUsage();
    peak.rss = Math.max(peak.rss, now.rss);
    peak.heapUsed = Math.max(peak.heapUsed, now.heapUsed);
    if (gc !== undefined && ++samples % 20 === 0) {
      gc();
      liveHeapPeak = Math.max(liveHeapPeak, process.memoryUsage().heapUsed);
    }
  }, 5);
  const started = performance.now();
  const result = await runtime.backend.purge(namespace);
  const durationMs = performance.now() - started;
  clearInterval(sampler);
  const last = process.memoryUsage();
  peak.rss = Math.max(peak.rss, last.rss);
  peak.heapUsed = Math.max(peak.heapUsed, last.heapUsed);
  const report: PurgeReport = { ...result, durationMs, baseline: { rss: baseline.rss, heapUsed: baseline.heapUsed }, peak, liveHeapPeak, vmHwm: vmHwm() };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  await runtime.close();
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`purge failed: ${String(error)}\n`);
  process.exit(1);
});
