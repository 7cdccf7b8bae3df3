import type { Context } from 'aws-lambda';
import { callerNamespace } from './caller-namespace';
import type { LlmCacheError } from './core/errors';
import { parseRequest } from './core/request';
import type { CacheRequest } from './core/types';
import { payloadOf } from './events';
import { addInvocationMetadata } from './observability/answered-metadata';
import { errorLogDetails } from './observability/error-log';
import { snapshotProcessEnv } from './env-snapshot';
import { getRuntime, type Runtime } from './runtime';

/**
 * What both entry points (`handler.ts`, `stream-handler.ts`) do before the cache: log context
 * (and the request id in the invocation's EMF document), the caller's identity checked (and its
 * namespace bound) before the body is read, the request validated and given the invocation's
 * deadline. Throws `Unauthorized` or `InvalidRequest`.
 */
export function requestOf(runtime: Runtime, event: unknown, context?: Context): CacheRequest {
  if (context) {
    runtime.logger.addContext(context);
    // The answered line rides in the invocation's EMF document (see PowertoolsObserver): name the request there.
    addInvocationMetadata(runtime.metrics, context.awsRequestId);
  }
  const bound = callerNamespace(event, runtime.config.namespaceFrom);
  const request = parseRequest(payloadOf(event), runtime.config, bound);
  // The invocation's end bounds waits on another request's answer (README "single flight").
  return typeof context?.getRemainingTimeInMillis === 'function' ? { ...request, deadline: performance.now() + context.getRemainingTimeInMillis() } : request;
}

/**
 * Logs a request that failed. Details go under `error`: Powertools Logger reserves `message` (and
 * `level`, `service`, `timestamp`, `sampling_rate`) and drops such keys, so a masked 500 would
 * leave no trace. Bad input is info, a missing identity a warning, anything else an error.
 */
export function reportRequestError(runtime: Runtime | undefined, error: LlmCacheError): void {
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

/**
 * Lambda init, for both entry points: a plain-object environment (see env-snapshot.ts: Powertools
 * reads it about 40 times per invocation), then read the config and start connecting before the
 * first request arrives. A bad configuration is reported on each request instead of crashing the
 * container.
 */
export function initContainer(): void {
  snapshotProcessEnv();
  try {
    getRuntime().warmUp();
  } catch {
    // reported by the handler, on each request
  }
}
