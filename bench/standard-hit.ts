import { percentile, ratioSummary, settled, since, summarize, type LatencySummary, type RatioSummary } from './stats';
import type { HitVariant, HitVariants } from './variants';
import { CONCURRENCY_LEVELS } from './targets';

type VariantId = HitVariant['id'];

/** One variant's figures in one round: its p50 and its hits per second of wall time. */
export interface RoundFigures {
  readonly p50Ns: number;
  readonly perSecond: number;
}

/** One interleaved round: every variant of the level measured once, back to back. */
export type Round = Readonly<Partial<Record<VariantId, RoundFigures>>>;

export interface StandardHitRow {
  readonly variant: VariantId;
  readonly label: string;
  readonly concurrency: number;
  /** All rounds' samples pooled: absolute times, which depend on the machine and its load. */
  readonly latency: LatencySummary;
  /** Per round: this variant's p50 / the floor's p50 in the same round (1 = one raw GET + parse). */
  readonly p50VsFloor: RatioSummary;
  /** Per round: the floor's hits/s / this variant's (time per hit under load, as a multiple of the floor's). */
  readonly throughputVsFloor: RatioSummary;
}

export interface StandardHitComparison {
  readonly id: 'langchain-p50-over-ours' | 'ours-per-second-over-langchain';
  readonly concurrency: number;
  readonly label: string;
  readonly ratio: RatioSummary;
}

export interface StandardHitLevel {
  readonly concurrency: number;
  readonly rounds: number;
  /** True when every tracked ratio's IQR fell under the limit; false when a round or time limit ended the level. */
  readonly settled: boolean;
  readonly seconds: number;
  /** Hits per variant per round. */
  readonly hitsPerRound: number;
  readonly variants: readonly VariantId[];
  /** Each round's figures per variant: the raw data every ratio above is taken from. */
  readonly perRound: readonly Round[];
}

export interface StopRule {
  readonly minRounds: number;
  readonly maxRounds: number;
  /** Stop once every tracked ratio's interquartile range is under this fraction of its median. */
  readonly maxRelativeIqr: number;
  /** Per concurrency level; checked after `minRounds`. */
  readonly budgetSeconds: number;
}

export interface StandardHitResult {
  readonly payloadBytes: number;
  readonly langchainPayloadBytes: number;
  readonly stopRule: StopRule;
  readonly levels: readonly StandardHitLevel[];
  readonly rows: readonly StandardHitRow[];
  readonly comparisons: readonly StandardHitComparison[];
}

export interface StandardHitOptions extends StopRule {
  /** Hits per variant per round at concurrency 1. */
  readonly serialOpsPerRound: number;
  /** Hits per worker per round at concurrency 64. */
  readonly opsPerWorker: number;
  /** Slices per round at concurrency 1: each slice runs every variant once, so a round interleaves them this finely. */
  readonly serialSlices: number;
  /** Slices per round at concurrency 64 (fewer: each block ramps 64 workers up and drains them). */
  readonly concurrentSlices: number;
  readonly warmupOps: number;
}

/** Defaults: 8-50 rounds per level (fewer than 8 make coarse quartiles), stop at IQR < 10 % of the median, 30 s per level at most. */
export const DEFAULT_STANDARD_HIT_OPTIONS: StandardHitOptions = {
  serialOpsPerRound: 600,
  opsPerWorker: 80,
  serialSlices: 30,
  concurrentSlices: 2,
  warmupOps: 2000,
  minRounds: 8,
  maxRounds: 50,
  maxRelativeIqr: 0.1,
  budgetSeconds: 30,
};

/** Per round, `numerator(round) / denominator.field`; rounds where either is missing are skipped. */
function perRound(rounds: readonly Round[], numerator: (round: Round) => number | undefined, denominator: VariantId, field: keyof RoundFigures): number[] {
  const ratios: number[] = [];
  for (const round of rounds) {
    const top = numerator(round);
    const bottom = round[denominator]?.[field];
    if (top !== undefined && bottom !== undefined && bottom > 0) ratios.push(top / bottom);
  }
  return ratios;
}

/** Per round, `numerator.field / denominator.field`; rounds missing either are skipped. */
export function roundRatios(rounds: readonly Round[], numerator: VariantId, denominator: VariantId, field: keyof RoundFigures): number[] {
  return perRound(rounds, (round) => round[numerator]?.[field], denominator, field);
}

/**
 * Per round, `(minuend.field - subtrahend.field) / base.field`: what one variant adds over another,
 * as a multiple of the floor (the handler's output: `handler` minus `handler-quiet`).
 */
export function roundDifferenceRatios(rounds: readonly Round[], minuend: VariantId, subtrahend: VariantId, base: VariantId, field: keyof RoundFigures): number[] {
  return perRound(
    rounds,
    (round) => {
      const top = round[minuend]?.[field];
      const less = round[subtrahend]?.[field];
      return top !== undefined && less !== undefined ? top - less : undefined;
    },
    base,
    field,
  );
}

/** The cross-variant ratios the targets read: LangChain's p50 over ours at 1, our hits/s over LangChain's at 64. */
export function comparisonsOf(concurrency: number, rounds: readonly Round[]): StandardHitComparison[] {
  const present = (id: VariantId): boolean => rounds.some((round) => round[id] !== undefined);
  if (!present('ours') || !present('langchain')) return [];
  return concurrency === 1
    ? [{ id: 'langchain-p50-over-ours', concurrency, label: 'LangChain p50 / ours p50 (speed-up)', ratio: ratioSummary(roundRatios(rounds, 'langchain', 'ours', 'p50Ns')) }]
    : [{ id: 'ours-per-second-over-langchain', concurrency, label: 'ours hits/s / LangChain hits/s', ratio: ratioSummary(roundRatios(rounds, 'ours', 'langchain', 'perSecond')) }];
}

/**
 * The ratios a level waits on before it stops: each variant against the floor (p50 at
 * concurrency 1, throughput at 64, the figure each level's targets use) and the comparisons.
 */
export function trackedRatios(concurrency: number, rounds: readonly Round[], variants: readonly VariantId[]): RatioSummary[] {
  const field: keyof RoundFigures = concurrency === 1 ? 'p50Ns' : 'perSecond';
  const vsFloor = variants
    .filter((id) => id !== 'floor')
    .map((id) => ratioSummary(field === 'p50Ns' ? roundRatios(rounds, id, 'floor', field) : roundRatios(rounds, 'floor', id, field)));
  return [...vsFloor, ...comparisonsOf(concurrency, rounds).map((comparison) => comparison.ratio)];
}

/** One block of `concurrency` workers each doing `opsPerWorker` hits back to back; returns the wall time (ns). */
async function block(variant: HitVariant, concurrency: number, opsPerWorker: number, samples: number[]): Promise<number> {
  variant.begin?.();
  try {
    const start = process.hrtime.bigint();
    const worker = async (): Promise<void> => {
      for (let i = 0; i < opsPerWorker; i++) {
        const opStart = process.hrtime.bigint();
        await variant.hit();
        samples.push(since(opStart));
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return since(start);
  } finally {
    variant.end?.();
  }
}

interface LevelResult {
  readonly level: StandardHitLevel;
  readonly rows: StandardHitRow[];
  readonly comparisons: StandardHitComparison[];
}

async function runLevel(concurrency: number, variants: readonly HitVariant[], options: StandardHitOptions, afterRound: () => void): Promise<LevelResult> {
  const perWorker = concurrency === 1 ? options.serialOpsPerRound : options.opsPerWorker;
  const ids = variants.map((variant) => variant.id);
  const samples = new Map<VariantId, number[]>(ids.map((id) => [id, []]));
  const wall = new Map<VariantId, number>(ids.map((id) => [id, 0]));
  const rounds: Round[] = [];
  const started = performance.now();
  let isSettled = false;
  const slices = Math.max(1, Math.min(concurrency === 1 ? options.serialSlices : options.concurrentSlices, perWorker));
  for (;;) {
    const own = new Map<VariantId, { samples: number[]; wallNs: number }>(ids.map((id) => [id, { samples: [], wallNs: 0 }]));
    // Each round is cut into slices and every slice runs each variant once, in a rotating order:
    // a ratio's two sides are measured milliseconds apart, so a burst of load hits both.
    for (let slice = 0; slice < slices; slice++) {
      const ops = Math.floor(perWorker / slices) + (slice < perWorker % slices ? 1 : 0);
      for (let i = 0; i < variants.length; i++) {
        const variant = variants[(rounds.length * slices + slice + i) % variants.length]!;
        const mine = own.get(variant.id)!;
        mine.wallNs += await block(variant, concurrency, ops, mine.samples);
      }
    }
    const round: Partial<Record<VariantId, RoundFigures>> = {};
    for (const [id, mine] of own) {
      samples.get(id)!.push(...mine.samples);
      wall.set(id, wall.get(id)! + mine.wallNs);
      round[id] = { p50Ns: percentile(mine.samples, 50), perSecond: (mine.samples.length * 1e9) / mine.wallNs };
    }
    rounds.push(round);
    afterRound();
    isSettled = settled(trackedRatios(concurrency, rounds, ids), options.minRounds, options.maxRelativeIqr);
    const overBudget = rounds.length >= options.minRounds && (performance.now() - started) / 1000 >= options.budgetSeconds;
    if (isSettled || overBudget || rounds.length >= options.maxRounds) break;
  }
  const rows = variants.map((variant) => ({
    variant: variant.id,
    label: variant.label,
    concurrency,
    latency: summarize(samples.get(variant.id)!, wall.get(variant.id)!),
    p50VsFloor: ratioSummary(roundRatios(rounds, variant.id, 'floor', 'p50Ns')),
    throughputVsFloor: ratioSummary(roundRatios(rounds, 'floor', variant.id, 'perSecond')),
  }));
  const level = { concurrency, rounds: rounds.length, settled: isSettled, seconds: (performance.now() - started) / 1000, hitsPerRound: perWorker * concurrency, variants: ids, perRound: rounds };
  return { level, rows, comparisons: comparisonsOf(concurrency, rounds) };
}

/**
 * Standard-hit latency and throughput of the floor, ours, LangChain's and the handler, as
 * multiples of the floor. Every round runs each variant once, in a rotating order, and each
 * ratio is taken within a round, so machine noise lands on both sides of it. Rounds repeat until
 * the ratios settle (`StopRule`), and the median and spread over rounds are reported.
 */
export async function runStandardHit(variants: HitVariants, handlerRows: readonly HitVariant[] = [], options: StandardHitOptions = DEFAULT_STANDARD_HIT_OPTIONS): Promise<StandardHitResult> {
  const library: HitVariant[] = [variants.floor, variants.ours, variants.langchain];
  const byLevel = new Map<number, HitVariant[]>([
    [1, [...library, ...handlerRows]],
    [64, library],
  ]);
  for (const variant of byLevel.get(1)!) await block(variant, 1, options.warmupOps, []);
  for (const variant of byLevel.get(64)!) await block(variant, 64, Math.ceil(options.warmupOps / 64), []);
  // What the handler does after each request, for the library runtime; kept out of the timed blocks.
  const flush = (): void => {
    variants.runtime.flushMetrics();
  };
  const levels: StandardHitLevel[] = [];
  const rows: StandardHitRow[] = [];
  const comparisons: StandardHitComparison[] = [];
  for (const concurrency of CONCURRENCY_LEVELS) {
    const result = await runLevel(concurrency, byLevel.get(concurrency)!, options, flush);
    levels.push(result.level);
    rows.push(...result.rows);
    comparisons.push(...result.comparisons);
  }
  const { minRounds, maxRounds, maxRelativeIqr, budgetSeconds } = options;
  return { payloadBytes: variants.payloadBytes, langchainPayloadBytes: variants.langchainPayloadBytes, stopRule: { minRounds, maxRounds, maxRelativeIqr, budgetSeconds }, levels, rows, comparisons };
}
