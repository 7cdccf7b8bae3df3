/** Fakes shared by the orchestration's unit tests: a model, an embedder, stores that fail, an observer. */
import { CircuitBreaker } from '../../../lambda/cache/circuit-breaker';
import { CacheGuard } from '../../../lambda/cache/guard';
import { LlmCache, type LlmCacheOptions } from '../../../lambda/cache/llm-cache';
import { exactKey, scopeHash, toConverseRequest } from '../../../lambda/core/keys';
import type { CacheRequest, ChatModel, ConverseRequest, Embedder, ModelAnswer } from '../../../lambda/core/types';
import type { CacheObserver } from '../../../lambda/observability/observer';
import { MemoryIndex } from '../../../lambda/backends/memory/memory-index';
import type { EntryStore } from '../../../lambda/stores/entry-store';
import { MemoryStore } from '../../../lambda/backends/memory/memory-store';
import { withChange, type RequestChange } from '../../support/cache-request';

export const LAS_VEGAS = 'Where is Las Vegas?';
/** Cosine 0.96 to LAS_VEGAS under the fake embedder. */
export const LAS_VEGAS_REPHRASED = 'Where is Las Vegas located?';
/** Cosine 0.6 to LAS_VEGAS under the fake embedder. */
export const RENO = 'Where is Reno?';

const VECTORS: Readonly<Record<string, readonly number[]>> = {
  [LAS_VEGAS]: [1, 0, 0],
  [LAS_VEGAS_REPHRASED]: [0.96, 0.28, 0],
  [RENO]: [0.6, 0.8, 0],
};

const BASE_REQUEST: CacheRequest = {
  prompt: LAS_VEGAS,
  mode: 'semantic',
  modelId: 'model-a',
  maxTokens: 512,
  temperature: 0,
  ttlSeconds: 3600,
  threshold: 0.9,
  namespace: 'tenant-a',
};

export function request(overrides: RequestChange = {}): CacheRequest {
  return withChange(BASE_REQUEST, overrides);
}

export function keyOf(req: CacheRequest): string {
  return exactKey(req.namespace, toConverseRequest(req));
}

export function scopeOf(req: CacheRequest): string {
  return scopeHash(req.namespace, toConverseRequest(req));
}

/** A chat model that answers "answer to: <prompt>", reports `latencyMs` 7 and counts its calls. */
export class FakeModel implements ChatModel {
  calls: ConverseRequest[] = [];
  stopReason = 'end_turn';
  delayMs = 0;
  failure: Error | undefined;

  async converse(converse: ConverseRequest): Promise<ModelAnswer> {
    this.calls.push(converse);
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (this.failure) throw this.failure;
    const prompt = converse.messages.at(-1)!.content[0]!.text;
    return { text: `answer to: ${prompt}`, stopReason: this.stopReason, usage: { inputTokens: 10, outputTokens: 20 }, modelId: converse.modelId, latencyMs: 7 };
  }
}

/** Maps known prompts to chosen unit vectors; anything else is orthogonal to all of them. */
export class FakeEmbedder implements Embedder {
  readonly modelId = 'fake-embedder';
  readonly dimensions = 3;
  calls: string[] = [];
  failure: Error | undefined;

  async embed(text: string): Promise<Float32Array> {
    this.calls.push(text);
    if (this.failure) throw this.failure;
    return Float32Array.from(VECTORS[text] ?? [0, 0, 1]);
  }
}

/** An entry store that counts its calls and whose every call fails or never settles. */
export class BrokenStore implements EntryStore {
  calls = 0;
  constructor(private readonly behaviour: 'throw' | 'hang') {}

  private fail<T>(): Promise<T> {
    this.calls += 1;
    return this.behaviour === 'throw' ? Promise.reject(new Error('ECONNRESET')) : new Promise<T>(() => undefined);
  }

  get(): Promise<string | null> {
    return this.fail();
  }
  set(): Promise<void> {
    return this.fail();
  }
  setIfAbsent(): Promise<boolean> {
    return this.fail();
  }
  deleteIfEquals(): Promise<void> {
    return this.fail();
  }
  extendIfEquals(): Promise<boolean> {
    return this.fail();
  }
  delete(): Promise<boolean> {
    return this.fail();
  }
}

/**
 * The embedded store whose plain `set` (the entry write, never the lock's `setIfAbsent`) fails on
 * demand: it throws, or never answers (a write the server stalls). Shared by several caches, it
 * stands for one Redis reached from several containers.
 */
export class FailingSetStore implements EntryStore {
  readonly inner = new MemoryStore();
  failSets: 'throw' | 'hang' | undefined;

  get(key: string): Promise<string | null> {
    return this.inner.get(key);
  }
  async set(key: string, value: string, ttlMs: number): Promise<void> {
    if (this.failSets === 'throw') throw new Error('OOM command not allowed when used memory > maxmemory');
    if (this.failSets === 'hang') return new Promise(() => undefined);
    return this.inner.set(key, value, ttlMs);
  }
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    return this.inner.setIfAbsent(key, value, ttlMs);
  }
  deleteIfEquals(key: string, value: string): Promise<void> {
    return this.inner.deleteIfEquals(key, value);
  }
  extendIfEquals(key: string, value: string, ttlMs: number): Promise<boolean> {
    return this.inner.extendIfEquals(key, value, ttlMs);
  }
  delete(key: string): Promise<boolean> {
    return this.inner.delete(key);
  }
}

export function fakeObserver(): jest.Mocked<CacheObserver> {
  return { answered: jest.fn(), fault: jest.fn(), corruptEntry: jest.fn(), semanticUnavailable: jest.fn() };
}

/**
 * A cache over the embedded store and index. Expiry, entry stamps and the breaker read a fake
 * clock, so a jump of the machine's wall clock cannot change what a test sees.
 */
export function build(overrides: Partial<LlmCacheOptions> = {}) {
  const clock = { now: 1_700_000_000_000 };
  const now = (): number => clock.now;
  const store = new MemoryStore(1000, now);
  const index = new MemoryIndex(1000, now);
  const model = new FakeModel();
  const embedder = new FakeEmbedder();
  const observer = fakeObserver();
  const cache = new LlmCache({
    store,
    semanticIndex: async () => index,
    model,
    embedder,
    guard: new CacheGuard(1000, new CircuitBreaker({}, now)),
    observer,
    lock: { ttlMs: 5000, waitMs: 2000, pollMs: 5 },
    now,
    ...overrides,
  });
  return { cache, store, index, model, embedder, observer, clock };
}
