import { existsSync, mkdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Lambda's CPU by memory: "At 1,769 MB, a function has the equivalent of one vCPU" (Lambda
 * Developer Guide, "Configure Lambda function memory"; docs/aws-facts.md). The bench holds a cold
 * container to `memoryMb / LAMBDA_MB_PER_VCPU` of a CPU, as a Lambda of that size gets.
 */
export const LAMBDA_MB_PER_VCPU = 1769;

/** The cgroup v1 `cpu` controller's mount point. */
export const CPU_CGROUP_ROOT = '/sys/fs/cgroup/cpu';

/** CFS period of the group: 100 ms, so a share of 0.29 is 29 ms of CPU per 100 ms. */
export const CFS_PERIOD_US = 100_000;

/** The vCPU share of a function of `memoryMb`, linear in memory as the Lambda page says. */
export function cpuShareOf(memoryMb: number): number {
  if (!(memoryMb > 0)) throw new RangeError(`memory must be positive, got ${memoryMb}`);
  return memoryMb / LAMBDA_MB_PER_VCPU;
}

/** `cpu.cfs_quota_us` for `share` of one CPU per `CFS_PERIOD_US` (at least 1 ms, the kernel's minimum). */
export function cfsQuotaUs(share: number): number {
  if (!(share > 0)) throw new RangeError(`share must be positive, got ${share}`);
  return Math.max(1000, Math.round(share * CFS_PERIOD_US));
}

/** A CPU-limited cgroup the bench spawns children into. */
export interface CpuQuota {
  readonly share: number;
  readonly path: string;
  /**
   * The command and arguments that run `file args` inside the group: a shell writes its own pid
   * into `cgroup.procs`, then `exec`s the program, so the child is limited from its first instruction.
   */
  wrap(file: string, args: readonly string[]): { file: string; args: string[] };
  /** Removes the group (its processes must have exited). */
  remove(): void;
}

export type CpuQuotaResult = { readonly ok: true; readonly quota: CpuQuota } | { readonly ok: false; readonly reason: string };

/** The shell line `wrap` runs: join the group, then become the program. */
export function joinGroupScript(procsFile: string): string {
  return `echo $$ > '${procsFile.replace(/'/g, `'\\''`)}' && exec "$0" "$@"`;
}

/**
 * Creates `<root>/<name>` with `share` of a CPU, or says why it cannot (not root, no cgroup v1
 * `cpu` controller, a write refused). Never throws: the bench prints "not measured: <reason>".
 */
export function createCpuQuota(name: string, share: number, root = CPU_CGROUP_ROOT): CpuQuotaResult {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return { ok: false, reason: 'not root (a cgroup needs root)' };
  if (!existsSync(join(root, 'cpu.cfs_quota_us'))) return { ok: false, reason: `no cgroup v1 cpu controller at ${root}` };
  const path = join(root, name);
  try {
    if (!existsSync(path)) mkdirSync(path);
    writeFileSync(join(path, 'cpu.cfs_period_us'), String(CFS_PERIOD_US));
    writeFileSync(join(path, 'cpu.cfs_quota_us'), String(cfsQuotaUs(share)));
  } catch (error) {
    removeGroup(path);
    return { ok: false, reason: `cannot set up ${path}: ${(error as Error).message}` };
  }
  const procs = join(path, 'cgroup.procs');
  return {
    ok: true,
    quota: {
      share,
      path,
      wrap: (file, args) => ({ file: '/bin/sh', args: ['-c', joinGroupScript(procs), file, ...args] }),
      remove: () => removeGroup(path),
    },
  };
}

function removeGroup(path: string): void {
  try {
    if (existsSync(path)) rmdirSync(path);
  } catch {
    // A process still inside keeps the group; the kernel removes nothing else, so it is harmless.
  }
}
