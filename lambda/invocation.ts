import type { Context } from 'aws-lambda';
import type { CacheAction } from './actions/action-types';
import { isActionPayload, parseAction } from './actions/parse-action';
import { callerNamespace } from './caller-namespace';
import { InvalidRequestError, type LlmCacheError } from './core/errors';
import { parseRequest } from './core/request';
import type { CacheRequest } from './core/types';
import { payloadOf } from './events';
import { addInvocationMetadata } from './observability/answered-metadata';
import { errorLogDetails } from './observability/error-log';
import { snapshotProcessEnv } from './env-snapshot';
import { getRuntime, type Runtime } from './runtime';

/** What an event asks for: an answer to a request, or an action (README "Taking an answer back"). */
export type Work = { readonly kind: 'request'; readonly request: CacheRequest } | { readonly kind: 'action'; readonly action: CacheAction; readonly deadline?: number };

/**
 * What both entry points (`handler.ts`, `stream-handler.ts`) do before the cache: log context
 * (and the request id in the invocation's EMF document), the caller's identity checked (and its
 * namespace bound) before the body is read, the request or action validated and given the
 * invocation's deadline. Throws `Unauthorized` or `InvalidRequest`.
 */
export function workOf(runtime: Runtime, event: unknown, context?: Context): Work {
  if (context) {
    runtime.logger.addContext(context);
    // The answered line rides in the invocation's EMF document (see PowertoolsObserver): name the request there.
    addInvocationMetadata(runtime.metrics, context.awsRequestId);
  }
  const bound = callerNamespace(event, runtime.config.namespaceFrom);
  const payload = payloadOf(event);
  // The invocation's end bounds waits on another request's answer (README "single flight"), and a purge.
  const deadline = typeof context?.getRemainingTimeInMillis === 'function' ? performance.now() + context.getRemainingTimeInMillis() : undefined;
  if (isActionPayload(payload)) {
    const action = parseAction(payload, runtime.config, bound);
    return deadline === undefined ? { kind: 'action', action } : { kind: 'action', action, deadline };
  }
  const request = parseRequest(payload, runtime.config, bound);
  return { kind: 'request', request: deadline === undefined ? request : { ...request, deadline } };
}

/** `workOf` for the streaming entry point, which answers requests only: an action is `InvalidRequest`. */
export function requestOf(runtime: Runtime, event: unknown, context?: Context): CacheRequest {
  const work = workOf(runtime, event, context);
  if (work.kind === 'action') {
    throw new InvalidRequestError('the streaming entry point answers requests only; send actions (invalidate, reject, purge) to the function\'s direct invoke or its non-streaming Function URL');
  }
  return work.request;
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
  if (error.code === 'PurgeDisabled') {
    runtime?.logger.warn('purge refused: CACHE_ALLOW_PURGE is not true', { error: details });
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
