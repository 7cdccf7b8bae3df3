/** Shared shapes of the runtime: the public request/response contract and the model boundary. */

export type CacheMode = 'standard' | 'semantic' | 'off';
export type CacheOutcome = 'miss' | 'exact' | 'semantic' | 'bypass';

/** The request as callers send it (DESIGN.md "Runtime contract"); only `prompt` is required. */
export interface CacheRequestInput {
  readonly prompt: string;
  readonly system?: string;
  readonly mode?: CacheMode;
  readonly modelId?: string;
  readonly maxTokens?: number;
  readonly temperature?: number;
  readonly topP?: number;
  readonly ttlSeconds?: number;
  readonly threshold?: number;
  readonly namespace?: string;
}

/** A validated request with every default filled in. */
export interface CacheRequest {
  readonly prompt: string;
  readonly system?: string;
  readonly mode: CacheMode;
  readonly modelId: string;
  readonly maxTokens: number;
  readonly temperature: number;
  readonly topP: number;
  readonly ttlSeconds: number;
  readonly threshold: number;
  readonly namespace: string;
}

export interface TokenUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** The response contract. Optional fields appear only when they carry information. */
export interface CacheResponse {
  readonly text: string;
  readonly cache: CacheOutcome;
  readonly similarity?: number;
  readonly modelId: string;
  readonly latencyMs: number;
  /** Tokens this request consumed (zero on a hit). */
  readonly usage: TokenUsage;
  /** On a hit: the tokens the cached answer cost when it was made, i.e. what this hit saved. */
  readonly savedUsage?: TokenUsage;
  readonly stopReason?: string;
  /** `unavailable` when a semantic request was served exact-only because the backend has no vector index. */
  readonly semantic?: 'unavailable';
  /** Why the cache was not used for this request (fail open), e.g. `timeout`, `circuit-open`. */
  readonly cacheSkipped?: string;
  /** True when this request waited for an identical in-flight request instead of calling the model. */
  readonly coalesced?: boolean;
}

/** The Converse request exactly as sent to Bedrock; also the input of the exact key. */
export interface ConverseRequest {
  readonly modelId: string;
  readonly system?: ReadonlyArray<{ readonly text: string }>;
  readonly messages: ReadonlyArray<{
    readonly role: 'user' | 'assistant';
    readonly content: ReadonlyArray<{ readonly text: string }>;
  }>;
  readonly inferenceConfig: {
    readonly maxTokens: number;
    readonly temperature: number;
    readonly topP: number;
  };
  readonly additionalModelRequestFields?: Readonly<Record<string, unknown>>;
}

/** What a model call returns. */
export interface ModelAnswer {
  readonly text: string;
  /** Bedrock stop reason: `end_turn`, `stop_sequence`, `max_tokens`, `content_filtered`, ... */
  readonly stopReason: string;
  readonly usage: TokenUsage;
  readonly modelId: string;
  readonly latencyMs: number;
}

/** A chat model behind Converse. */
export interface ChatModel {
  converse(request: ConverseRequest): Promise<ModelAnswer>;
}

/** A text embedding model; vectors are unit length (normalized). */
export interface Embedder {
  readonly modelId: string;
  readonly dimensions: number;
  embed(text: string): Promise<Float32Array>;
}
