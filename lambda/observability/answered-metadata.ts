import type { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * Powertools' own answer to "is EMF output off?" (`POWERTOOLS_METRICS_DISABLED`, else
 * `POWERTOOLS_DEV`). `isDisabled` is declared `protected` in Powertools' typings but is a plain
 * method; asking it keeps one source of truth instead of re-reading the variables here.
 */
export function metricsDisabled(metrics: Metrics): boolean {
  return (metrics as unknown as { isDisabled(): boolean }).isDisabled();
}

/**
 * Puts an answered line into the next EMF document as metadata: `level`, `message` and
 * `timestamp` as the Powertools Logger writes them (Lambda's JSON log-level filtering reads
 * `level` and `timestamp`), then the line's own fields. CloudWatch ignores root members that no
 * metric directive names, so the metrics extracted are unchanged.
 */
export function addAnsweredMetadata(metrics: Metrics, line: Readonly<Record<string, unknown>>): void {
  const add = metadataOf(metrics);
  add('level', 'INFO');
  add('message', 'answered');
  add('timestamp', new Date().toISOString());
  for (const key in line) add(key, line[key]);
}

/**
 * Adds the invocation's request id (and X-Ray trace id when tracing is on) to its EMF document,
 * under the Logger's key names, so the answered line carried there still names its request.
 * Metadata left by a previous invocation that published nothing (a refused or invalid request)
 * is dropped first, so it never lends its ids to this one.
 */
export function addInvocationMetadata(metrics: Metrics, requestId: string, env: NodeJS.ProcessEnv = process.env): void {
  metrics.clearMetadata();
  const add = metadataOf(metrics);
  add('function_request_id', requestId);
  const traceId = xrayTraceId(env._X_AMZN_TRACE_ID);
  if (traceId !== undefined) add('xray_trace_id', traceId);
}

/**
 * `Metrics.addMetadata` is typed for strings, but Powertools stores the value as given and the
 * document carries any JSON value; numbers stay numbers, as in the Logger's line.
 */
function metadataOf(metrics: Metrics): (key: string, value: unknown) => void {
  return (key, value) => void metrics.addMetadata(key, value as string);
}

/** The `Root` of `_X_AMZN_TRACE_ID` (`Root=1-…;Parent=…;Sampled=1`), as the Logger reports it. */
export function xrayTraceId(header: string | undefined): string | undefined {
  if (header === undefined || header === '') return undefined;
  for (const field of header.split(';')) {
    if (field.startsWith('Root=')) return field.slice(5);
  }
  return header.includes('=') ? undefined : header;
}
