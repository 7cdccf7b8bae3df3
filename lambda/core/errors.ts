/**
 * Every error this library raises. One base class, specific subclasses, the original error kept
 * as `cause`. Own errors pass through the handler untouched; foreign ones are wrapped once.
 */
export abstract class LlmCacheError extends Error {
  /** Stable machine-readable code, returned to callers as `error.code`. */
  abstract readonly code: string;
  /** Whether the same request may succeed if retried later. */
  readonly retryable: boolean = false;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The caller sent something we will not run: returned as `InvalidRequest` (HTTP 400). */
export class InvalidRequestError extends LlmCacheError {
  readonly code = 'InvalidRequest';
}

/** Environment or construction-time settings are wrong: the function cannot serve. */
export class ConfigurationError extends LlmCacheError {
  readonly code = 'ConfigurationError';
}

/** Codes a model (Bedrock) failure maps to. */
export type ModelErrorCode =
  | 'ModelThrottled'
  | 'ModelTimeout'
  | 'ModelUnavailable'
  | 'ModelAccessDenied'
  | 'ModelNotFound'
  | 'ModelValidation'
  | 'ModelError';

/** Bedrock refused or failed a call. Nothing is cached when this is raised. */
export class ModelError extends LlmCacheError {
  readonly code: ModelErrorCode;
  override readonly retryable: boolean;

  constructor(code: ModelErrorCode, message: string, options?: { cause?: unknown; retryable?: boolean }) {
    super(message, options);
    this.code = code;
    this.retryable = options?.retryable ?? (code === 'ModelThrottled' || code === 'ModelUnavailable' || code === 'ModelTimeout');
  }
}

/**
 * The cache backend failed or timed out. Never reaches a caller: the orchestration fails open
 * and reports it (`cacheSkipped` in the response, a log line and a metric).
 */
export class CacheUnavailableError extends LlmCacheError {
  readonly code = 'CacheUnavailable';
  override readonly retryable = true;
}

/** A stored entry could not be read (not JSON, unknown version, wrong scope): treated as a miss. */
export class CorruptEntryError extends LlmCacheError {
  readonly code = 'CorruptEntry';
}

/** Anything unexpected, wrapped once at the boundary. */
export class InternalError extends LlmCacheError {
  readonly code = 'InternalError';
}

/** Wraps a foreign error once; own errors pass through untouched. */
export function toLlmCacheError(error: unknown): LlmCacheError {
  if (error instanceof LlmCacheError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new InternalError(message, { cause: error });
}
