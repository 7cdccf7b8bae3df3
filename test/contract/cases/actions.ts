import type { ActionResult } from '../../../lambda/actions/action-types';
import { parseAction } from '../../../lambda/actions/parse-action';
import type { CacheRequestInput } from '../../../lambda/core/types';
import type { ContractContext } from '../cache-contract';

const PROMPT = 'Where is Las Vegas?';
const PARAPHRASE = 'Where is Vegas?';
const OTHER_PROMPT = 'How do I bake sourdough bread at home?';

/**
 * Taking an answer back (README "Taking an answer back"): every hit names its entry (`entryId`);
 * `invalidate` by that id or by the request's fields removes the exact entry and its semantic
 * document, and nothing else; `reject` keeps the entry and stops it answering one request.
 * Purge has its own cases (`purge.ts`).
 */
export function actionCases(ctx: ContractContext): void {
  /** Runs an action as the handler does (parsed with the runtime's rules, unbound caller). */
  const act = (payload: Record<string, unknown>): Promise<ActionResult> => ctx.runtime.actions.perform(parseAction(payload, ctx.runtime.config));
  const ask = (input: CacheRequestInput) => ctx.ask(input);

  /** Asks PROMPT (semantic mode, so its vector is indexed) and returns the entry id its repeat names. */
  async function stored(namespace?: string): Promise<string> {
    const where = namespace === undefined ? {} : { namespace };
    await ask({ prompt: PROMPT, mode: 'semantic', ...where });
    const again = await ask({ prompt: PROMPT, mode: 'standard', ...where });
    if (again.cache !== 'exact' || again.entryId === undefined) throw new Error(`precondition: the entry was not stored (repeat answered ${again.cache})`);
    return again.entryId;
  }

  /**
   * After an invalidate: the same prompt misses (standard mode: it stores its exact entry only,
   * no vector), then the paraphrase misses too (where the backend has a semantic index), so
   * neither the entry nor its document answered.
   */
  async function expectGone(): Promise<void> {
    ctx.emulator.reset();
    expect((await ask({ prompt: PROMPT, mode: 'standard' })).cache).toBe('miss');
    if (ctx.capabilities.semantic) expect((await ask({ prompt: PARAPHRASE, mode: 'semantic' })).cache).toBe('miss');
  }

  describe('actions', () => {
    it('names the entry that answered on every hit: an exact hit and a semantic hit of one entry carry the same entryId', async () => {
      const entryId = await stored();

      expect(entryId).toMatch(/^e1\.[A-Za-z0-9_-]+$/);
      if (ctx.capabilities.semantic) expect((await ask({ prompt: PARAPHRASE, mode: 'semantic' })).entryId).toBe(entryId);
    });

    it('invalidates an entry by its entryId: the same prompt and a paraphrase both miss', async () => {
      const entryId = await stored();

      expect(await act({ action: 'invalidate', entryId })).toEqual({ invalidated: 1 });
      await expectGone();
    });

    it("invalidates an entry by the fields of its request, without an embedding call: the same prompt and a paraphrase both miss", async () => {
      await stored();
      ctx.emulator.reset();

      expect(await act({ action: 'invalidate', prompt: PROMPT, namespace: ctx.namespace })).toEqual({ invalidated: 1 });
      expect(ctx.emulator.calls.embed).toBe(0);
      await expectGone();
    });

    it('leaves other entries of the namespace and the same prompt in other namespaces answering', async () => {
      const other = `${ctx.namespace}-other`;
      const entryId = await stored();
      await stored(other);
      await ask({ prompt: OTHER_PROMPT, mode: 'standard' });

      await act({ action: 'invalidate', entryId });

      expect((await ask({ prompt: OTHER_PROMPT, mode: 'standard' })).cache).toBe('exact');
      expect((await ask({ prompt: PROMPT, mode: 'standard', namespace: other })).cache).toBe('exact');
      if (ctx.capabilities.semantic) expect((await ask({ prompt: PARAPHRASE, mode: 'semantic', namespace: other })).cache).toBe('semantic');
    });

    it('answers 0 when nothing is there: a prompt never asked, an entry invalidated twice', async () => {
      const entryId = await stored();
      await act({ action: 'invalidate', entryId });

      expect(await act({ action: 'invalidate', entryId })).toEqual({ invalidated: 0 });
      expect(await act({ action: 'invalidate', prompt: OTHER_PROMPT, namespace: ctx.namespace })).toEqual({ invalidated: 0 });
    });

    if (ctx.capabilities.semantic) {
      it('rejects a semantic hit for the request that got it: that request misses from then on and stores its own answer, the original prompt still hits', async () => {
        const original = await stored();
        const hit = await ask({ prompt: PARAPHRASE, mode: 'semantic' });
        expect(hit).toMatchObject({ cache: 'semantic', entryId: original });

        expect(await act({ action: 'reject', entryId: original, prompt: PARAPHRASE, mode: 'semantic', namespace: ctx.namespace })).toEqual({ rejected: 1 });
        ctx.emulator.reset();

        const next = await ask({ prompt: PARAPHRASE, mode: 'semantic' });
        const after = await ask({ prompt: PARAPHRASE, mode: 'semantic' });
        const source = await ask({ prompt: PROMPT, mode: 'semantic' });

        expect(next.cache).toBe('miss');
        expect(next.semanticRejected?.reason).toBe('rejected-by-owner');
        expect(ctx.emulator.calls.converse).toBe(1);
        expect(after.cache).toBe('exact');
        expect(after.text).toBe(next.text);
        expect(after.entryId).not.toBe(original);
        expect(source).toMatchObject({ cache: 'exact', entryId: original, text: hit.text });
      });

      it('answers rejected 0 for an entry that is gone', async () => {
        const original = await stored();
        await act({ action: 'invalidate', entryId: original });

        expect(await act({ action: 'reject', entryId: original, prompt: PARAPHRASE, namespace: ctx.namespace })).toEqual({ rejected: 0 });
      });
    }
  });
}
