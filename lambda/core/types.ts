import type { SemanticCheckLevel } from '../settings/values';
import type { SemanticRejection } from '../semantic/same-question/candidate-check';
/** Shared shapes of the runtime: the public request/response contract and the model boundary. */

/**
 * A request's mode. `refresh` calls the model even when the cache holds an answer and replaces the
 * entry (and its vector); it is never a deployment's default (`CACHE_MODE` takes the other three).
 */
export type CacheMode = 'standard' | 'semantic' | 'off' | 'refresh';
/** `refresh`: a request in mode `refresh`, answered by a model call (its own or a concurrent refresh's). */
export type CacheOutcome = 'miss' | 'exact' | 'semantic' | 'bypass' | 'refresh';

/** A Converse message as callers send it in `messages`: a role and one or more text blocks. */
export interface ConverseMessageInput {
  readonly role: 'user' | 'assistant';
  readonly content: ReadonlyArray<{ readonly text: string }>;
}

/**
 * The request as callers send it (DESIGN.md "Runtime contract"): exactly one of `prompt` (a
 * single user turn) or `messages` (a conversation in Converse's shape, ending with a user turn).
 */
export interface CacheRequestInput {
  readonly prompt?: string;
  readonly messages?: ReadonlyArray<ConverseMessageInput>;
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

/** One earlier turn of a conversation: its role and its text blocks, in the caller's order. */
export interface ConversationTurn {
  readonly role: 'user' | 'assistant';
  /** The message's text blocks, each non-blank, kept separate as Converse receives them. */
  readonly content: readonly string[];
}

/**
 * The sampling setting a request sends: `temperature` or `topP`, never both (every allowed model
 * takes one of the two, see `lambda/settings/chat-models.ts`). Absent both, `temperature: 0`.
 */
export type Sampling = { readonly temperature: number; readonly topP?: undefined } | { readonly topP: number; readonly temperature?: undefined };

/** A validated request with every default filled in. */
export type CacheRequest = CacheRequestFields & Sampling;

/** Every field of a validated request but its sampling setting (`Sampling`). */
export interface CacheRequestFields {
  /** The final user turn's text: what a semantic lookup embeds. */
  readonly prompt: string;
  /**
   * The final user turn's text blocks when it has more than one (`prompt` is then their join with
   * "\n"); absent when the turn is the single block `prompt`.
   */
  readonly promptBlocks?: readonly string[];
  /**
   * Earlier turns, oldest first, alternating from `user` and ending with `assistant`; empty or
   * absent for a single prompt. They are part of the exact key and of the semantic scope.
   */
  readonly history?: readonly ConversationTurn[];
  readonly system?: string;
  readonly mode: CacheMode;
  readonly modelId: string;
  readonly maxTokens: number;
  readonly ttlSeconds: number;
  readonly threshold: number;
  /** The same-question check's level for this request (the configured one, or a stricter one it asked for). Absent: `on`. */
  readonly semanticCheck?: SemanticCheckLevel;
  readonly namespace: string;
  /**
   * When the invocation serving the request ends, on the `performance.now()` clock: Lambda's
   * `context.getRemainingTimeInMillis()` from the request's start. Bounds how long the request
   * waits for an identical request's answer, and how long a lock it holds may live. Absent outside
   * Lambda (no bound but the settings').
   */
  readonly deadline?: number;
}

/**
 * What names one cache entry: its namespace, its scope hash and the digest part of its exact key
 * (`llmcache:v1:<namespace>:<id>`, also the id of its semantic document). `entryId` in a hit's
 * response is this, encoded (`lambda/core/entry-id.ts`).
 */
export interface EntryRef { readonly namespace: string; readonly scope: string; readonly id: string }

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
  /** `unavailable` when a semantic request was served exact-only; `semanticReason` says why. */
  readonly semantic?: 'unavailable';
  /** Present with `semantic: "unavailable"`. */
  readonly semanticReason?: SemanticUnavailableReason;
  /**
   * On a miss: the nearest neighbour cleared the threshold but the same-question check rejected
   * it (README "Same-question check"): why, and its similarity.
   */
  readonly semanticRejected?: SemanticRejection;
  /** Why the cache was not used for this request (fail open), e.g. `timeout`, `circuit-open`. */
  readonly cacheSkipped?: string;
  /**
   * True when this request got its answer from an identical request in flight (in this container,
   * or another container's through the lock at the entry key) instead of calling the model. It
   * then reports `cache: "exact"`, zero `usage`, and the answer's cost as `savedUsage`.
   */
  readonly coalesced?: boolean;
  /**
   * On an answer from the cache (`exact`, `semantic`, and a coalesced `exact`): the opaque name of
   * the entry that answered, bound to its namespace. The `invalidate` and `reject` actions take it
   * (README "Taking an answer back").
   */
  readonly entryId?: string;
}

/**
 * Why a semantic request was served exact-only:
 * - `no-index`: the backend has no vector search and no client-side index is configured;
 * - `prompt-too-long`: the prompt is longer than the embedding model takes. Embedding a part of
 *   it could match another prompt that shares that part, so no semantic lookup is made and the
 *   answer is stored under its exact key only.
 */
export type SemanticUnavailableReason = 'no-index' | 'prompt-too-long';

/** The Converse request exactly as sent to Bedrock; also the input of the exact key. */
export interface ConverseRequest {
  readonly modelId: string;
  readonly system?: ReadonlyArray<{ readonly text: string }>;
  readonly messages: ReadonlyArray<{
    readonly role: 'user' | 'assistant';
    readonly content: ReadonlyArray<{ readonly text: string }>;
  }>;
  /** `toConverseRequest` sets `temperature` or `topP`, never both; the key hashes what is set. */
  readonly inferenceConfig: {
    readonly maxTokens: number;
    readonly temperature?: number;
    readonly topP?: number;
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
