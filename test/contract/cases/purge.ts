import { randomUUID } from 'node:crypto';
import { encodeLock } from '../../../lambda/core/entry';
import { exactKey, toConverseRequest } from '../../../lambda/core/keys';
import { parseRequest } from '../../../lambda/core/request';
import { expectStored, type ContractContext } from '../cache-contract';

/**
 * `RuntimeBackend.purge`: every key of the namespace goes (exact entries, semantic documents or
 * vectors, change logs, a lock in flight, a refresh lock), another namespace keeps its entries,
 * and `entries` counts the answers removed, not the locks.
 */
export function purgeCases(ctx: ContractContext): void {
  describe('purge', () => {
    it('leaves no key of the namespace, counts its entries, and leaves another namespace as it was', async () => {
      const { runtime, namespace, capabilities } = ctx;
      const other = `${namespace}-other`;
      await ctx.ask({ prompt: 'Where is Las Vegas?', mode: 'semantic' });
      await expectStored(ctx.ask, capabilities.semantic);
      await ctx.ask({ prompt: 'How do I bake sourdough bread at home?', mode: 'standard' });
      await ctx.ask({ prompt: 'Where is Las Vegas?', mode: 'semantic', namespace: other });
      // A lock in flight (what a leader holds while it asks the model) and a refresh lock, written
      // as the runtime writes them, at keys of the namespace that hold no entry.
      const inFlight = exactKey(namespace, toConverseRequest(parseRequest({ namespace, prompt: 'Where is Reno?' }, runtime.config)));
      expect(await runtime.backend.store.setIfAbsent(inFlight, encodeLock(randomUUID()), 60_000)).toBe(true);
      await runtime.backend.store.set(`${inFlight}:refresh`, encodeLock(randomUUID()), 60_000);
      const held = ctx.target.keys ? await ctx.target.keys(`*:${namespace}:*`) : [];
      if (ctx.target.keys) expect(held.length).toBeGreaterThanOrEqual(4);
      ctx.emulator.reset();

      const result = await runtime.backend.purge(namespace);

      expect(result).toEqual({ entries: 2, keys: expect.any(Number), complete: true });
      if (ctx.target.keys) {
        expect(result.keys).toBe(held.length);
        expect(await ctx.target.keys(`*:${namespace}:*`)).toEqual([]);
      }
      expect((await ctx.ask({ prompt: 'Where is Las Vegas?', mode: 'standard' })).cache).toBe('miss');
      expect((await ctx.ask({ prompt: 'How do I bake sourdough bread at home?', mode: 'standard' })).cache).toBe('miss');
      // The lock is gone with the rest: a new request takes it at once instead of waiting on it.
      expect((await ctx.ask({ prompt: 'Where is Reno?', mode: 'standard' })).cache).toBe('miss');
      expect((await ctx.ask({ prompt: 'Where is Las Vegas?', mode: 'standard', namespace: other })).cache).toBe('exact');
      if (capabilities.semantic) {
        expect((await ctx.ask({ prompt: 'Where is Vegas?', mode: 'semantic', namespace: other })).cache).toBe('semantic');
      }
    });

    if (ctx.capabilities.semantic) {
      it('leaves no semantic document or vector behind: a paraphrase misses after a purge', async () => {
        await ctx.ask({ prompt: 'Where is Las Vegas?', mode: 'semantic' });
        await expectStored(ctx.ask, true);

        await ctx.runtime.backend.purge(ctx.namespace);

        // Semantic mode first: an exact hit would answer before the index is asked.
        expect((await ctx.ask({ prompt: 'Where is Vegas?', mode: 'semantic' })).cache).toBe('miss');
      });
    }

    it('stops at a deadline already past with complete: false, and a rerun finishes the purge', async () => {
      await ctx.ask({ prompt: 'Where is Las Vegas?', mode: 'standard' });

      const stopped = await ctx.runtime.backend.purge(ctx.namespace, performance.now() - 1);
      const rerun = await ctx.runtime.backend.purge(ctx.namespace);

      expect(stopped).toEqual({ entries: 0, keys: 0, complete: false });
      expect(rerun).toMatchObject({ entries: 1, complete: true });
      expect((await ctx.ask({ prompt: 'Where is Las Vegas?', mode: 'standard' })).cache).toBe('miss');
    });

    it('refuses a namespace the requests would refuse, before touching anything', async () => {
      await expect(ctx.runtime.backend.purge('*')).rejects.toMatchObject({ code: 'InvalidRequest' });
    });
  });
}
