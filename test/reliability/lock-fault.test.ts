import { CacheGuard } from '../../lambda/cache/guard';
import { LlmCache } from '../../lambda/cache/llm-cache';
import type { CacheRequest, ConverseRequest, ModelAnswer } from '../../lambda/core/types';
import { MemoryStore } from '../../lambda/backends/memory/memory-store';

function request(): CacheRequest {
  return { prompt: 'Where is Las Vegas?', mode: 'standard', modelId: 'model-a', maxTokens: 512, temperature: 0, ttlSeconds: 3600, threshold: 0.9, namespace: 'tenant-a' };
}

/** A store whose reads work and whose writes never answer: a server pausing writes (failover). */
class WritesHang extends MemoryStore {
  writes = 0;
  override async set(): Promise<void> {
    this.writes += 1;
    return new Promise(() => undefined);
  }
  override async setIfAbsent(): Promise<boolean> {
    this.writes += 1;
    return new Promise(() => undefined);
  }
}

describe('a cache that fails the lock attempt', () => {
  it('is not written again by the same request, and the response says the cache was skipped', async () => {
    const store = new WritesHang();
    const model = { converse: async (c: ConverseRequest): Promise<ModelAnswer> => ({ text: 'answer', stopReason: 'end_turn', usage: { inputTokens: 1, outputTokens: 1 }, modelId: c.modelId, latencyMs: 0 }) };
    const embedder = { modelId: 'e', dimensions: 3, embed: async () => new Float32Array([1, 0, 0]) };
    const cache = new LlmCache({ store, model, embedder, guard: new CacheGuard(20), semanticIndex: async () => null });

    const response = await cache.answer(request());

    expect(response).toMatchObject({ cache: 'miss', text: 'answer', cacheSkipped: 'timeout' });
    // One timed-out write (the lock); the store is not attempted after it.
    expect(store.writes).toBe(1);
  });
});
