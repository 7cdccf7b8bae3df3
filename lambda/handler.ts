import type { Context } from 'aws-lambda';
import type { ActionResult } from './actions/action-types';
import { callerErrorDetail, toLlmCacheError, type ErrorDetail } from './core/errors';
import type { CacheResponse } from './core/types';
import { httpResult, isHttpEvent, statusOf, type HttpResult } from './events';
import { initContainer, reportRequestError, workOf } from './invocation';
import { getRuntime, type Runtime } from './runtime';

/** The error contract: returned, never thrown, for anything a caller or the model got wrong. */
export interface ErrorBody {
  readonly error: ErrorDetail;
}

export type HandlerResult = CacheResponse | ActionResult | ErrorBody | HttpResult;

initContainer();

/**
 * Lambda entry point for direct invokes and Function URL / API Gateway v2 events: requests, and
 * the actions that take answers back. Only parses and formats; the work is in `LlmCache` and
 * `CacheActions`. The caller's identity is checked before the body is read.
 */
export async function handler(event: unknown, context?: Context): Promise<HandlerResult> {
  const http = isHttpEvent(event);
  let runtime: Runtime | undefined;
  try {
    runtime = getRuntime();
    const work = workOf(runtime, event, context);
    const response = work.kind === 'request' ? await runtime.cache.answer(work.request) : await runtime.actions.perform(work.action, work.deadline);
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

