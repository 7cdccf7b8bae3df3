import type { Context } from 'aws-lambda';
import { callerErrorDetail, toLlmCacheError, type ErrorDetail } from './core/errors';
import type { CacheResponse } from './core/types';
import { httpResult, isHttpEvent, statusOf, type HttpResult } from './events';
import { initContainer, reportRequestError, requestOf } from './invocation';
import { getRuntime, type Runtime } from './runtime';

/** The error contract: returned, never thrown, for anything a caller or the model got wrong. */
export interface ErrorBody {
  readonly error: ErrorDetail;
}

export type HandlerResult = CacheResponse | ErrorBody | HttpResult;

initContainer();

/**
 * Lambda entry point for direct invokes and Function URL / API Gateway v2 events. Only parses
 * and formats; the work is in `LlmCache`. The caller's identity is checked before the body is read.
 */
export async function handler(event: unknown, context?: Context): Promise<HandlerResult> {
  const http = isHttpEvent(event);
  let runtime: Runtime | undefined;
  try {
    runtime = getRuntime();
    const request = requestOf(runtime, event, context);
    const response = await runtime.cache.answer(request);
    return http ? httpResult(200, response) : response;
  } catch (caught) {
    const error = toLlmCacheError(caught);
    reportRequestError(runtime, error);
    const body: ErrorBody = { error: callerErrorDetail(error) };
    return http ? httpResult(statusOf(error.code), body) : body;
  } finally {
    runtime?.flushMetrics();
  }
}

