import Redis from 'ioredis';
import { RedisCache } from '@langchain/community/caches/ioredis';
import { createChatModel } from '../lambda/bedrock';
import { loadConfig } from '../lambda/core/config';
import { toConverseRequest } from '../lambda/core/keys';
import { parseRequest } from '../lambda/core/request';
import type { BenchContext } from './context';
import { langchainLlmKey } from './variants';

export interface StampedeRow {
  readonly variant: 'ours' | 'langchain';
  readonly label: string;
  readonly requests: number;
  /** Simulated Lambda containers the requests are spread over (each its own runtime). */
  readonly containers: number;
  /** Converse calls the emulator received. */
  readonly modelCalls: number;
  /** Wall time until every request had its answer. */
  readonly wallMs: number;
}

export interface StampedeOptions {
  readonly requests: number;
  /** Emulated model latency during the stampede. */
  readonly modelLatencyMs: number;
}

export const DEFAULT_STAMPEDE_OPTIONS: StampedeOptions = { requests: 50, modelLatencyMs: 200 };

async function measure(context: BenchContext, run: () => Promise<unknown>): Promise<{ modelCalls: number; wallMs: number }> {
  const before = context.emulator.calls.converse;
  const start = performance.now();
  await run();
  return { modelCalls: context.emulator.calls.converse - before, wallMs: performance.now() - start };
}

/**
 * N concurrent identical misses. Ours: through `runtime.cache.answer`, in one container (in-process
 * single flight) and spread over 5 runtimes sharing the server (the cross-container lock).
 * LangChain: used as a user would, `lookup`, on a miss call the model (the same emulator through
 * the same Bedrock client), then `update`.
 */
export async function runStampede(context: BenchContext, options: StampedeOptions = DEFAULT_STAMPEDE_OPTIONS): Promise<StampedeRow[]> {
  const savedLatency = context.emulator.latencyMs;
  context.emulator.latencyMs = options.modelLatencyMs;
  const rows: StampedeRow[] = [];
  try {
    for (const containers of [1, 5]) {
      const runtimes = Array.from({ length: containers }, () => context.runtime());
      const input = { prompt: `Stampede across ${containers} container(s): what is a thundering herd?`, mode: 'standard' };
      const result = await measure(context, () =>
        Promise.all(
          Array.from({ length: options.requests }, (_, i) => {
            const runtime = runtimes[i % containers]!;
            return runtime.cache.answer(parseRequest(input, runtime.config));
          }),
        ),
      );
      rows.push({ variant: 'ours', label: `ours: runtime.cache.answer, ${containers} container(s)`, requests: options.requests, containers, ...result });
    }

    const config = loadConfig(context.env());
    const model = createChatModel(config);
    const client = new Redis(context.server.url);
    try {
      const cache = new RedisCache(client, { ttl: 86_400 });
      const prompt = 'Stampede through LangChain: what is a thundering herd?';
      const llmKey = langchainLlmKey(config.modelId);
      const converse = toConverseRequest(parseRequest({ prompt, mode: 'standard' }, config));
      const result = await measure(context, () =>
        Promise.all(
          Array.from({ length: options.requests }, async () => {
            const cached = await cache.lookup(prompt, llmKey);
            if (cached !== null) return cached[0]!.text;
            const answer = await model.converse(converse);
            await cache.update(prompt, llmKey, [{ text: answer.text }]);
            return answer.text;
          }),
        ),
      );
      rows.push({ variant: 'langchain', label: 'LangChain RedisCache: lookup, model on miss, update', requests: options.requests, containers: 1, ...result });
    } finally {
      await client.quit();
    }
  } finally {
    context.emulator.latencyMs = savedLatency;
  }
  return rows;
}
