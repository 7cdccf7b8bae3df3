import type { RuntimeConfig } from '../../core/config';
import type { RedisProvider } from './connection/redis-commands';
import { ClientIndex } from './client-index/client-index';
import { hasVectorSearch } from './search/search-capability';
import { SearchIndex } from './search/search-index';
import type { SemanticIndex } from '../../semantic/semantic-index';

type ResolverConfig = Pick<RuntimeConfig, 'semanticIndex' | 'embeddingModelId' | 'embeddingDimensions'> &
  Partial<Pick<RuntimeConfig, 'clientIndexMaxEntries' | 'clientIndexMaxScopes'>>;

/**
 * Picks the semantic index of a Redis-family backend from `SEMANTIC_INDEX`:
 * - `search`: FT.* on the server;
 * - `client`: vectors and a change log on the server, the search in each container's memory
 *   (servers without vector search: ElastiCache Serverless, MemoryDB);
 * - `auto`: asks the server once (`FT._LIST`) and remembers the answer: FT.* when it has vector
 *   search, the client-side index otherwise. A failed detection is not remembered: the next
 *   request asks again;
 * - `none`: no semantic index; semantic requests are served exact-only.
 * The client-side index is bounded by `clientIndexMaxEntries` (`SEMANTIC_CLIENT_MAX_ENTRIES`,
 * documents per scope, default 10,000) and `clientIndexMaxScopes` (`SEMANTIC_CLIENT_MAX_SCOPES`,
 * scopes per container, default 16).
 */
export function redisIndexResolver(config: ResolverConfig, redis: RedisProvider): () => Promise<SemanticIndex | null> {
  const model = { embeddingModelId: config.embeddingModelId, dimensions: config.embeddingDimensions };
  if (config.semanticIndex === 'none') return async () => null;
  const search = new SearchIndex(redis, model);
  if (config.semanticIndex === 'search') return async () => search;
  const client = new ClientIndex(redis, { ...model, maxEntriesPerScope: config.clientIndexMaxEntries, maxScopes: config.clientIndexMaxScopes });
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
