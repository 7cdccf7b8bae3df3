/** What a Titan Text Embeddings V2 embedder accepts, checked without loading the Bedrock SDK. */
import { TITAN_V2_DIMENSIONS } from '../settings/values';
import { ConfigurationError } from '../core/errors';

/**
 * Throws `ConfigurationError` unless `modelId` names Titan Text Embeddings V2 and `dimensions` is
 * one it produces (256, 512 or 1024). Shared by `TitanEmbedder` and the lazily loaded embedder,
 * so a bad configuration still fails at init, before the SDK is ever evaluated.
 */
export function assertTitanV2(modelId: string, dimensions: number): void {
  if (!modelId.includes('amazon.titan-embed-text-v2')) {
    throw new ConfigurationError(`TitanEmbedder needs a Titan Text Embeddings V2 model, got ${modelId}`);
  }
  if (!(TITAN_V2_DIMENSIONS as readonly number[]).includes(dimensions)) {
    throw new ConfigurationError(`Titan Text Embeddings V2 dimensions must be one of ${TITAN_V2_DIMENSIONS.join(', ')}, got ${dimensions}`);
  }
}
