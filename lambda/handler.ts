import type { Context } from 'aws-lambda';
import { callerNamespace } from './caller-namespace';
import { toLlmCacheError, type LlmCacheError } from './core/errors';
import { parseRequest } from './core/request';
import type { CacheResponse } from './core/types';
import { httpResult, isHttpEvent, payloadOf, statusOf, type HttpResult } from './events';
import { errorLogDetails } from './observability/error-log';
import { getRuntime, type Runtime } from './runtime';

/** The error contract: returned, never thrown, for anything a caller or the model got wrong. */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly retryable?: boolean };
}

export type HandlerResult = CacheResponse | ErrorBody | HttpResult;

// Lambda init: read the config and start connecting before the first request arrives.
// A bad configuration is reported on each request instead of crashing the container.
try {
  getRuntime().warmUp();
} catch {
  // reported by handler()
}

/**
 * Lambda entry point for direct invokes and Function URL / API Gateway v2 events. Only parses
 * and formats; the work is in `LlmCache`. The caller's identity is checked before the body is read.
 */
export async function handler(event: unknown, context?: Context): Promise<HandlerResult> {
  const http = isHttpEvent(event);
  let runtime: Runtime | undefined;
  try {
    runtime = getRuntime();
    if (context) runtime.logger.addContext(context);
    const bound = callerNamespace(event, runtime.config.namespaceFrom);
    const request = parseRequest(payloadOf(event), runtime.config, bound);
    const response = await runtime.cache.answer(request);
    return http ? httpResult(200, response) : response;
  } catch (caught) {
    const error = toLlmCacheError(caught);
    report(runtime, error);
    const body = errorBody(error);
    return http ? httpResult(statusOf(error.code), body) : body;
  } finally {
    runtime?.flushMetrics();
  }
}

function errorBody(error: LlmCacheError): ErrorBody {
  const message = error.code === 'InternalError' ? 'internal error' : error.message;
  return { error: { code: error.code, message, ...(error.retryable ? { retryable: true } : {}) } };
}

/**
 * Error details go under `error`: Powertools Logger reserves `message` (and `level`, `service`,
 * `timestamp`, `sampling_rate`) and drops such keys, so a masked 500 would leave no trace.
 */
function report(runtime: Runtime | undefined, error: LlmCacheError): void {
  const details = errorLogDetails(error);
  if (error.code === 'InvalidRequest') {
    runtime?.logger.info('invalid request', { error: details });
    return;
  }
  if (error.code === 'Unauthorized') {
    runtime?.logger.warn('request refused: no caller identity', { error: details });
    return;
  }
  if (runtime) runtime.logger.error('request failed', { error: details });
  else console.error(JSON.stringify({ level: 'ERROR', message: 'request failed', error: details }));
}
