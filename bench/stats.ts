/** Latency statistics for the bench: samples are nanoseconds from `process.hrtime.bigint()`. */

export interface LatencySummary {
  /** Number of timed operations. */
  readonly n: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  readonly maxMs: number;
  /** Operations per second of wall time (concurrent operations overlap), when measured. */
  readonly perSecond?: number;
}

/**
 * Nearest-rank percentile of unsorted or sorted samples: the smallest sample with at least
 * `p` percent of the samples at or below it. `p` in (0, 100]. Empty input is NaN.
 */
export function percentile(samples: readonly number[], p: number, sorted = false): number {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  if (samples.length === 0) return Number.NaN;
  const ordered = sorted ? samples : [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * ordered.length);
  return ordered[Math.min(ordered.length, Math.max(1, rank)) - 1]!;
}

/** Summarises nanosecond samples in milliseconds; `wallNs` (total elapsed) gives operations per second. */
export function summarize(samplesNs: readonly number[], wallNs?: number): LatencySummary {
  const ms = samplesNs.map((ns) => ns / 1e6).sort((a, b) => a - b);
  const mean = ms.length === 0 ? Number.NaN : ms.reduce((sum, value) => sum + value, 0) / ms.length;
  return {
    n: ms.length,
    p50Ms: percentile(ms, 50, true),
    p99Ms: percentile(ms, 99, true),
    meanMs: mean,
    maxMs: ms.length === 0 ? Number.NaN : ms[ms.length - 1]!,
    ...(wallNs !== undefined && wallNs > 0 ? { perSecond: (ms.length * 1e9) / wallNs } : {}),
  };
}

/** Elapsed nanoseconds since `start` (a `process.hrtime.bigint()` reading), as a number. */
export function since(start: bigint): number {
  return Number(process.hrtime.bigint() - start);
}

/** Times `operation` and appends its duration (ns) to `into`. */
export async function timed<T>(into: number[], operation: () => Promise<T>): Promise<T> {
  const start = process.hrtime.bigint();
  const value = await operation();
  into.push(since(start));
  return value;
}

/** The median of a few numbers (e.g. repeated cold starts). */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Formats a number for the table: fixed decimals, or `n/a`. */
export function fmt(value: number | undefined, digits = 3): string {
  return value === undefined || !Number.isFinite(value) ? 'n/a' : value.toFixed(digits);
}

/**
 * A per-round ratio summarised over rounds: its median and spread. Rounds, not pooled samples,
 * are the unit: each round measures the variant and its reference back to back, so a noisy
 * stretch of the machine moves both and cancels in that round's ratio.
 */
export interface RatioSummary {
  readonly rounds: number;
  readonly median: number;
  /** First and third quartile (nearest rank) of the per-round ratios. */
  readonly q1: number;
  readonly q3: number;
  readonly min: number;
  readonly max: number;
  /** Interquartile range as a fraction of the median (0.05 = 5 %); the bench's stopping rule reads it. */
  readonly relativeIqr: number;
}

export function ratioSummary(ratios: readonly number[]): RatioSummary {
  const ordered = [...ratios].sort((a, b) => a - b);
  if (ordered.length === 0) return { rounds: 0, median: Number.NaN, q1: Number.NaN, q3: Number.NaN, min: Number.NaN, max: Number.NaN, relativeIqr: Number.NaN };
  const med = percentile(ordered, 50, true);
  const q1 = percentile(ordered, 25, true);
  const q3 = percentile(ordered, 75, true);
  return { rounds: ordered.length, median: med, q1, q3, min: ordered[0]!, max: ordered[ordered.length - 1]!, relativeIqr: (q3 - q1) / Math.abs(med) };
}

/** True when every summary has at least `minRounds` rounds and an IQR under `maxRelativeIqr` of its median. */
export function settled(summaries: readonly RatioSummary[], minRounds: number, maxRelativeIqr: number): boolean {
  return summaries.every((summary) => summary.rounds >= minRounds && summary.relativeIqr < maxRelativeIqr);
}

/** `1.23 x (IQR 1.18-1.30, 4.2 %)`: a ratio with its spread, for tables. */
export function fmtRatio(summary: RatioSummary | undefined, digits = 2): string {
  if (summary === undefined || !Number.isFinite(summary.median)) return 'n/a';
  return `${summary.median.toFixed(digits)} x (IQR ${summary.q1.toFixed(digits)}-${summary.q3.toFixed(digits)}, ${(summary.relativeIqr * 100).toFixed(1)} %)`;
}
