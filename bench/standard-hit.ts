import { since, summarize, type LatencySummary } from './stats';
import type { HitVariant, HitVariants } from './variants';

export interface StandardHitRow {
  readonly variant: HitVariant['id'];
  readonly label: string;
  readonly concurrency: number;
  readonly latency: LatencySummary;
}

export interface StandardHitResult {
  readonly payloadBytes: number;
  readonly langchainPayloadBytes: number;
  readonly rounds: number;
  readonly rows: readonly StandardHitRow[];
}

export interface StandardHitOptions {
  /** Interleaved rounds per concurrency level. */
  readonly rounds: number;
  /** Hits per variant per round at concurrency 1. */
  readonly serialOpsPerRound: number;
  /** Hits per worker per round at concurrency 64. */
  readonly opsPerWorker: number;
  readonly warmupOps: number;
}

export const DEFAULT_STANDARD_HIT_OPTIONS: StandardHitOptions = { rounds: 20, serialOpsPerRound: 300, opsPerWorker: 25, warmupOps: 2000 };

/** One block of `concurrency` workers each doing `opsPerWorker` hits back to back; returns the wall time. */
async function block(variant: HitVariant, concurrency: number, opsPerWorker: number, samples: number[]): Promise<number> {
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
}

/**
 * Standard-hit latency and throughput of the floor, ours and LangChain's, interleaved: every round
 * runs each variant once, in a rotating order, so machine noise lands on all of them alike.
 */
export async function runStandardHit(variants: HitVariants, options: StandardHitOptions = DEFAULT_STANDARD_HIT_OPTIONS): Promise<StandardHitResult> {
  const all: HitVariant[] = [variants.floor, variants.ours, variants.langchain];
  for (const variant of all) await block(variant, 1, options.warmupOps, []);
  for (const variant of all) await block(variant, 64, Math.ceil(options.warmupOps / 64), []);
  const rows: StandardHitRow[] = [];
  for (const concurrency of [1, 64]) {
    const samples = new Map<string, number[]>(all.map((variant) => [variant.id, []]));
    const wall = new Map<string, number>(all.map((variant) => [variant.id, 0]));
    const perWorker = concurrency === 1 ? options.serialOpsPerRound : options.opsPerWorker;
    for (let round = 0; round < options.rounds; round++) {
      for (let i = 0; i < all.length; i++) {
        const variant = all[(round + i) % all.length]!;
        const elapsed = await block(variant, concurrency, perWorker, samples.get(variant.id)!);
        wall.set(variant.id, wall.get(variant.id)! + elapsed);
      }
      // What the handler does after each request, kept out of the timed blocks.
      if (variants.runtime.metrics.hasStoredMetrics()) variants.runtime.metrics.publishStoredMetrics();
    }
    for (const variant of all) {
      rows.push({ variant: variant.id, label: variant.label, concurrency, latency: summarize(samples.get(variant.id)!, wall.get(variant.id)!) });
    }
  }
  return { payloadBytes: variants.payloadBytes, langchainPayloadBytes: variants.langchainPayloadBytes, rounds: options.rounds, rows };
}
