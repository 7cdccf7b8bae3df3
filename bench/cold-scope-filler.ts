import Redis from 'ioredis';
import { ClientIndex } from '../lambda/backends/redis/client-index/client-index';
import { namespaceOfKey } from '../lambda/core/key-layout';
import { SHARED_SETTINGS } from '../lambda/settings/table';
import { unitVectors } from './semantic';

/** A stored answer's entry text: what the filler documents carry (never matched: their vectors are random). */
const FILLER_ENTRY = JSON.stringify({ v: 1, text: 'filler', modelId: 'bench', stopReason: 'end_turn', createdAt: 0 });

/** The scope of the one client-index change log on the server (the writer's), from its key `...:{<scope>}:log`. */
export function scopeOfLogKey(key: string): string | undefined {
  return /\{([^}]+)\}:log$/.exec(key)?.[1];
}

/**
 * Fills the scope of the answer the writer stored up to `entries` documents (random unit vectors,
 * far from any prompt), as the deployed runtime's client-side index would hold them: a cold
 * container's first request in that scope then reads the whole log (its bootstrap) before it can
 * search. `port`/`password`: the standalone server.
 */
export async function fillWriterScope(port: number, password: string, entries: number): Promise<void> {
  const client = new Redis({ host: '127.0.0.1', port, password, lazyConnect: true });
  try {
    await client.connect();
    const logs = await client.keys('llmcache:cv:*:log');
    const scope = logs.length === 1 ? scopeOfLogKey(logs[0]!) : undefined;
    const namespace = logs.length === 1 ? namespaceOfKey(logs[0]!) : undefined;
    if (scope === undefined || namespace === undefined) throw new Error(`expected the writer's one change log, found ${logs.join(', ') || 'none'}`);
    const dimensions = SHARED_SETTINGS.embeddingDimensions.default;
    const index = new ClientIndex(async () => client, { embeddingModelId: SHARED_SETTINGS.embeddingModelId.default, dimensions });
    const vectors = unitVectors(entries - 1, dimensions, 7);
    for (let i = 0; i < vectors.length; i += 100) {
      await Promise.all(vectors.slice(i, i + 100).map((vector, j) => index.add({ scope, id: `filler-${i + j}`, namespace, vector, entry: FILLER_ENTRY, ttlMs: 3_600_000 })));
    }
  } finally {
    client.disconnect();
  }
}
