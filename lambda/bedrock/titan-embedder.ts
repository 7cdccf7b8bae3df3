/** Embeddings: Amazon Titan Text Embeddings V2 through InvokeModel. */
import { InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { DEFAULT_EMBEDDING_MODEL_ID, TITAN_V2_DIMENSIONS } from '../core/config';
import { ConfigurationError, ModelError } from '../core/errors';
import type { Embedder } from '../core/types';
import { resolveClient, type BedrockClientSource } from './clients';
import { toModelError } from './model-errors';

/**
 * Titan V2 accepts at most 8,192 tokens and 50,000 characters of input. Longer input is cut to its
 * first 50,000 characters on purpose: the embedding serves only to find similar prompts, and
 * prompts that long share their beginning or are not alike at all, so the head is a fair
 * representative; refusing would turn every long prompt into a model error instead of a cache
 * lookup. Input under 50,000 characters but over 8,192 tokens is left to Bedrock, which answers
 * ValidationException (-> ModelValidation).
 */
export const TITAN_MAX_INPUT_CHARS = 50_000;

export interface TitanEmbedderOptions {
  /** 256, 512 or 1024 (default). */
  readonly dimensions?: number;
  /** A Titan Text Embeddings V2 model id or ARN; default `amazon.titan-embed-text-v2:0`. */
  readonly modelId?: string;
}

/** Cuts `text` to `max` UTF-16 units without splitting a surrogate pair. */
export function truncateForTitan(text: string, max: number = TITAN_MAX_INPUT_CHARS): string {
  if (text.length <= max) return text;
  const cut = text.charCodeAt(max - 1);
  const end = cut >= 0xd800 && cut <= 0xdbff ? max - 1 : max;
  return text.slice(0, end);
}

export class TitanEmbedder implements Embedder {
  readonly modelId: string;
  readonly dimensions: number;

  private readonly clientSource: BedrockClientSource;

  /** `client` may be a getter, so the client is only built on the first call (lazy cold start). */
  constructor(client: BedrockClientSource, options: TitanEmbedderOptions = {}) {
    this.clientSource = client;
    this.modelId = options.modelId ?? DEFAULT_EMBEDDING_MODEL_ID;
    this.dimensions = options.dimensions ?? 1024;
    if (!this.modelId.includes('amazon.titan-embed-text-v2')) {
      throw new ConfigurationError(`TitanEmbedder needs a Titan Text Embeddings V2 model, got ${this.modelId}`);
    }
    if (!(TITAN_V2_DIMENSIONS as readonly number[]).includes(this.dimensions)) {
      throw new ConfigurationError(`Titan Text Embeddings V2 dimensions must be one of ${TITAN_V2_DIMENSIONS.join(', ')}, got ${this.dimensions}`);
    }
  }

  async embed(text: string): Promise<Float32Array> {
    const body = JSON.stringify({ inputText: truncateForTitan(text), dimensions: this.dimensions, normalize: true });
    let response;
    try {
      response = await resolveClient(this.clientSource).send(
        new InvokeModelCommand({ modelId: this.modelId, contentType: 'application/json', accept: 'application/json', body: new TextEncoder().encode(body) }),
      );
    } catch (error) {
      throw toModelError(error, `InvokeModel ${this.modelId}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(response.body));
    } catch (error) {
      throw new ModelError('ModelError', `Bedrock InvokeModel ${this.modelId} returned a body that is not JSON`, { cause: error });
    }
    const embedding = (parsed as { embedding?: unknown } | null)?.embedding;
    if (!Array.isArray(embedding) || !embedding.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw new ModelError('ModelError', `Bedrock InvokeModel ${this.modelId} returned no numeric embedding`);
    }
    if (embedding.length !== this.dimensions) {
      throw new ModelError('ModelError', `Bedrock InvokeModel ${this.modelId} returned ${embedding.length} dimensions, expected ${this.dimensions}`);
    }
    return Float32Array.from(embedding as number[]);
  }
}
