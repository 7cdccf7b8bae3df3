import type { RuntimeConfig } from '../core/config';
import { envNumber, type Env } from '../core/env';
import type { RedisProvider } from '../stores/redis-commands';
import { ClientIndex, DEFAULT_CLIENT_MAX_ENTRIES, DEFAULT_CLIENT_MAX_SCOPES } from './client-index';
import { hasVectorSearch } from './search-capability';
import { SearchIndex } from './search-index';
import type { SemanticIndex } from './semantic-index';

/**
 * Picks the semantic index of a Redis-family backend from `SEMANTIC_INDEX`:
 * - `search`: FT.* on the server;
 * - `client`: vectors and a change log on the server, the search in each container's memory
 *   (servers without vector search: ElastiCache Serverless, MemoryDB);
 * - `auto`: asks the server once (`FT._LIST`) and remembers the answer: FT.* when it has vector
 *   search, the client-side index otherwise. A failed detection is not remembered: the next
 *   request asks again;
 * - `none`: no semantic index; semantic requests are served exact-only.
 * The client-side index reads `SEMANTIC_CLIENT_MAX_ENTRIES` (documents per scope, default 10,000)
 * and `SEMANTIC_CLIENT_MAX_SCOPES` (scopes per container, default 16).
 */
export function redisIndexResolver(
  config: Pick<RuntimeConfig, 'semanticIndex' | 'embeddingModelId' | 'embeddingDimensions'>,
  redis: RedisProvider,
  env: Env = process.env,
): () => Promise<SemanticIndex | null> {
  const model = { embeddingModelId: config.embeddingModelId, dimensions: config.embeddingDimensions };
  if (config.semanticIndex === 'none') return async () => null;
  const search = new SearchIndex(redis, model);
  if (config.semanticIndex === 'search') return async () => search;
  const client = new ClientIndex(redis, {
    ...model,
    maxEntriesPerScope: envNumber(env, 'SEMANTIC_CLIENT_MAX_ENTRIES', DEFAULT_CLIENT_MAX_ENTRIES, { integer: true, min: 1 }),
    maxScopes: envNumber(env, 'SEMANTIC_CLIENT_MAX_SCOPES', DEFAULT_CLIENT_MAX_SCOPES, { integer: true, min: 1 }),
  });
  if (config.semanticIndex === 'client') return async () => client;
  let detected: Promise<SemanticIndex | null> | undefined;
  return () => {
    detected ??= redis().then(hasVectorSearch).then(
      async (available) => (available ? search : client),
      (error: unknown) => {
        detected = undefined;
        throw error;
      },
    );
    return detected;
  };
}
