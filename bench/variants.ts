import Redis from 'ioredis';
import { RedisCache } from '@langchain/community/caches/ioredis';
import { parseRequest } from '../lambda/core/request';
import type { Runtime } from '../lambda/runtime';
import type { BenchContext } from './context';

/** One way of serving a cached answer: the raw floor, ours (library and handler), LangChain's. */
export interface HitVariant {
  readonly id: 'floor' | 'ours' | 'langchain' | 'handler' | 'handler-url' | 'handler-quiet';
  readonly label: string;
  /** One standard hit; resolves to the answer text. */
  hit(): Promise<string>;
  /** Called around each timed block of hits (the handler rows redirect stdout to a sink there). */
  begin?(): void;
  end?(): void;
}

/** The request every hit section serves: a prompt of realistic length, default settings. */
export const HIT_PROMPT =
  'Summarise in three sentences what a read-through cache in front of a large language model does, ' +
  'when it returns a stored answer instead of calling the model, and what a caller should set as the ' +
  'time to live for answers that depend on data that changes daily. Mention the trade-off between ' +
  'freshness and cost, and say how a namespace keeps two tenants apart.';

/** What LangChain's chat models pass as `llmKey`: the model's serialized call options. */
export function langchainLlmKey(modelId: string): string {
  return JSON.stringify({ _type: 'bedrock_converse', model: modelId, temperature: 0, max_tokens: 512 });
}

export interface HitVariants {
  readonly floor: HitVariant;
  readonly ours: HitVariant;
  readonly langchain: HitVariant;
  /** The stored entry's key and byte size (the floor reads exactly that value). */
  readonly key: string;
  readonly payloadBytes: number;
  readonly langchainPayloadBytes: number;
  readonly runtime: Runtime;
  /** Plain ioredis clients the floor and LangChain use (one each, as a user would have). */
  readonly floorClient: Redis;
  readonly langchainClient: Redis;
  close(): Promise<void>;
}

/**
 * Stores one answer through our runtime (a miss served by the emulator), the same text through
 * LangChain's `RedisCache.update`, and returns the three ways to read it back on one server.
 */
export async function prepareHitVariants(context: BenchContext): Promise<HitVariants> {
  const runtime = context.runtime();
  const input = { prompt: HIT_PROMPT, mode: 'standard' };
  const first = await runtime.cache.answer(parseRequest(input, runtime.config));
  if (first.cache !== 'miss') throw new Error(`expected the first request to miss, got ${first.cache}`);
  const admin = context.server.adminClient();
  const keys = await admin.keys('llmcache:*');
  await admin.quit();
  if (keys.length !== 1) throw new Error(`expected one stored entry, found ${keys.length}`);
  const key = keys[0]!;

  const floorClient = new Redis(context.server.url, { lazyConnect: true });
  const langchainClient = new Redis(context.server.url, { lazyConnect: true });
  await Promise.all([floorClient.connect(), langchainClient.connect()]);
  const stored = await floorClient.get(key);
  if (stored === null) throw new Error('stored entry vanished');

  const langchain = new RedisCache(langchainClient, { ttl: 86_400 });
  const llmKey = langchainLlmKey(runtime.config.modelId);
  await langchain.update(HIT_PROMPT, llmKey, [{ text: first.text }]);
  const langchainKeys = (await floorClient.keys('*')).filter((name) => !name.startsWith('llmcache:'));
  const langchainPayload = langchainKeys.length === 1 ? await floorClient.get(langchainKeys[0]!) : null;

  const variants: HitVariants = {
    key,
    payloadBytes: Buffer.byteLength(stored),
    langchainPayloadBytes: langchainPayload === null ? Number.NaN : Buffer.byteLength(langchainPayload),
    runtime,
    floorClient,
    langchainClient,
    floor: {
      id: 'floor',
      label: 'raw ioredis GET + JSON.parse (floor)',
      async hit() {
        const value = await floorClient.get(key);
        if (value === null) throw new Error('floor: miss');
        return (JSON.parse(value) as { text: string }).text;
      },
    },
    ours: {
      id: 'ours',
      label: 'ours: runtime.cache.answer (logs + EMF off)',
      async hit() {
        const response = await runtime.cache.answer(parseRequest(input, runtime.config));
        if (response.cache !== 'exact') throw new Error(`ours: expected an exact hit, got ${response.cache}`);
        return response.text;
      },
    },
    langchain: {
      id: 'langchain',
      label: 'LangChain RedisCache.lookup (ioredis)',
      async hit() {
        const generations = await langchain.lookup(HIT_PROMPT, llmKey);
        if (generations === null) throw new Error('langchain: miss');
        return generations[0]!.text;
      },
    },
    async close() {
      await Promise.all([floorClient.quit(), langchainClient.quit()]);
    },
  };
  // All three must read the same answer.
  const texts = await Promise.all([variants.floor.hit(), variants.ours.hit(), variants.langchain.hit()]);
  if (new Set(texts).size !== 1) throw new Error('the three variants disagree on the answer text');
  return variants;
}
