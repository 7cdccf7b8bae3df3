import { randomUUID } from 'node:crypto';
import { loadConfig, type RuntimeConfig } from '../../lambda/core/config';
import { parseRequest } from '../../lambda/core/request';
import { exactKey, toConverseRequest } from '../../lambda/core/keys';
import type { CacheRequestInput, CacheResponse, ConverseMessageInput } from '../../lambda/core/types';
import { createRuntime, type Runtime, type RuntimeOverrides } from '../../lambda/runtime';
import { startBedrockEmulator, type BedrockEmulator } from '../../tools/bedrock-emulator/server';
import { actionCases } from './cases/actions';
import { purgeCases } from './cases/purge';
import { refreshCases } from './cases/refresh';

/** A second allowed model: an identical prompt to it must never be answered from the first's entries. */
const OTHER_MODEL_ID = 'amazon.nova-micro-v1:0';

/** A fixed earlier exchange that the conversation cases continue with their own last question. */
const EARLIER_TURNS: readonly ConverseMessageInput[] = [
  { role: 'user', content: [{ text: 'I am planning a weekend trip to Nevada.' }] },
  { role: 'assistant', content: [{ text: 'Nevada has deserts, mountains and lively cities.' }] },
];
/** A conversation: the earlier exchange (or `earlier`), then `question` as the final user turn. */
const conversation = (question: string, earlier: readonly ConverseMessageInput[] = EARLIER_TURNS): ConverseMessageInput[] => [...earlier, { role: 'user', content: [{ text: question }] }];

/**
 * What a group of contract cases kept in its own file (`test/contract/cases/`) sees of the suite:
 * read its members inside hooks and tests only (they are set in the suite's `beforeAll`/`beforeEach`).
 */
export interface ContractContext {
  readonly capabilities: { readonly semantic: boolean; readonly rawAccess: boolean };
  /** Answers a request in the current test's namespace (the handler's `answer` path). */
  ask(input: CacheRequestInput): Promise<CacheResponse>;
  readonly runtime: Runtime;
  readonly target: ContractTarget;
  readonly emulator: BedrockEmulator;
  /** The namespace of the current test (a fresh one per test). */
  readonly namespace: string;
}

/** Groups of contract cases kept in their own files; each registers itself here with one line. */
const CASE_GROUPS: readonly ((context: ContractContext) => void)[] = [refreshCases, purgeCases, actionCases];

/** A backend the contract runs against. */
export interface ContractTarget {
  /** Runtime environment for the backend (CACHE_BACKEND, CACHE_URL, credentials, SEMANTIC_INDEX...). */
  readonly env: Record<string, string>;
  /** Writes a raw value at a key, bypassing the runtime (for corrupt-entry cases); absent for memory. */
  writeRaw?(key: string, value: string): Promise<void>;
  /**
   * Every key matching the glob `pattern` on every server (every master of a cluster), read with
   * admin access, bypassing the runtime; absent for memory.
   */
  keys?(pattern: string): Promise<string[]>;
  /**
   * Parts of the runtime the target must supply, built from the suite's configuration (test-only:
   * e.g. a cluster client with the `natMap` that reaches proxies). Default: none.
   */
  overrides?(config: RuntimeConfig): Promise<RuntimeOverrides>;
  stop(): Promise<void>;
}

/**
 * The one behaviour suite every backend passes: the same requests, the same outcomes, through the
 * real runtime assembly (config -> connection -> store/index -> orchestration) and the real
 * Bedrock SDK client talking to the local emulator.
 */
export function describeCacheContract(
  name: string,
  capabilities: { readonly semantic: boolean; readonly rawAccess: boolean },
  start: () => Promise<ContractTarget>,
): void {
  describe(`cache contract: ${name}`, () => {
    let target: ContractTarget;
    let emulator: BedrockEmulator;
    let runtime: Runtime;
    let namespace: string;

    const ask = (input: CacheRequestInput): Promise<CacheResponse> =>
      runtime.cache.answer(parseRequest({ namespace, ...input }, runtime.config));
    const context: ContractContext = {
      capabilities,
      ask,
      get runtime() {
        return runtime;
      },
      get target() {
        return target;
      },
      get emulator() {
        return emulator;
      },
      get namespace() {
        return namespace;
      },
    };

    beforeAll(async () => {
      [target, emulator] = await Promise.all([start(), startBedrockEmulator()]);
      const config = loadConfig({ ...target.env, BEDROCK_ENDPOINT: emulator.url, AWS_REGION: 'us-east-1', CACHE_TIMEOUT_MS: '2000', CACHE_CONNECT_TIMEOUT_MS: '3000', LLM_ALLOWED_MODEL_IDS: OTHER_MODEL_ID });
      runtime = createRuntime(config, await target.overrides?.(config));
    });

    afterAll(async () => {
      await runtime?.close();
      await Promise.all([target?.stop(), emulator?.close()]);
    });

    beforeEach(() => {
      namespace = `t-${randomUUID().slice(0, 8)}`;
      emulator.reset();
    });

    it('answers a first request from the model and reports a miss', async () => {
      const response = await ask({ prompt: 'Where is Las Vegas?', mode: 'standard' });

      expect(response.cache).toBe('miss');
      expect(response.text).toContain('Las Vegas');
      expect(response.cacheSkipped).toBeUndefined();
      expect(emulator.calls.converse).toBe(1);
    });

    it('answers an identical repeat from the cache without calling the model or the embedder', async () => {
      const first = await ask({ prompt: 'Where is Las Vegas?' });
      emulator.reset();

      const second = await ask({ prompt: 'Where is Las Vegas?' });

      expect(second.cache).toBe('exact');
      expect(second.text).toBe(first.text);
      expect(second.savedUsage).toEqual(first.usage);
      expect(emulator.calls.converse).toBe(0);
      expect(emulator.calls.embed).toBe(0);
    });

    if (capabilities.semantic) {
      it('answers a prompt with the same meaning from the cache with its similarity', async () => {
        const first = await ask({ prompt: 'Where is Las Vegas?', mode: 'semantic' });
        emulator.reset();

        const second = await ask({ prompt: 'Where is Vegas?', mode: 'semantic' });

        expect(second.cache).toBe('semantic');
        expect(second.text).toBe(first.text);
        expect(second.similarity).toBeGreaterThanOrEqual(0.9);
        expect(second.similarity).toBeLessThan(1);
        expect(emulator.calls.converse).toBe(0);
      });

      // The same-question check (README "Same-question check"). Under the emulator's lexical
      // embedding these neighbours clear the 0.9 threshold (0.96, and 1.0 for the swapped order).
      it('misses, saying why, when the nearest prompt above the threshold differs in a number', async () => {
        await ask({ prompt: 'Convert 5 miles to kilometers', mode: 'semantic' });
        emulator.reset();

        const other = await ask({ prompt: 'Convert 6 miles to kilometers', mode: 'semantic' });

        expect(other.cache).toBe('miss');
        expect(other.text).toContain('6 miles');
        expect(other.semanticRejected?.reason).toBe('number-mismatch');
        expect(other.semanticRejected?.similarity).toBeGreaterThanOrEqual(0.9);
        expect(emulator.calls.converse).toBe(1);
      });

      it('misses, saying why, when the nearest prompt asks the conversion the other way round', async () => {
        await ask({ prompt: 'Convert 5 miles to kilometers', mode: 'semantic' });

        const swapped = await ask({ prompt: 'Convert 5 kilometers to miles', mode: 'semantic' });

        expect(swapped.cache).toBe('miss');
        expect(swapped.semanticRejected).toEqual({ reason: 'order-mismatch', similarity: expect.any(Number) });
      });

      it('still answers a rewording that keeps the number from the cache', async () => {
        const first = await ask({ prompt: 'Convert 5 miles to kilometers', mode: 'semantic' });

        const reworded = await ask({ prompt: 'Please convert 5 miles to kilometers', mode: 'semantic' });

        expect(reworded.cache).toBe('semantic');
        expect(reworded.text).toBe(first.text);
        expect(reworded.semanticRejected).toBeUndefined();
      });

      it('finds an acceptable neighbour behind a nearer rejected one', async () => {
        const acceptable = await ask({ prompt: 'Could you please convert 5 miles to kilometers', mode: 'semantic' });
        await ask({ prompt: 'Convert 6 miles to kilometers', mode: 'semantic' }); // nearer (0.96 against 0.95), another number

        const response = await ask({ prompt: 'Convert 5 miles to kilometers', mode: 'semantic' });

        expect(response.cache).toBe('semantic');
        expect(response.text).toBe(acceptable.text);
      });
    } else {
      it('serves a semantic request exact-only and says semantic is unavailable', async () => {
        await ask({ prompt: 'Where is Las Vegas?', mode: 'semantic' });
        emulator.reset();

        const second = await ask({ prompt: 'Where is Vegas?', mode: 'semantic' });

        expect(second.cache).toBe('miss');
        expect(second.semantic).toBe('unavailable');
        expect(emulator.calls.converse).toBe(1);
      });
    }

    it('never answers semantically below the threshold', async () => {
      await ask({ prompt: 'Where is Las Vegas?', mode: 'semantic' });
      await expectStored(ask, capabilities.semantic);

      const other = await ask({ prompt: 'How do I bake sourdough bread at home?', mode: 'semantic' });

      expect(other.cache).toBe('miss');
    });

    it.each<[string, (namespace: string) => Partial<CacheRequestInput>]>([
      // Derived from the test's own namespace, so a rerun against the same server starts clean.
      ['namespace', (own) => ({ namespace: `${own}-other` })],
      ['system prompt', () => ({ system: 'Answer in French.' })],
      ['temperature', () => ({ temperature: 0.7 })],
      ['max tokens', () => ({ maxTokens: 100 })],
      ['model', () => ({ modelId: OTHER_MODEL_ID })],
    ])('never hits across a different %s, exact or semantic', async (_label, changeOf) => {
      const change = changeOf(namespace);
      await ask({ prompt: 'Where is Las Vegas?', mode: 'semantic' });
      // Isolation means something only if the entry is there to be found in its own scope.
      await expectStored(ask, capabilities.semantic);
      emulator.reset();

      // Standard mode stores no vector, so the semantic check below sees only the original entry.
      const exact = await ask({ prompt: 'Where is Las Vegas?', mode: 'standard', ...change });
      const near = await ask({ prompt: 'Where is Vegas?', mode: 'semantic', ...change });

      expect(exact.cache).toBe('miss');
      expect(near.cache).not.toBe('semantic');
      expect(emulator.calls.converse).toBeGreaterThanOrEqual(1);
    });

    it('answers a repeated conversation from the cache without calling the model', async () => {
      const first = await ask({ messages: conversation('Where is Las Vegas?'), mode: 'standard' });
      emulator.reset();

      const second = await ask({ messages: conversation('Where is Las Vegas?'), mode: 'standard' });

      expect(first.cache).toBe('miss');
      expect(second.cache).toBe('exact');
      expect(second.text).toBe(first.text);
      expect(emulator.calls.converse).toBe(0);
    });

    if (capabilities.semantic) {
      it('answers a conversation whose last question is reworded from the cache, semantically', async () => {
        const first = await ask({ messages: conversation('Where is Las Vegas?'), mode: 'semantic' });
        emulator.reset();

        const second = await ask({ messages: conversation('Where is Vegas?'), mode: 'semantic' });

        expect(second.cache).toBe('semantic');
        expect(second.text).toBe(first.text);
        expect(second.similarity).toBeGreaterThanOrEqual(0.9);
        expect(emulator.calls.converse).toBe(0);
      });
    }

    it('never hits, exact or semantic, when an earlier turn differs', async () => {
      await ask({ messages: conversation('Where is Las Vegas?'), mode: 'semantic' });
      // The entry must be there to be found with the same earlier turns (and, semantic, reworded).
      const again = await ask({ messages: conversation('Where is Las Vegas?'), mode: 'standard' });
      expect(again.cache).toBe('exact');
      if (capabilities.semantic) expect((await ask({ messages: conversation('Where is Vegas?'), mode: 'semantic' })).cache).toBe('semantic');
      emulator.reset();
      const otherEarlier: ConverseMessageInput[] = [EARLIER_TURNS[0], { role: 'assistant', content: [{ text: 'Nevada has deserts, mountains and quiet towns.' }] }];

      const exact = await ask({ messages: conversation('Where is Las Vegas?', otherEarlier), mode: 'standard' });
      const near = await ask({ messages: conversation('Where is Vegas?', otherEarlier), mode: 'semantic' });
      const alone = await ask({ prompt: 'Where is Vegas?', mode: 'semantic' });

      expect(exact.cache).toBe('miss');
      expect(near.cache).toBe('miss');
      expect(alone.cache).toBe('miss');
      expect(emulator.calls.converse).toBe(3);
    });

    it('does not store a truncated answer', async () => {
      const prompt = 'Tell me everything [[max_tokens]]';
      const first = await ask({ prompt, mode: 'semantic' });

      const second = await ask({ prompt, mode: 'semantic' });

      expect(first.stopReason).toBe('max_tokens');
      expect(second.cache).toBe('miss');
      expect(emulator.calls.converse).toBe(2);
    });

    it('makes one model call for concurrent identical misses', async () => {
      emulator.latencyMs = 150;
      try {
        const responses = await Promise.all(Array.from({ length: 20 }, () => ask({ prompt: 'Where is Las Vegas?', mode: 'standard' })));

        expect(emulator.calls.converse).toBe(1);
        expect(new Set(responses.map((response) => response.text)).size).toBe(1);
      } finally {
        emulator.latencyMs = 0;
      }
    });

    it('makes one model call when the answer takes longer than the lock TTL: the lock holder keeps its lock alive', async () => {
      // A standard and a semantic request share the entry key but not the in-process flight, so the
      // second waits on the first's lock, as a request in another container would.
      const config = loadConfig({ ...target.env, BEDROCK_ENDPOINT: emulator.url, AWS_REGION: 'us-east-1', CACHE_TIMEOUT_MS: '2000', CACHE_CONNECT_TIMEOUT_MS: '3000', CACHE_LOCK_TTL_MS: '600' });
      const slow = createRuntime(config, await target.overrides?.(config));
      const askSlow = (mode: 'standard' | 'semantic', prompt = 'Where is Las Vegas?'): Promise<CacheResponse> => slow.cache.answer(parseRequest({ namespace, prompt, mode }, config));
      // The new runtime connects first (a cold runtime's first TLS connection to every master of a
      // cluster can outlast the 100 ms head start below on a loaded machine, and then the second
      // request may take the lock first: still one model call, but the roles swap).
      await askSlow('standard', 'A question that warms the connection');
      const before = emulator.calls.converse;
      // The answer takes over three lock TTLs: renewed every TTL / 3, the lock stays alive even when a
      // loaded machine delays a renewal by a few hundred milliseconds.
      emulator.latencyMs = 2000;
      try {
        const leading = askSlow('standard');
        await new Promise((resolve) => setTimeout(resolve, 100));
        const [led, waited] = await Promise.all([leading, askSlow('semantic')]);

        expect(emulator.calls.converse - before).toBe(1);
        expect(led.cache).toBe('miss');
        expect(waited).toMatchObject({ cache: 'exact', coalesced: true, text: led.text });
      } finally {
        emulator.latencyMs = 0;
        await slow.close();
      }
    });

    it('expires entries after their TTL', async () => {
      await ask({ prompt: 'Where is Las Vegas?', mode: 'standard', ttlSeconds: 1 });
      await new Promise((resolve) => setTimeout(resolve, 1100));

      const later = await ask({ prompt: 'Where is Las Vegas?', mode: 'standard', ttlSeconds: 1 });

      expect(later.cache).toBe('miss');
    });

    (capabilities.rawAccess ? it : it.skip)('treats a corrupt stored value as a miss and replaces it', async () => {
      const request = parseRequest({ namespace, prompt: 'Where is Las Vegas?', mode: 'standard' }, runtime.config);
      await target.writeRaw!(exactKey(namespace, toConverseRequest(request)), '{"v":999,"text":"stale"}');

      const first = await ask({ prompt: 'Where is Las Vegas?', mode: 'standard' });
      const second = await ask({ prompt: 'Where is Las Vegas?', mode: 'standard' });

      expect(first.cache).toBe('miss');
      expect(first.text).not.toBe('stale');
      expect(second.cache).toBe('exact');
    });

    for (const cases of CASE_GROUPS) cases(context);
  });
}

type Ask = (input: CacheRequestInput) => Promise<CacheResponse>;

/**
 * The precondition of every isolation test: "Where is Las Vegas?" asked in semantic mode was
 * stored, so it is an exact hit when asked again and (where the backend has a semantic index) a
 * semantic hit for "Where is Vegas?" in the same scope. Without it, a backend whose every cache
 * operation fails would pass the isolation tests.
 */
export async function expectStored(ask: Ask, semantic: boolean): Promise<void> {
  const again = await ask({ prompt: 'Where is Las Vegas?', mode: 'standard' });
  if (again.cache !== 'exact') throw new Error(`precondition: the first entry was not stored (repeat answered ${again.cache}${again.cacheSkipped ? `, cacheSkipped ${again.cacheSkipped}` : ''})`);
  if (!semantic) return;
  const near = await ask({ prompt: 'Where is Vegas?', mode: 'semantic' });
  if (near.cache !== 'semantic') throw new Error(`precondition: the first entry's vector was not stored (paraphrase answered ${near.cache})`);
}
