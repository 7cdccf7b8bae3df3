/**
 * The streaming path's behaviours, run on every backend that passes them: the runtime built from
 * env (the same wiring as the function), the real SDK's ConverseStream against the emulator.
 */
import { createBedrockRuntimeClient, EMULATOR_DUMMY_CREDENTIALS, resetBedrockRuntimeClients } from '../../../lambda/bedrock/clients';
import { BedrockStreamingChatModel } from '../../../lambda/bedrock/converse-stream-model';
import type { StreamResult } from '../../../lambda/cache/llm-cache';
import type { StreamEvent, StreamingChatModel } from '../../../lambda/cache/stream-types';
import { entryRefOfRequest } from '../../../lambda/actions/request-entry';
import { loadConfig } from '../../../lambda/core/config';
import { encodeEntryId } from '../../../lambda/core/entry-id';
import { parseRequest } from '../../../lambda/core/request';
import type { CacheRequest } from '../../../lambda/core/types';
import { silentObserver } from '../../../lambda/observability/observer';
import { createRuntime, type Runtime } from '../../../lambda/runtime';
import { CUT_AFTER_DELTAS } from '../../../tools/bedrock-emulator/converse-stream';
import { startBedrockEmulator, type BedrockEmulator } from '../../../tools/bedrock-emulator/server';
import type { ContractTarget } from '../../contract/cache-contract';

/** What the streaming scenarios need of a contract target: its env and a way to stop it. */
export type StreamTarget = Pick<ContractTarget, 'env' | 'stop'>;

/** Events written to a sink, in order. */
export async function streamed(runtime: Runtime, model: StreamingChatModel, request: CacheRequest): Promise<{ events: StreamEvent[]; result: StreamResult }> {
  const events: StreamEvent[] = [];
  const result = await runtime.cache.stream(request, { write: (event) => void events.push(event) }, model);
  return { events, result };
}

export function textOf(events: readonly StreamEvent[]): string {
  return events.map((event) => (event.type === 'delta' ? event.text : '')).join('');
}

/** `sharedStore`: two runtimes built from the same env reach one cache (two containers on one Redis). */
export function describeStreamingCache(name: string, startTarget: () => Promise<StreamTarget>, options: { sharedStore?: boolean } = {}): void {
  describe(`streaming cache on ${name}`, () => {
    let target: StreamTarget;
    let emulator: BedrockEmulator;
    let model: BedrockStreamingChatModel;
    const runtimes: Runtime[] = [];
    let namespace = 0;

    function runtime(): Runtime {
      const env = { ...target.env, BEDROCK_ENDPOINT: emulator.url, CACHE_MODE: 'standard', CACHE_LOCK_WAIT_MS: '5000' };
      const created = createRuntime(loadConfig(env), { observer: silentObserver });
      runtimes.push(created);
      return created;
    }

    /** Each test asks in its own namespace, so entries never leak between tests. */
    function ask(rt: Runtime, prompt: string, extra: Record<string, unknown> = {}): CacheRequest {
      return parseRequest({ prompt, namespace: `stream-${namespace}`, ...extra }, rt.config);
    }

    beforeAll(async () => {
      [target, emulator] = await Promise.all([startTarget(), startBedrockEmulator()]);
      model = new BedrockStreamingChatModel(createBedrockRuntimeClient({ endpoint: emulator.url, credentials: EMULATOR_DUMMY_CREDENTIALS, maxAttempts: 1 }));
    });

    beforeEach(() => {
      namespace += 1;
      emulator.reset();
      emulator.chunkDelayMs = 0;
    });

    afterAll(async () => {
      for (const rt of runtimes) await rt.close();
      resetBedrockRuntimeClients();
      await Promise.all([emulator?.close(), target?.stop()]);
    });

    it('streams a miss as start, several deltas and end, and stores it: the same request is then an exact hit replayed at once', async () => {
      const rt = runtime();
      const first = await streamed(rt, model, ask(rt, 'Where is Las Vegas?'));
      expect(first.events[0]).toEqual({ type: 'start', cache: 'miss', modelId: rt.config.modelId });
      expect(first.events.filter((event) => event.type === 'delta').length).toBeGreaterThan(2);
      const end = first.events.at(-1)!;
      expect(end).toMatchObject({ type: 'end', stopReason: 'end_turn', usage: { inputTokens: expect.any(Number), outputTokens: expect.any(Number) } });

      const second = await streamed(rt, model, ask(rt, 'Where is Las Vegas?'));
      expect(second.events.map((event) => event.type)).toEqual(['start', 'delta', 'end']);
      expect(second.events[0]).toMatchObject({ type: 'start', cache: 'exact' });
      expect(textOf(second.events)).toBe(textOf(first.events));
      expect(second.events[2]).toMatchObject({ usage: { inputTokens: 0, outputTokens: 0 }, savedUsage: (end as { usage: unknown }).usage });
      expect(emulator.calls.converseStream).toBe(1);
    });

    it('replays a semantic hit with its similarity and the id of the entry that answered in the start event', async () => {
      const rt = runtime();
      const asked = ask(rt, 'Where is Las Vegas?', { mode: 'semantic' });
      const first = await streamed(rt, model, asked);
      const second = await streamed(rt, model, ask(rt, 'Where is Vegas?', { mode: 'semantic' }));
      expect(second.events[0]).toEqual({ type: 'start', cache: 'semantic', modelId: rt.config.modelId, similarity: expect.any(Number), entryId: encodeEntryId(entryRefOfRequest(asked)) });
      expect(textOf(second.events)).toBe(textOf(first.events));
      expect(emulator.calls.converseStream).toBe(1);
    });

    it('replays an answer stored by the non-streaming path (one key for both)', async () => {
      const rt = runtime();
      const answered = await rt.cache.answer(ask(rt, 'Where is Reno?'));
      const { events } = await streamed(rt, model, ask(rt, 'Where is Reno?'));
      expect(events[0]).toMatchObject({ type: 'start', cache: 'exact', entryId: encodeEntryId(entryRefOfRequest(ask(rt, 'Where is Reno?'))) });
      expect(textOf(events)).toBe(answered.text);
      expect(emulator.calls.converseStream).toBe(0);
    });

    it('stores nothing when the model stream is cut mid-way: the caller gets the deltas, then an error event, and the next request calls the model again without waiting', async () => {
      const rt = runtime();
      const first = await streamed(rt, model, ask(rt, 'cut this [[cut]]'));
      expect(first.events.map((event) => event.type)).toEqual(['start', ...Array<string>(CUT_AFTER_DELTAS).fill('delta'), 'error']);
      expect(first.events.at(-1)).toMatchObject({ type: 'error', error: { code: 'ModelUnavailable' } });
      expect('error' in first.result).toBe(true);

      const started = performance.now();
      const second = await streamed(rt, model, ask(rt, 'cut this [[cut]]'));
      expect(second.events[0]).toMatchObject({ type: 'start', cache: 'miss' });
      expect(performance.now() - started).toBeLessThan(2000); // the lock was released, not waited out
      expect(emulator.calls.converseStream).toBe(2);
    });

    it('never stores a truncated (max_tokens) answer', async () => {
      const rt = runtime();
      const first = await streamed(rt, model, ask(rt, 'long [[max_tokens]]'));
      expect(first.events.at(-1)).toMatchObject({ type: 'end', stopReason: 'max_tokens' });
      const second = await streamed(rt, model, ask(rt, 'long [[max_tokens]]'));
      expect(second.events[0]).toMatchObject({ cache: 'miss' });
      expect(emulator.calls.converseStream).toBe(2);
    });

    it('sends an error before any start when the model refuses the call (so the HTTP status can say so)', async () => {
      const rt = runtime();
      const { events } = await streamed(rt, model, ask(rt, 'busy [[error:ThrottlingException]]'));
      expect(events).toEqual([{ type: 'error', error: { code: 'ModelThrottled', message: expect.any(String), retryable: true } }]);
    });

    it('makes one model call for 20 identical concurrent streamed misses; the 19 others replay it as coalesced exact hits', async () => {
      const rt = runtime();
      emulator.chunkDelayMs = 10;
      const runs = await Promise.all(Array.from({ length: 20 }, () => streamed(rt, model, ask(rt, 'Where is Las Vegas today?'))));
      expect(emulator.calls.converseStream).toBe(1);
      const starts = runs.map((run) => run.events[0]);
      expect(starts.filter((event) => event?.type === 'start' && event.cache === 'miss')).toHaveLength(1);
      const followers = runs.filter((run) => run.events[0]?.type === 'start' && run.events[0].cache === 'exact');
      expect(followers).toHaveLength(19);
      for (const run of followers) expect(run.events.at(-1)).toMatchObject({ type: 'end', coalesced: true, usage: { inputTokens: 0, outputTokens: 0 } });
      expect(new Set(runs.map((run) => textOf(run.events))).size).toBe(1);
    });

    it('keeps reading and stores the answer when the caller goes away mid-stream', async () => {
      const rt = runtime();
      let writes = 0;
      const gone = {
        write: () => {
          writes += 1;
          if (writes > 2) throw new Error('EPIPE: the caller closed the connection');
        },
      };
      const result = await rt.cache.stream(ask(rt, 'Where is Boise?'), gone, model);
      expect('response' in result).toBe(true);
      const { events } = await streamed(rt, model, ask(rt, 'Where is Boise?'));
      expect(events[0]).toMatchObject({ cache: 'exact' });
      expect(emulator.calls.converseStream).toBe(1);
    });

    if (options.sharedStore) {
      it('makes one model call for identical streamed misses in two containers: the lock holder streams, the other waits for its entry', async () => {
        const [a, b] = [runtime(), runtime()];
        emulator.chunkDelayMs = 10;
        const runs = await Promise.all([
          ...Array.from({ length: 5 }, () => streamed(a, model, ask(a, 'Where is Carson City?'))),
          ...Array.from({ length: 5 }, () => streamed(b, model, ask(b, 'Where is Carson City?'))),
        ]);
        expect(emulator.calls.converseStream).toBe(1);
        expect(runs.filter((run) => run.events[0]?.type === 'start' && run.events[0].cache === 'miss')).toHaveLength(1);
        expect(new Set(runs.map((run) => textOf(run.events))).size).toBe(1);
      });
    }

    it('streams a refresh as start "refresh" and the model deltas, and replaces the entry: the same request then replays the new answer', async () => {
      const rt = runtime();
      let calls = 0;
      emulator.answerFor = (prompt) => `answer ${++calls} to ${prompt}, streamed in several pieces`;
      const stored = await streamed(rt, model, ask(rt, 'Where is Ely?'));

      const refreshed = await streamed(rt, model, ask(rt, 'Where is Ely?', { mode: 'refresh' }));
      const next = await streamed(rt, model, ask(rt, 'Where is Ely?'));

      expect(textOf(stored.events)).toContain('answer 1 to');
      expect(refreshed.events[0]).toEqual({ type: 'start', cache: 'refresh', modelId: rt.config.modelId });
      expect(refreshed.events.filter((event) => event.type === 'delta').length).toBeGreaterThan(2);
      expect(refreshed.events.at(-1)).toMatchObject({ type: 'end', stopReason: 'end_turn' });
      expect(textOf(refreshed.events)).toContain('answer 2 to');
      expect(next.events[0]).toMatchObject({ type: 'start', cache: 'exact' });
      expect(textOf(next.events)).toBe(textOf(refreshed.events));
      expect(emulator.calls.converseStream).toBe(2);
    });

    it('makes one model call for identical concurrent streamed refreshes; the others replay it as coalesced refreshes', async () => {
      const rt = runtime();
      emulator.chunkDelayMs = 10;

      const runs = await Promise.all(Array.from({ length: 5 }, () => streamed(rt, model, ask(rt, 'Where is Tonopah?', { mode: 'refresh' }))));

      expect(emulator.calls.converseStream).toBe(1);
      expect(runs.every((run) => run.events[0]?.type === 'start' && run.events[0].cache === 'refresh')).toBe(true);
      const followers = runs.filter((run) => run.events.at(-1)?.type === 'end' && (run.events.at(-1) as { coalesced?: boolean }).coalesced === true);
      expect(followers).toHaveLength(4);
      for (const run of followers) expect(run.events.map((event) => event.type)).toEqual(['start', 'delta', 'end']);
      expect(new Set(runs.map((run) => textOf(run.events))).size).toBe(1);
    });

    it('streams mode "off" as a bypass and stores nothing', async () => {
      const rt = runtime();
      const first = await streamed(rt, model, ask(rt, 'Where is Elko?', { mode: 'off' }));
      expect(first.events[0]).toMatchObject({ type: 'start', cache: 'bypass' });
      const second = await streamed(rt, model, ask(rt, 'Where is Elko?'));
      expect(second.events[0]).toMatchObject({ cache: 'miss' });
    });
  });
}
