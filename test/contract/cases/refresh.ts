import { parseAction } from '../../../lambda/actions/parse-action';
import { parseRequest } from '../../../lambda/core/request';
import type { CacheRequestInput, CacheResponse } from '../../../lambda/core/types';
import { createRuntime, type Runtime } from '../../../lambda/runtime';
import type { ContractContext } from '../cache-contract';

const PROMPT = 'Where is Las Vegas?';
const PARAPHRASE = 'Where is Vegas?';

/**
 * `"mode": "refresh"` (README "Refresh"): the model is called although the cache holds an answer,
 * the answer replaces the entry and its vector, and identical concurrent refreshes make one model
 * call. The emulator numbers its answers here, so a replaced answer is told from the one before.
 */
export function refreshCases(ctx: ContractContext): void {
  describe('refresh', () => {
    beforeEach(() => {
      let calls = 0;
      ctx.emulator.answerFor = (prompt) => `answer ${++calls} to ${prompt}`;
    });

    /**
     * Resolves once `count` model calls have reached the emulator: the request that made them holds
     * its lock by then (a lock is taken before the model is called). A fixed pause would not do: on a
     * loaded machine a lookup can take longer than the pause.
     */
    async function modelCalled(count = 1): Promise<void> {
      const until = performance.now() + 10_000;
      while (ctx.emulator.calls.converse < count) {
        if (performance.now() > until) throw new Error(`no model call reached the emulator in 10 s (${ctx.emulator.calls.converse} of ${count})`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }

    /** Runs `body` with the emulator's answers slowed to `latencyMs`, then restores them. */
    async function slowly<T>(latencyMs: number, body: () => Promise<T>): Promise<T> {
      ctx.emulator.latencyMs = latencyMs;
      try {
        return await body();
      } finally {
        ctx.emulator.latencyMs = 0;
      }
    }

    it('calls the model although the cache holds an answer, and the next plain request gets the new answer exact', async () => {
      const stored = await ctx.ask({ prompt: PROMPT, mode: 'standard' });

      const refreshed = await ctx.ask({ prompt: PROMPT, mode: 'refresh' });
      const next = await ctx.ask({ prompt: PROMPT, mode: 'standard' });

      expect(stored.text).toBe(`answer 1 to ${PROMPT}`);
      expect(refreshed).toMatchObject({ cache: 'refresh', text: `answer 2 to ${PROMPT}` });
      expect(refreshed.usage.outputTokens).toBeGreaterThan(0);
      expect(next).toMatchObject({ cache: 'exact', text: refreshed.text });
      expect(ctx.emulator.calls.converse).toBe(2);
    });

    it('names the entry it wrote, as a hit does: the same entryId a later hit gives, and invalidating it removes the new answer', async () => {
      await ctx.ask({ prompt: PROMPT, mode: 'standard' });

      const refreshed = await ctx.ask({ prompt: PROMPT, mode: 'refresh' });
      const hit = await ctx.ask({ prompt: PROMPT, mode: 'standard' });
      const taken = await ctx.runtime.actions.perform(parseAction({ action: 'invalidate', entryId: refreshed.entryId }, ctx.runtime.config));
      const after = await ctx.ask({ prompt: PROMPT, mode: 'standard' });

      expect(refreshed.entryId).toEqual(expect.any(String));
      expect(hit).toMatchObject({ cache: 'exact', entryId: refreshed.entryId });
      expect(taken).toEqual({ invalidated: 1 });
      expect(after.cache).toBe('miss');
    });

    if (ctx.capabilities.semantic) {
      it('replaces the vector too: a paraphrase then gets the new answer semantically', async () => {
        await ctx.ask({ prompt: PROMPT, mode: 'semantic' });
        const before = await ctx.ask({ prompt: PARAPHRASE, mode: 'semantic' });

        const refreshed = await ctx.ask({ prompt: PROMPT, mode: 'refresh' });
        const after = await ctx.ask({ prompt: PARAPHRASE, mode: 'semantic' });

        expect(before).toMatchObject({ cache: 'semantic', text: `answer 1 to ${PROMPT}` });
        expect(after).toMatchObject({ cache: 'semantic', text: refreshed.text });
        expect(refreshed.text).toBe(`answer 2 to ${PROMPT}`);
      });
    }

    it('makes one model call for identical concurrent refreshes; the others answer refresh, coalesced', async () => {
      await ctx.ask({ prompt: PROMPT, mode: 'standard' });
      ctx.emulator.reset();

      const responses = await slowly(150, () => Promise.all(Array.from({ length: 10 }, () => ctx.ask({ prompt: PROMPT, mode: 'refresh' }))));

      expect(ctx.emulator.calls.converse).toBe(1);
      expect(new Set(responses.map((response) => response.text)).size).toBe(1);
      expect(responses.every((response) => response.cache === 'refresh')).toBe(true);
      expect(responses.filter((response) => response.coalesced)).toHaveLength(9);
    });

    // A second runtime reaches the same cache only on a server backend (the ones with raw access):
    // its own in-process flights, so it stands for another container.
    (ctx.capabilities.rawAccess ? it : it.skip)('makes one model call for refreshes in two containers: the later one waits on the refresh lock', async () => {
      await ctx.ask({ prompt: PROMPT, mode: 'standard' });
      const other = createRuntime(ctx.runtime.config, await ctx.target.overrides?.(ctx.runtime.config));
      try {
        // Connected first (an exact hit, no model call): a cold runtime's first connection (TLS,
        // every master) can outlast the leader's model call on a busy host, and then it would not
        // find the lock held at all.
        expect((await askIn(other, ctx, { prompt: PROMPT, mode: 'standard' })).cache).toBe('exact');
        ctx.emulator.reset();
        const [led, waited] = await slowly(400, async () => {
          const leading = ctx.ask({ prompt: PROMPT, mode: 'refresh' });
          await modelCalled();
          return Promise.all([leading, askIn(other, ctx, { prompt: PROMPT, mode: 'refresh' })]);
        });

        expect(ctx.emulator.calls.converse).toBe(1);
        expect(led).toMatchObject({ cache: 'refresh' });
        expect(led.coalesced).toBeUndefined();
        expect(waited).toMatchObject({ cache: 'refresh', coalesced: true, text: led.text });
        expect(await ctx.ask({ prompt: PROMPT, mode: 'standard' })).toMatchObject({ cache: 'exact', text: led.text });
      } finally {
        await other.close();
      }
    });

    // A refresh does not wait for an ordinary miss of the same request, nor the miss for it: both
    // call the model, each answers with its own answer, and the later write stands. Nothing is left
    // locked: the next plain request is an exact hit on one of the two.
    it('runs beside an ordinary miss of the same request in flight: both call the model, the later write stands', async () => {
      const [missed, refreshed] = await slowly(300, async () => {
        const missing = ctx.ask({ prompt: PROMPT, mode: 'standard' });
        await modelCalled();
        return Promise.all([missing, ctx.ask({ prompt: PROMPT, mode: 'refresh' })]);
      });
      const next = await ctx.ask({ prompt: PROMPT, mode: 'standard' });

      expect(ctx.emulator.calls.converse).toBe(2);
      // Each its own answer (the emulator numbers them in the order the calls reach it).
      expect(missed.cache).toBe('miss');
      expect(refreshed.cache).toBe('refresh');
      expect(new Set([missed.text, refreshed.text])).toEqual(new Set([`answer 1 to ${PROMPT}`, `answer 2 to ${PROMPT}`]));
      expect(next.cache).toBe('exact');
      expect([missed.text, refreshed.text]).toContain(next.text);
    });
  });
}

/** Answers a request through another runtime, in the current test's namespace. */
function askIn(runtime: Runtime, ctx: ContractContext, input: CacheRequestInput): Promise<CacheResponse> {
  return runtime.cache.answer(parseRequest({ namespace: ctx.namespace, ...input }, runtime.config));
}
