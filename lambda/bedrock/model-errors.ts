/**
 * Maps Bedrock runtime failures (SDK exceptions, identified by `error.name`) to `ModelError`.
 * The original error is kept as `cause` and its full text as `logDetail` (for the log only); the
 * `message` callers see is sanitized (see ./caller-message.ts).
 */
import { ModelError, type ModelErrorCode } from '../core/errors';
import { callerMessage, sanitizeForCaller } from './caller-message';


export interface ModelErrorMapping {
  readonly code: ModelErrorCode;
  readonly retryable: boolean;
}

/** Bedrock exception name -> our code. Anything not listed is `ModelError`, not retryable. */
export const BEDROCK_ERROR_MAP: Readonly<Record<string, ModelErrorMapping>> = {
  ThrottlingException: { code: 'ModelThrottled', retryable: true },
  ServiceQuotaExceededException: { code: 'ModelThrottled', retryable: true },
  ModelTimeoutException: { code: 'ModelTimeout', retryable: true },
  ServiceUnavailableException: { code: 'ModelUnavailable', retryable: true },
  InternalServerException: { code: 'ModelUnavailable', retryable: true },
  ModelNotReadyException: { code: 'ModelUnavailable', retryable: true },
  AccessDeniedException: { code: 'ModelAccessDenied', retryable: false },
  ResourceNotFoundException: { code: 'ModelNotFound', retryable: false },
  ValidationException: { code: 'ModelValidation', retryable: false },
  ModelErrorException: { code: 'ModelError', retryable: false },
  // First use of an Anthropic model (Bedrock user guide, "Troubleshooting Amazon Bedrock API Error
  // Codes"): use case details not submitted (404), Marketplace subscription still being created
  // (403; succeeds once it completes). Whether they arrive under these names is unverified; if they
  // arrive as ResourceNotFound/AccessDenied instead, the messages below still say what to do.
  FTUFormNotFilled: { code: 'ModelAccessDenied', retryable: false },
  MPAgreementBeingCreated: { code: 'ModelAccessDenied', retryable: true },
  // Raised by the SDK's HTTP handlers rather than by Bedrock: the call never got an answer.
  TimeoutError: { code: 'ModelTimeout', retryable: true },
};

/** Node socket errors meaning Bedrock (or the emulator) could not be reached at all. */
const NETWORK_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ERR_HTTP2_STREAM_ERROR',
  'ERR_HTTP2_STREAM_CANCEL',
  'ERR_HTTP2_GOAWAY_SESSION',
  'ERR_HTTP2_SESSION_ERROR',
  'ERR_HTTP2_INVALID_SESSION',
]);

interface ErrorLike {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly code?: unknown;
  readonly cause?: unknown;
}

/**
 * Duck-typed rather than `instanceof Error`: socket errors are created by Node internals and may
 * come from another realm (e.g. a test sandbox), where `instanceof Error` is false.
 */
function asErrorLike(value: unknown): ErrorLike | undefined {
  return value !== null && typeof value === 'object' ? (value as ErrorLike) : undefined;
}

/** True when the error or one of its causes (the HTTP/2 handler wraps socket errors) is a network failure. */
function isNetworkError(error: unknown): boolean {
  let current = asErrorLike(error);
  for (let depth = 0; depth < 4 && current !== undefined; depth++) {
    if (typeof current.code === 'string' && NETWORK_ERROR_CODES.has(current.code)) return true;
    current = asErrorLike(current.cause);
  }
  return false;
}

const FALLBACK: ModelErrorMapping = { code: 'ModelError', retryable: false };
const UNREACHABLE: ModelErrorMapping = { code: 'ModelUnavailable', retryable: true };

/** Picks the mapping for any thrown value. */
export function modelErrorMappingFor(error: unknown): ModelErrorMapping {
  const name = asErrorLike(error)?.name;
  const mapped = typeof name === 'string' && Object.prototype.hasOwnProperty.call(BEDROCK_ERROR_MAP, name) ? BEDROCK_ERROR_MAP[name] : undefined;
  if (mapped) return mapped;
  return isNetworkError(error) ? UNREACHABLE : FALLBACK;
}

/**
 * Wraps a Bedrock failure once. `operation` names the call for the message, e.g.
 * `Converse us.anthropic...`. A `ModelError` passes through untouched.
 *
 * `message` (returned to callers) has no ARN, account id or access key id: access and not-found
 * errors get a fixed sentence that says what to do, the others Bedrock's text with identifiers
 * replaced. `logDetail` keeps `Bedrock <operation> failed: <name>: <original message>`.
 */
export function toModelError(error: unknown, operation: string): ModelError {
  if (error instanceof ModelError) return error;
  const { code, retryable } = modelErrorMappingFor(error);
  const like = asErrorLike(error);
  const name = typeof like?.name === 'string' ? like.name : 'Error';
  const message = typeof like?.message === 'string' ? like.message : String(error);
  const detail = `Bedrock ${operation} failed: ${name}: ${message}`;
  const safe = callerMessage(code, sanitizeForCaller(operation), name, message) ?? sanitizeForCaller(detail);
  return new ModelError(code, safe, { cause: error, retryable, detail });
}
