/** Embeddings: Amazon Titan Text Embeddings V2 through InvokeModel. */
import { InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { DEFAULT_EMBEDDING_MODEL_ID } from '../settings/values';
import { EmbeddingInputTooLongError, ModelError } from '../core/errors';
import type { Embedder } from '../core/types';
import { sanitizeForCaller } from './caller-message';
import { resolveClient, type BedrockClientSource } from './clients';
import { toModelError } from './model-errors';
import { assertTitanV2 } from './titan-model';

/**
 * Titan Text Embeddings V2 takes at most 8,192 tokens or 50,000 characters (Bedrock user guide,
 * "Amazon Titan Text Embeddings models"). Longer text is refused here, before any call, with
 * `EmbeddingInputTooLongError`: embedding only its beginning would let two prompts that share a
 * long context and differ at the end match each other at similarity 1.0. The length is counted in
 * UTF-16 units (`string.length`), never fewer than the characters Titan counts, so the check errs
 * towards refusing. Text under 50,000 characters can still exceed 8,192 tokens (English averages
 * 4.7 characters per token); Bedrock then refuses it, and that refusal becomes the same error.
 */
export const TITAN_MAX_INPUT_CHARS = 50_000;
/** Titan Text Embeddings V2's token limit (same source); counted by Bedrock, not here. */
export const TITAN_MAX_INPUT_TOKENS = 8_192;

/**
 * Bedrock's wording for input over Titan's limits, as reported by users (not in AWS documentation):
 * "400 Bad Request: Too many input tokens. Max input tokens: 8192, request input token count: N"
 * (aws-samples/amazon-bedrock-workshop#136), and the JSON-schema form "Malformed input request:
 * #/inputText: expected maxLength: 50000, actual: N" that Bedrock uses for other models' length
 * limits. Matched only on a ValidationException from this InvokeModel call.
 */
const TOO_LONG_WORDING = /too many (input )?tokens|input token count|maxLength|too long/i;

export function isInputTooLongRefusal(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  const { name, message } = error as { name?: unknown; message?: unknown };
  return name === 'ValidationException' && typeof message === 'string' && TOO_LONG_WORDING.test(message);
}

export interface TitanEmbedderOptions {
  /** 256, 512 or 1024 (default). */
  readonly dimensions?: number;
  /** A Titan Text Embeddings V2 model id or ARN; default `amazon.titan-embed-text-v2:0`. */
  readonly modelId?: string;
  /**
   * Deadline of one embedding call, per attempt. An embedding only serves a cache lookup, so it
   * gets far less than the model call's 50 s: past it the lookup fails open to the model.
   * @default EMBEDDING_REQUEST_TIMEOUT_MS (5,000)
   */
  readonly timeoutMs?: number;
}

/** Default deadline of one embedding call (Titan V2 answers in tens of milliseconds). */
export const EMBEDDING_REQUEST_TIMEOUT_MS = 5_000;

export class TitanEmbedder implements Embedder {
  readonly modelId: string;
  readonly dimensions: number;

  private readonly timeoutMs: number;
  private readonly clientSource: BedrockClientSource;

  /** `client` may be a getter, so the client is only built on the first call (lazy cold start). */
  constructor(client: BedrockClientSource, options: TitanEmbedderOptions = {}) {
    this.clientSource = client;
    this.modelId = options.modelId ?? DEFAULT_EMBEDDING_MODEL_ID;
    this.dimensions = options.dimensions ?? 1024;
    this.timeoutMs = options.timeoutMs ?? EMBEDDING_REQUEST_TIMEOUT_MS;
    assertTitanV2(this.modelId, this.dimensions);
  }

  /**
   * The whole text's embedding, or `EmbeddingInputTooLongError` when the text is longer than the
   * model takes (the caller then serves the request exact-only); never an embedding of a part.
   */
  async embed(text: string): Promise<Float32Array> {
    if (text.length > TITAN_MAX_INPUT_CHARS) {
      throw new EmbeddingInputTooLongError(
        `Text of ${text.length} characters is longer than ${sanitizeForCaller(this.modelId)} takes (${TITAN_MAX_INPUT_CHARS} characters); not embedded`,
      );
    }
    const body = JSON.stringify({ inputText: text, dimensions: this.dimensions, normalize: true });
    let response;
    try {
      response = await resolveClient(this.clientSource).send(
        new InvokeModelCommand({ modelId: this.modelId, contentType: 'application/json', accept: 'application/json', body: new TextEncoder().encode(body) }),
        { requestTimeout: this.timeoutMs },
      );
    } catch (error) {
      if (isInputTooLongRefusal(error)) {
        throw new EmbeddingInputTooLongError(
          `Bedrock refused a text of ${text.length} characters as longer than ${sanitizeForCaller(this.modelId)} takes (${TITAN_MAX_INPUT_TOKENS} tokens); not embedded`,
          { cause: error },
        );
      }
      throw toModelError(error, `InvokeModel ${this.modelId}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(response.body));
    } catch (error) {
      throw new ModelError('ModelError', `Bedrock InvokeModel ${sanitizeForCaller(this.modelId)} returned a body that is not JSON`, { cause: error });
    }
    const embedding = (parsed as { embedding?: unknown } | null)?.embedding;
    if (!Array.isArray(embedding) || !embedding.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw new ModelError('ModelError', `Bedrock InvokeModel ${sanitizeForCaller(this.modelId)} returned no numeric embedding`);
    }
    if (embedding.length !== this.dimensions) {
      throw new ModelError('ModelError', `Bedrock InvokeModel ${sanitizeForCaller(this.modelId)} returned ${embedding.length} dimensions, expected ${this.dimensions}`);
    }
    return Float32Array.from(embedding as number[]);
  }
}
