import { InvalidRequestError } from './core/errors';

/** A Function URL or API Gateway HTTP API (payload 2.0) event: the request JSON is in `body`. */
export interface HttpEvent {
  readonly requestContext: { readonly http?: unknown };
  readonly body?: string | null;
  readonly isBase64Encoded?: boolean;
}

export function isHttpEvent(event: unknown): event is HttpEvent {
  if (event === null || typeof event !== 'object') return false;
  const context = (event as Record<string, unknown>).requestContext;
  return context !== null && typeof context === 'object';
}

/** The request payload carried by an event: the event itself (direct invoke) or its parsed body. */
export function payloadOf(event: unknown): unknown {
  if (!isHttpEvent(event)) return event;
  const { body, isBase64Encoded } = event;
  if (body === undefined || body === null || body === '') throw new InvalidRequestError('the request body is empty; send the request JSON');
  if (typeof body !== 'string') throw new InvalidRequestError('the request body must be a JSON string');
  const text = isBase64Encoded === true ? Buffer.from(body, 'base64').toString('utf8') : body;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new InvalidRequestError('the request body is not valid JSON');
  }
}

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  InvalidRequest: 400,
  Unauthorized: 403,
  PurgeDisabled: 403,
  CacheUnavailable: 503,
  ModelValidation: 400,
  ModelNotFound: 400,
  ModelThrottled: 429,
  ModelAccessDenied: 502,
  ModelUnavailable: 503,
  ModelTimeout: 504,
  InFlightTimeout: 504,
};

export function statusOf(code: string): number {
  return Object.hasOwn(STATUS_BY_CODE, code) ? STATUS_BY_CODE[code]! : 500;
}

export interface HttpResult {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export function httpResult(statusCode: number, payload: unknown): HttpResult {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) };
}
