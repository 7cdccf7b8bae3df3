import type { LlmCacheError } from '../core/errors';
import { REQUEST_FIELDS } from '../core/request';

/** What the handler logs about a failed request, under the non-reserved key `error`. */
export interface ErrorLogDetails {
  readonly code: string;
  /** The full message: for a masked `InternalError` or a model error the only place it survives. */
  readonly detail: string;
  /** Name and message of the original error (a Bedrock exception keeps its full text here). */
  readonly cause?: string;
  readonly retryable?: true;
}

/** A JSON string literal, the form in which validation messages quote names and values. */
const QUOTED = /"(?:[^"\\]|\\.)*"/g;

/**
 * Details of an error for the log. Messages of errors the caller caused (`InvalidRequest`) echo
 * caller text (an unknown field's name, a refused model id or namespace); those quotes are
 * redacted to `"…"` unless they name a request field, so no caller-chosen text reaches the log.
 */
export function errorLogDetails(error: LlmCacheError): ErrorLogDetails {
  const callerCaused = error.code === 'InvalidRequest';
  const original = error.cause instanceof Error ? error.cause : undefined;
  const cause = original && (original.message === error.message ? original.name : `${original.name}: ${original.message}`);
  return {
    code: error.code,
    detail: callerCaused ? redactQuoted(error.message) : error.logDetail,
    ...(cause !== undefined && !callerCaused ? { cause } : {}),
    ...(error.retryable ? { retryable: true as const } : {}),
  };
}

function redactQuoted(message: string): string {
  return message.replace(QUOTED, (quoted) => {
    const inner = quoted.slice(1, -1);
    return REQUEST_FIELDS.has(inner) || inner.length <= 1 ? quoted : '"…"';
  });
}
