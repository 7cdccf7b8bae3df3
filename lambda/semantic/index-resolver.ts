import type { RuntimeConfig } from '../core/config';
import type { RedisProvider } from '../stores/redis-commands';
import { hasVectorSearch } from './search-capability';
import { SearchIndex } from './search-index';
import type { SemanticIndex } from './semantic-index';

/**
 * Picks the semantic index of a Redis-family backend from `SEMANTIC_INDEX`:
 * `search` uses FT.*; `auto` asks the server once (`FT._LIST`) and remembers the answer;
 * `client` and `none` have no server index yet, so semantic requests are served exact-only.
 * A failed detection is not remembered: the next request asks again.
 */
export function redisIndexResolver(
  config: Pick<RuntimeConfig, 'semanticIndex' | 'embeddingModelId' | 'embeddingDimensions'>,
  redis: RedisProvider,
): () => Promise<SemanticIndex | null> {
  const search = new SearchIndex(redis, { embeddingModelId: config.embeddingModelId, dimensions: config.embeddingDimensions });
  if (config.semanticIndex === 'search') return async () => search;
  if (config.semanticIndex !== 'auto') return async () => null;
  let detected: Promise<SemanticIndex | null> | undefined;
  return () => {
    detected ??= redis().then(hasVectorSearch).then(
      async (available) => (available ? search : null),
      (error: unknown) => {
        detected = undefined;
        throw error;
      },
    );
    return detected;
  };
}
