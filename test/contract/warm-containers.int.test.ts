import { randomUUID } from 'node:crypto';
import type { CacheResponse } from '../../lambda/core/types';
import { startBedrockEmulator, type BedrockEmulator } from '../../tools/bedrock-emulator/server';
import { startCluster, type RedisTestCluster } from '../../tools/redis-servers';
import { WarmProcess } from '../support/two-process/warm-process';

const STORED = 'Where is Las Vegas?';
const PARAPHRASE = 'Where is Vegas?';
/** Same scope, far from both: its lookup catches the scope up but reads no candidate's document. */
const UNRELATED = 'Convert 5 miles to kilometers';

/**
 * Two warm "containers" (two long-lived Node processes, each keeping its runtime and its
 * client-side index between requests) share one 3-master TLS cluster with an ACL user and no
 * vector search. After one of them removes an entry (the invalidate action's store and index
 * calls) or a purge deletes the scope's keys, the other no longer serves the answer on its next
 * request, and its in-memory index no longer holds the vector. The vector must go at the catch-up
 * itself (a delete record, or the lost log position), not only when a search meets it and finds its
 * document gone: so B's first request after the change is one that names no candidate.
 */
describe('warm containers after a removal or a purge (client-side index, TLS cluster)', () => {
  let cluster: RedisTestCluster;
  let emulator: BedrockEmulator;
  let a: WarmProcess | undefined;
  let b: WarmProcess | undefined;

  beforeAll(async () => {
    [cluster, emulator] = await Promise.all([startCluster(), startBedrockEmulator()]);
  });

  afterEach(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    a = undefined;
    b = undefined;
  });

  afterAll(async () => {
    await Promise.all([cluster?.stop(), emulator?.close()]);
  });

  /** Both processes warm: A stored the answer, B answered the paraphrase from it and holds its vector. */
  async function warmPair(): Promise<{ a: WarmProcess; b: WarmProcess; stored: CacheResponse; namespace: string }> {
    const namespace = `warm-${randomUUID().slice(0, 8)}`;
    const env = {
      ...cluster.env(),
      SEMANTIC_INDEX: 'client',
      CACHE_NAMESPACE: namespace,
      BEDROCK_ENDPOINT: emulator.url,
      AWS_REGION: 'us-east-1',
      CACHE_TIMEOUT_MS: '2000',
      CACHE_CONNECT_TIMEOUT_MS: '3000',
      CACHE_ALLOW_PURGE: 'true',
    };
    emulator.reset();
    a = WarmProcess.start(env);
    b = WarmProcess.start(env);
    const stored = await a.send<CacheResponse>({ ask: STORED });
    expect(stored.cache).toBe('miss');
    const found = await b.send<CacheResponse>({ ask: PARAPHRASE });
    expect(found.cache).toBe('semantic');
    expect(found.text).toBe(stored.text);
    expect(await b.send({ held: STORED })).toEqual({ held: true });
    return { a, b, stored, namespace };
  }

  it('after A removes the entry, B misses the paraphrase on its next request and its index drops the vector', async () => {
    const { a, b, stored } = await warmPair();
    const calls = emulator.calls.converse;

    expect(await a.send({ remove: STORED })).toEqual({ removed: true });
    expect(await a.send({ held: STORED })).toEqual({ held: false });
    expect((await b.send<CacheResponse>({ ask: UNRELATED })).cache).toBe('miss');
    expect(await b.send({ held: STORED })).toEqual({ held: false });
    const next = await b.send<CacheResponse>({ ask: PARAPHRASE });

    expect(next.cache).toBe('miss');
    expect(next.text).not.toBe(stored.text);
    expect(emulator.calls.converse).toBe(calls + 2);
  });

  it('after a purge deletes the scope\'s entry, document and change log, B misses on its next request and its index drops the vector', async () => {
    const { a, b, stored } = await warmPair();
    const calls = emulator.calls.converse;

    expect(await a.send({ dropScope: STORED })).toEqual({ dropped: 3 });
    expect((await b.send<CacheResponse>({ ask: UNRELATED })).cache).toBe('miss');
    expect(await b.send({ held: STORED })).toEqual({ held: false });
    const next = await b.send<CacheResponse>({ ask: PARAPHRASE });

    expect(next.cache).toBe('miss');
    expect(next.text).not.toBe(stored.text);
    expect(emulator.calls.converse).toBe(calls + 2);
  });

  it.each([
    ['the invalidate action (by the request\'s fields)', () => ({ action: 'invalidate', prompt: STORED }), { invalidated: 1 }],
    ['the purge action', (namespace: string) => ({ action: 'purge', namespace }), { purged: 1 }],
  ])('after %s in A, B misses the paraphrase on its next request and its index drops the vector', async (_name, action, answer) => {
    const { a, b, stored, namespace } = await warmPair();

    expect(await a.send({ action: action(namespace) })).toEqual(answer);
    expect((await b.send<CacheResponse>({ ask: UNRELATED })).cache).toBe('miss');
    expect(await b.send({ held: STORED })).toEqual({ held: false });
    const next = await b.send<CacheResponse>({ ask: PARAPHRASE });

    expect(next.cache).toBe('miss');
    expect(next.text).not.toBe(stored.text);
  });
});
