/** The Bedrock boundary: chat model and embedder over the container's shared client. */
import type { RuntimeConfig } from '../core/config';
import { getBedrockRuntimeClient } from './clients';
import { BedrockChatModel } from './converse-model';
import { BedrockStreamingChatModel } from './converse-stream-model';
import { TitanEmbedder } from './titan-embedder';

export { BedrockChatModel, toConverseInput } from './converse-model';
export { BedrockStreamingChatModel } from './converse-stream-model';
export { TitanEmbedder, TITAN_MAX_INPUT_CHARS, TITAN_MAX_INPUT_TOKENS } from './titan-embedder';
export {
  createBedrockRuntimeClient,
  getBedrockRuntimeClient,
  resetBedrockRuntimeClients,
  type BedrockClientOptions,
  type BedrockClientSource,
} from './clients';
export { toModelError, BEDROCK_ERROR_MAP } from './model-errors';
export { sanitizeForCaller } from './caller-message';

type BedrockConfig = Pick<RuntimeConfig, 'bedrockEndpoint' | 'region'>;

/** The container's chat model; the client is created on its first call. */
export function createChatModel(config: BedrockConfig): BedrockChatModel {
  return new BedrockChatModel(() => getBedrockRuntimeClient(config));
}

/** The container's streaming chat model (ConverseStream) over the same shared client. */
export function createStreamingChatModel(config: BedrockConfig): BedrockStreamingChatModel {
  return new BedrockStreamingChatModel(() => getBedrockRuntimeClient(config));
}

/**
 * The container's embedder. Model id and dimensions are validated now (ConfigurationError at
 * startup); the client is created on the first call.
 */
export function createEmbedder(config: BedrockConfig & Pick<RuntimeConfig, 'embeddingModelId' | 'embeddingDimensions'>): TitanEmbedder {
  return new TitanEmbedder(() => getBedrockRuntimeClient(config), { modelId: config.embeddingModelId, dimensions: config.embeddingDimensions });
}
