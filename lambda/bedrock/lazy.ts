/**
 * The chat model and embedder the runtime builds: they evaluate the Bedrock module (and with it
 * the Bedrock runtime SDK, the largest share of the bundle's load time) on their first call, so
 * a container whose requests are answered from the cache never loads it. The first miss or
 * semantic lookup pays the load once per container; the model's reported `latencyMs` excludes it.
 * The embedder's model id and dimensions are still checked here, at init.
 */
import type { RuntimeConfig } from '../core/config';
import type { ChatModel, ConverseRequest, Embedder, ModelAnswer } from '../core/types';
import type { ModelStreamChunk, StreamingChatModel } from '../cache/stream-types';
import { assertTitanV2 } from './titan-model';

type BedrockModule = typeof import('./index');
type BedrockConfig = Pick<RuntimeConfig, 'bedrockEndpoint' | 'region'>;
type EmbedderConfig = BedrockConfig & Pick<RuntimeConfig, 'embeddingModelId' | 'embeddingDimensions'>;

let loading: Promise<BedrockModule> | undefined;

/** The Bedrock module, evaluated on first use; concurrent first callers share one load. */
function loadBedrock(): Promise<BedrockModule> {
  loading ??= import('./index');
  return loading;
}

/** `createChatModel(config)`, built on the first `converse`. */
export function lazyChatModel(config: BedrockConfig): ChatModel {
  let model: Promise<ChatModel> | undefined;
  return {
    async converse(request: ConverseRequest): Promise<ModelAnswer> {
      model ??= loadBedrock().then((bedrock) => bedrock.createChatModel(config));
      return (await model).converse(request);
    },
  };
}

/** `createStreamingChatModel(config)`, built on the first `converseStream`. */
export function lazyStreamingChatModel(config: BedrockConfig): StreamingChatModel {
  let model: Promise<StreamingChatModel> | undefined;
  return {
    async *converseStream(request: ConverseRequest): AsyncGenerator<ModelStreamChunk> {
      model ??= loadBedrock().then((bedrock) => bedrock.createStreamingChatModel(config));
      yield* (await model).converseStream(request);
    },
  };
}

/** `createEmbedder(config)`, built on the first `embed`; throws `ConfigurationError` now for a bad model or dimension. */
export function lazyEmbedder(config: EmbedderConfig): Embedder {
  assertTitanV2(config.embeddingModelId, config.embeddingDimensions);
  let embedder: Promise<Embedder> | undefined;
  return {
    modelId: config.embeddingModelId,
    dimensions: config.embeddingDimensions,
    async embed(text: string): Promise<Float32Array> {
      embedder ??= loadBedrock().then((bedrock) => bedrock.createEmbedder(config));
      return (await embedder).embed(text);
    },
  };
}
