/**
 * Every error this library raises. One base class, specific subclasses, the original error kept
 * as `cause`. Own errors pass through the handler untouched; foreign ones are wrapped once.
 */
export abstract class LlmCacheError extends Error {
  /**
   * `instanceof` also recognises an error made by another copy of this module: the Bedrock and
   * Redis modules are loaded on first use (cold start), and a test that swapped its module registry
   * in between (jest `isolateModules`) gets them, and their error classes, from another registry.
   * Such an error carries the brand below and is matched by class name along its prototype chain.
   * Within one copy (the bundle) the ordinary prototype check answers first.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    if (typeof value !== 'object' || value === null || !(BRAND in value)) return false;
    for (let proto: unknown = Object.getPrototypeOf(value); proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
      if ((proto as { constructor?: { name?: string } }).constructor?.name === this.name) return true;
    }
    return false;
  }

  /** Stable machine-readable code, returned to callers as `error.code`. */
  abstract readonly code: string;
  /** Whether the same request may succeed if retried later. */
  readonly retryable: boolean = false;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }

  /**
   * The full description for the log, never for the caller. Defaults to `message`; a `ModelError`
   * keeps Bedrock's original text here (which may name account ids and role ARNs) while its
   * `message` is sanitized.
   */
  get logDetail(): string {
    return this.message;
  }
}

/** Shared by every copy of this module (`Symbol.for`), on the base class's prototype. */
const BRAND = Symbol.for('bedrock-llm-cache.LlmCacheError');
Object.defineProperty(LlmCacheError.prototype, BRAND, { value: true });

/** The caller sent something we will not run: returned as `InvalidRequest` (HTTP 400). */
export class InvalidRequestError extends LlmCacheError {
  readonly code = 'InvalidRequest';
}

/**
 * The function binds namespaces to callers (`NAMESPACE_FROM`) and this HTTP event carries no
 * usable identity: returned as `Unauthorized` (HTTP 403). Never names the identity it looked for.
 */
export class UnauthorizedError extends LlmCacheError {
  readonly code = 'Unauthorized';
}

/**
 * A `purge` action while the deployment does not allow purges (`CACHE_ALLOW_PURGE` is not `true`):
 * returned as `PurgeDisabled` (HTTP 403). Nothing was removed.
 */
export class PurgeDisabledError extends LlmCacheError {
  readonly code = 'PurgeDisabled';
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

/**
 * Bedrock refused or failed a call. Nothing is cached when this is raised. `message` is safe to
 * return to callers; `detail` (read through `logDetail`) is the unsanitized text for the log.
 */
export class ModelError extends LlmCacheError {
  readonly code: ModelErrorCode;
  override readonly retryable: boolean;
  private readonly detail: string | undefined;

  constructor(code: ModelErrorCode, message: string, options?: { cause?: unknown; retryable?: boolean; detail?: string }) {
    super(message, options);
    this.code = code;
    this.retryable = options?.retryable ?? (code === 'ModelThrottled' || code === 'ModelUnavailable' || code === 'ModelTimeout');
    this.detail = options?.detail;
  }

  override get logDetail(): string {
    return this.detail ?? this.message;
  }
}

/**
 * The cache backend failed or timed out. Never reaches a caller of a request: the orchestration
 * fails open and reports it (`cacheSkipped` in the response, a log line and a metric). An action
 * (invalidate, reject, purge) has nothing to fall back on and returns it (HTTP 503, retryable;
 * every action is idempotent), its message naming the step that failed and why.
 */
export class CacheUnavailableError extends LlmCacheError {
  readonly code = 'CacheUnavailable';
  override readonly retryable = true;
}

/**
 * The text is longer than the embedding model takes. Raised before any call, or when Bedrock
 * says so: the request is then served exact-only (never matched on a prefix of its prompt).
 */
export class EmbeddingInputTooLongError extends LlmCacheError {
  readonly code = 'EmbeddingInputTooLong';
}

/**
 * An identical request was still being answered (its holder kept the single-flight lock alive)
 * when this request's invocation was about to end: answered instead of a Lambda timeout, and
 * instead of a second model call that could not finish in time (HTTP 504, retryable). A retry
 * shortly after is answered from the cache.
 */
export class InFlightTimeoutError extends LlmCacheError {
  readonly code = 'InFlightTimeout';
  override readonly retryable = true;
}

/**
 * The caller's response stream takes no more writes (streaming): the caller went away or the
 * stream failed. Never sent (there is no one to send it to); the stream's sink drops later
 * events, and the answer is still read to its end and stored.
 */
export class ResponseClosedError extends LlmCacheError {
  readonly code = 'ResponseClosed';

  constructor() {
    super('the response stream is closed: the caller went away or the stream failed');
  }
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

/** What a caller is told of an error: its code, its message, and whether to retry. */
export interface ErrorDetail {
  readonly code: string;
  readonly message: string;
  readonly retryable?: boolean;
}

/** The error contract's detail; an internal error's text never leaves the function. */
export function callerErrorDetail(error: LlmCacheError): ErrorDetail {
  const message = error.code === 'InternalError' ? 'internal error' : error.message;
  return { code: error.code, message, ...(error.retryable ? { retryable: true } : {}) };
}
