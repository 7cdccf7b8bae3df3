import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../lambda/core/config';
import { parseRequest } from '../../lambda/core/request';
import type { CacheRequestInput, CacheResponse } from '../../lambda/core/types';
import { indexNames } from '../../lambda/backends/redis/search/index-naming';
import { silentObserver, type CacheFault } from '../../lambda/observability/observer';
import { createRuntime, type Runtime } from '../../lambda/runtime';
import { startBedrockEmulator, type BedrockEmulator } from '../../tools/bedrock-emulator/server';
import { eventually } from '../support/reliability';
import { describeCacheContract } from './cache-contract';
import { searchClusterTarget } from './targets';

// ElastiCache for Valkey with vector search, cluster mode: CACHE_BACKEND=redis-cluster over a real
// 3-master TLS cluster with an ACL user, FT.* answered by the cluster-mode FT double.
describeCacheContract('vector search (FT.*) on a 3-master cluster (valkey-search coordinator shape), SEMANTIC_INDEX=search', { semantic: true, rawAccess: true }, () => searchClusterTarget('search'));
describeCacheContract('vector search (FT.*) on a 3-master cluster, found by FT._LIST (SEMANTIC_INDEX=auto)', { semantic: true, rawAccess: true }, () => searchClusterTarget('auto'));

describe('vector search on a 3-master cluster: the coordinator path', () => {
  let target: Awaited<ReturnType<typeof searchClusterTarget>>;
  let emulator: BedrockEmulator;
  let runtime: Runtime;
  const faults: string[] = [];
  const ask = (namespace: string, input: CacheRequestInput): Promise<CacheResponse> => runtime.cache.answer(parseRequest({ namespace, ...input }, runtime.config));

  beforeAll(async () => {
    [target, emulator] = await Promise.all([searchClusterTarget('search'), startBedrockEmulator()]);
    const config = loadConfig({ ...target.env, BEDROCK_ENDPOINT: emulator.url, AWS_REGION: 'us-east-1', CACHE_TIMEOUT_MS: '2000', CACHE_CONNECT_TIMEOUT_MS: '3000' });
    // Faults are kept so that a failed assertion says what the cache reported.
    const observer = { ...silentObserver, fault: (fault: CacheFault) => void faults.push(`${fault.operation}/${fault.reason}: ${String((fault.error as Error | undefined)?.message ?? '')}`), semanticUnavailable: (reason: string) => void faults.push(`semantic unavailable: ${reason}`) };
    runtime = createRuntime(config, { ...(await target.overrides!(config)), observer });
  });

  afterAll(async () => {
    await runtime?.close();
    await Promise.all([target?.stop(), emulator?.close()]);
  });

  /** Semantic documents on each master, read from the nodes themselves (not through the double). */
  const documentsPerMaster = async (): Promise<string[][]> => {
    const pattern = `${indexNames(runtime.config.embeddingModelId, runtime.config.embeddingDimensions).documentPrefix}*`;
    return Promise.all(
      target.search.cluster.nodes.map(async (node) => {
        const admin = node.adminClient();
        try {
          const keys: string[] = [];
          let cursor = '0';
          do {
            const [next, batch] = (await admin.call('SCAN', cursor, 'MATCH', pattern, 'COUNT', '1000', 'TYPE', 'hash')) as [string, string[]];
            keys.push(...batch);
            cursor = next;
          } while (cursor !== '0');
          return keys;
        } finally {
          admin.disconnect();
        }
      }),
    );
  };
  const searchesPerProxy = (): number[] => target.search.double.ftCalls().map((calls) => calls['FT.SEARCH'] ?? 0);

  it('stores documents on several masters and answers a semantic hit from another master than the one FT.SEARCH was sent to', async () => {
    // One document per namespace; its key's slot decides its master.
    const owners: { namespace: string; master: number }[] = [];
    for (let i = 0; i < 6; i++) {
      const namespace = `coord-${randomUUID().slice(0, 8)}`;
      const before = await documentsPerMaster();
      expect((await ask(namespace, { prompt: 'Where is Las Vegas?', mode: 'semantic' })).cache).toBe('miss');
      // The miss answers before its document is indexed (the add runs beside the response): wait for it.
      const grew = await eventually(
        async () => {
          const after = await documentsPerMaster();
          const grown = after.map((keys, master) => keys.length - before[master]!.length);
          expect({ stored: grown.reduce((sum, n) => sum + n, 0), faults }).toEqual({ stored: 1, faults: [] });
          return grown;
        },
        5000,
        20,
      );
      owners.push({ namespace, master: grew.indexOf(1) });
    }
    expect(new Set(owners.map((owner) => owner.master)).size).toBeGreaterThanOrEqual(2);

    // ioredis sends a keyless FT.SEARCH to a random master: ask until one goes to a proxy in
    // front of another master than the document's (2 chances in 3 each time).
    const { namespace, master } = owners[0]!;
    let elsewhere = 0;
    for (let attempt = 0; attempt < 30 && elsewhere === 0; attempt++) {
      const before = searchesPerProxy();
      const hit = await ask(namespace, { prompt: 'Where is Vegas?', mode: 'semantic' });
      const sentTo = searchesPerProxy().map((n, proxy) => n - before[proxy]!);

      expect(hit.cache).toBe('semantic');
      expect(hit.similarity).toBeGreaterThanOrEqual(0.9);
      // Two per lookup, sent together: the KNN prefiltered on the same-question check's TAG, and the
      // unfiltered KNN 1 that only says why a miss missed.
      expect(sentTo.reduce((sum, n) => sum + n, 0)).toBe(2);
      if (sentTo.some((n, proxy) => n > 0 && proxy !== master)) elsewhere++;
    }
    expect(elsewhere).toBe(1);
  });
});
