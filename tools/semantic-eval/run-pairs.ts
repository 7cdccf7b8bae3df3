/**
 * Runs evaluation pairs through the real runtime: for each pair, in a namespace of its own, asks
 * `a` (the model answers, the answer is stored with its vector), then asks `b` at the threshold,
 * and records what `b` got.
 */
import { parseRequest } from '../../lambda/core/request';
import type { CacheOutcome, ChatModel, ConverseRequest, ModelAnswer } from '../../lambda/core/types';
import type { Runtime } from '../../lambda/runtime';
import type { EvalPair } from './pairs';

/** What asking `b` after `a` gave. */
export interface PairOutcome {
  readonly pair: EvalPair;
  readonly threshold: number;
  readonly cache: CacheOutcome;
  /** True when `b` was served `a`'s stored answer. */
  readonly served: boolean;
  readonly similarity?: number;
  /** The same-question check's rejection of the neighbour, when it rejected one. */
  readonly rejected?: { readonly reason: string; readonly similarity: number };
  /** Set when the cache was skipped (fail open) on either request: the pair measured nothing. */
  readonly fault?: string;
}

/** A chat model that answers "answer to: <last user turn>" with no network. */
export class EchoModel implements ChatModel {
  calls = 0;

  async converse(request: ConverseRequest): Promise<ModelAnswer> {
    this.calls += 1;
    const prompt = request.messages.at(-1)!.content.map((block) => block.text).join('');
    return { text: `answer to: ${prompt}`, stopReason: 'end_turn', usage: { inputTokens: 10, outputTokens: 20 }, modelId: request.modelId, latencyMs: 1 };
  }
}

export interface RunOptions {
  readonly threshold: number;
  /** Prefix of the per-pair namespaces (letters, digits, ".", "_", "-"); unique per run. */
  readonly runId: string;
  /** Pairs in flight at once. @default 8 */
  readonly concurrency?: number;
  /** TTL of the stored answers, so a run leaves nothing lasting in a shared Redis. @default 900 */
  readonly ttlSeconds?: number;
}

export async function runPairs(runtime: Runtime, pairs: readonly EvalPair[], options: RunOptions): Promise<PairOutcome[]> {
  const outcomes: PairOutcome[] = new Array(pairs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < pairs.length) {
      const index = next++;
      outcomes[index] = await runPair(runtime, pairs[index]!, options);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 8, pairs.length) }, worker));
  return outcomes;
}

async function runPair(runtime: Runtime, pair: EvalPair, options: RunOptions): Promise<PairOutcome> {
  const namespace = `${options.runId}-${pair.id}`.replace(/[^A-Za-z0-9_.-]/g, '_').slice(-64);
  const ask = (prompt: string) =>
    runtime.cache.answer(parseRequest({ namespace, prompt, mode: 'semantic', threshold: options.threshold, temperature: 0, ttlSeconds: options.ttlSeconds ?? 900 }, runtime.config));
  const first = await ask(pair.a);
  const second = await ask(pair.b);
  const fault = first.cacheSkipped ?? second.cacheSkipped ?? (second.semantic === 'unavailable' ? `semantic-unavailable:${second.semanticReason}` : undefined);
  const rejected = (second as { semanticRejected?: { reason: string; similarity: number } }).semanticRejected;
  return {
    pair,
    threshold: options.threshold,
    cache: second.cache,
    served: second.cache === 'semantic' && second.text === first.text,
    ...(second.similarity !== undefined ? { similarity: second.similarity } : {}),
    ...(rejected ? { rejected } : {}),
    ...(fault !== undefined ? { fault } : {}),
  };
}
