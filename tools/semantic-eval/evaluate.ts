/** Runs the pairs through a runtime per same-question check setting, at each threshold. */
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../lambda/core/config';
import { lazyEmbedder } from '../../lambda/bedrock/lazy';
import type { Embedder } from '../../lambda/core/types';
import { createRuntime } from '../../lambda/runtime';
import type { EvalPair } from './pairs';
import type { CheckSetting, EvalRun } from './report';
import { EchoModel, runPairs } from './run-pairs';

export interface EvaluateOptions {
  readonly pairs: readonly EvalPair[];
  /** The backend's runtime environment (CACHE_BACKEND, CACHE_URL, SEMANTIC_INDEX, ...). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The embedder (USE for the set, Titan for `--bedrock aws`); omitted: the runtime's own (Titan). */
  readonly embedder?: Embedder;
  readonly thresholds: readonly number[];
  readonly checks: readonly CheckSetting[];
  readonly concurrency?: number;
}

/** `embedder` with each text embedded once per run of the evaluation (Titan is called once per distinct prompt). */
export function memoized(embedder: Embedder): Embedder {
  const seen = new Map<string, Promise<Float32Array>>();
  return {
    modelId: embedder.modelId,
    dimensions: embedder.dimensions,
    embed: async (text) => {
      let vector = seen.get(text);
      if (vector === undefined) {
        vector = embedder.embed(text);
        seen.set(text, vector);
        vector.catch(() => seen.delete(text));
      }
      return Float32Array.from(await vector);
    },
  };
}

export async function evaluate(options: EvaluateOptions): Promise<EvalRun[]> {
  const runs: EvalRun[] = [];
  const floor = Math.min(...options.thresholds);
  // Without an embedder: the runtime's own Titan embedder (default AWS credential chain), shared by every pass.
  const embedder = options.embedder ?? memoized(lazyEmbedder(loadConfig(options.env)));
  for (const check of options.checks) {
    const config = loadConfig({
      ...options.env,
      SEMANTIC_CHECK: check,
      // Every threshold of the run is a request's `threshold`, so the floor must admit the lowest.
      SEMANTIC_MIN_THRESHOLD: String(floor),
      SEMANTIC_THRESHOLD: String(Math.max(floor, Number(options.env.SEMANTIC_THRESHOLD ?? 0.9))),
    });
    const runtime = createRuntime(config, { model: new EchoModel(), embedder });
    try {
      for (const threshold of options.thresholds) {
        const runId = `eval-${randomUUID().slice(0, 8)}-${check}-${threshold}`;
        runs.push({ check, threshold, outcomes: await runPairs(runtime, options.pairs, { threshold, runId, concurrency: options.concurrency }) });
      }
    } finally {
      await runtime.close();
    }
  }
  return runs;
}

/** True when the runtime knows the same-question check setting (`SEMANTIC_CHECK`). */
export function runtimeHasCheck(): boolean {
  const config = loadConfig({ CACHE_BACKEND: 'memory', SEMANTIC_CHECK: 'off' }) as unknown as Record<string, unknown>;
  return 'semanticCheck' in config;
}
