import { createRequire } from 'node:module';
import { join, sep } from 'node:path';
import type { Context } from 'aws-lambda';
import { PROJECT_ROOT } from '../lib/function/bundling';
import { METRICS_DEFAULTS } from '../lambda/observability/metric-names';
import { OutputSink } from './output-sink';
import type { HitVariant } from './variants';

/**
 * The environment Lambda and the stack give the function, over the bench's server: Powertools as
 * deployed (`lib/function/runtime-environment.ts` sets only the service name, there the stack's
 * name, and the namespace, so the log level is Powertools' default, INFO, and metrics are on),
 * plus the variables the Lambda runtime defines for every function.
 */
export function handlerEnvironment(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    ...base,
    POWERTOOLS_SERVICE_NAME: METRICS_DEFAULTS.serviceName,
    POWERTOOLS_METRICS_NAMESPACE: METRICS_DEFAULTS.namespace,
    POWERTOOLS_LOG_LEVEL: 'INFO',
    POWERTOOLS_METRICS_DISABLED: 'false',
    AWS_LAMBDA_FUNCTION_NAME: 'LlmCache-Bench-CacheFunction',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
    AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/LlmCache-Bench-CacheFunction',
    AWS_LAMBDA_LOG_STREAM_NAME: '2026/11/28/[$LATEST]0123456789abcdef0123456789abcdef',
  };
}

/**
 * The same environment with the handler's output switched off by Powertools' own settings: logs
 * at WARN (no answered line) and metrics disabled (no EMF document). The row it runs shows what
 * the handler costs without its per-request output, so the output's own cost is the difference.
 */
function quietHandlerEnvironment(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...handlerEnvironment(base), POWERTOOLS_LOG_LEVEL: 'WARN', POWERTOOLS_METRICS_DISABLED: 'true' };
}

/** What the Lambda runtime passes as `context` (a new request id per invocation). */
function lambdaContext(requestId: string): Context {
  const fail = (): never => {
    throw new Error('deprecated context method called');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'LlmCache-Bench-CacheFunction',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:LlmCache-Bench-CacheFunction',
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: '/aws/lambda/LlmCache-Bench-CacheFunction',
    logStreamName: '2026/11/28/[$LATEST]0123456789abcdef0123456789abcdef',
    getRemainingTimeInMillis: () => 30_000,
    done: fail,
    fail,
    succeed: fail,
  };
}

/**
 * A Function URL event (payload format 2.0, the shape of "Invoking Lambda function URLs",
 * Request payload) carrying the request JSON as its body, as a browser-less client would send it.
 */
export function functionUrlEvent(request: object): object {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/',
    rawQueryString: '',
    headers: {
      'content-type': 'application/json',
      host: 'abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws',
      'user-agent': 'bench/1.0',
      'x-amzn-trace-id': 'Root=1-6747a0f0-0123456789abcdef01234567',
      'x-forwarded-for': '203.0.113.10',
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
    },
    requestContext: {
      accountId: 'anonymous',
      apiId: 'abcdefghijklmnopqrstuvwxyz012345',
      domainName: 'abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws',
      domainPrefix: 'abcdefghijklmnopqrstuvwxyz012345',
      http: { method: 'POST', path: '/', protocol: 'HTTP/1.1', sourceIp: '203.0.113.10', userAgent: 'bench/1.0' },
      requestId: 'c4b0e1b2-1111-4222-8333-944445555666',
      routeKey: '$default',
      stage: '$default',
      time: '28/Nov/2026:08:00:00 +0000',
      timeEpoch: 1795852800000,
    },
    body: JSON.stringify(request),
    isBase64Encoded: false,
  };
}

type Handler = (event: unknown, context?: Context) => Promise<unknown>;

export interface HandlerHits {
  /** Direct invoke: the request JSON is the event. */
  readonly direct: HitVariant;
  /** Function URL: the same request in an HTTP event's body, answered with a status code. */
  readonly functionUrl: HitVariant;
  readonly sink: OutputSink;
  /** Writes the first (validation) invoke made to stdout: its log line and EMF document, at least. */
  readonly firstInvokeWrites: number;
  /** Handler invocations so far (every one's output went to `sink`). */
  readonly invocations: number;
  close(): Promise<void>;
}

/**
 * Sets `env` on `process.env` for the duration of `run`, then restores the previous values on that
 * same object and makes it `process.env` again. Returns what `process.env` was when `run` ended:
 * the handler replaces it with a plain-object copy at load (`lambda/env-snapshot.ts`), and that
 * copy is the environment its invocations see in Lambda.
 */
async function withEnv<T>(env: NodeJS.ProcessEnv, run: () => Promise<T>): Promise<{ result: T; handlerEnv: NodeJS.ProcessEnv }> {
  const original = process.env;
  const previous = new Map<string, string | undefined>();
  for (const [name, value] of Object.entries(env)) {
    previous.set(name, original[name]);
    if (value === undefined) delete original[name];
    else original[name] = value;
  }
  try {
    const result = await run();
    return { result, handlerEnv: process.env };
  } finally {
    process.env = original;
    for (const [name, value] of previous) {
      if (value === undefined) delete original[name];
      else original[name] = value;
    }
  }
}

/** Every module under `lambda/`: a fresh handler copy re-evaluates all of them. */
const LAMBDA_DIR = join(PROJECT_ROOT, 'lambda') + sep;
const loadModule = createRequire(__filename);

/**
 * Loads a fresh copy of `lambda/handler.ts` and of everything it loads from `lambda/`, as a new
 * Lambda container would: module init reads `process.env` once, and the runtime (config, Powertools,
 * Redis connection) belongs to that copy. Two copies with different settings can then run side by
 * side in one process. Packages under `node_modules` are shared, as they hold no per-function state.
 * Under jest (the bench's own tests), whose module registry is not `require.cache`, a copy is
 * loaded in `jest.isolateModules` instead.
 */
function freshHandler(): LoadedCopy {
  // The copy's own runtime module too (loaded with the handler, so the same instance), to close it.
  const load = (): LoadedCopy => ({
    handler: (loadModule('../lambda/handler') as { handler: Handler }).handler,
    runtime: (loadModule('../lambda/runtime') as { getRuntime: () => { close(): Promise<void> } }).getRuntime,
  });
  if (typeof jest !== 'undefined') {
    let copy: LoadedCopy | undefined;
    jest.isolateModules(() => {
      copy = load();
    });
    return copy!;
  }
  // Only `npm run bench` takes this path; its quiet row then checks that the copy is really its own
  // (no output at INFO-off settings while the other copy writes).
  for (const id of Object.keys(require.cache)) if (id.startsWith(LAMBDA_DIR)) delete require.cache[id];
  return load();
}

/** A loaded handler copy: its entry point and its own container runtime (for closing its connection). */
interface LoadedCopy {
  readonly handler: Handler;
  readonly runtime: () => { close(): Promise<void> };
}

/** A loaded handler copy as the bench drives it: its own sink, invocation count and environment. */
interface LoadedHandler {
  readonly handler: Handler;
  readonly sink: OutputSink;
  /** What its first invocation wrote. */
  readonly lines: string[];
  /** The next invocation's context (a new request id each time). */
  nextContext(): Context;
  readonly invocations: () => number;
  /** `begin`/`end` of its rows. */
  readonly block: Pick<HitVariant, 'begin' | 'end'>;
  /** Closes the sink and the copy's Redis connection. */
  close(): Promise<void>;
}

/**
 * Loads a fresh handler under `env` and invokes it once with `request` while its sink captures
 * the output. The environment stays in place through that invocation, so a runtime built lazily on
 * first use sees it too; then the bench process gets its own environment back. Throws unless the
 * invocation was an exact hit.
 */
async function loadAndInvokeOnce(env: NodeJS.ProcessEnv, request: object): Promise<LoadedHandler> {
  const sink = new OutputSink();
  let requests = 0;
  const nextContext = (): Context => lambdaContext(requestIdOf((requests += 1)));
  const { result, handlerEnv } = await withEnv(env, async () => {
    const { handler, runtime } = freshHandler();
    sink.capture = true;
    sink.begin();
    let first: unknown;
    try {
      first = await handler({ ...request }, nextContext());
    } finally {
      sink.end();
      sink.capture = false;
    }
    if ((first as { cache?: unknown }).cache !== 'exact') throw new Error(`handler row: expected an exact hit, got ${JSON.stringify(first).slice(0, 300)}`);
    return { handler, runtime, lines: sink.captured.splice(0) };
  });
  return {
    handler: result.handler,
    sink,
    lines: result.lines,
    nextContext,
    invocations: () => requests,
    block: handlerBlock(handlerEnv, sink),
    close: async () => {
      sink.close();
      await result.runtime().close();
    },
  };
}

/** A direct-invoke row: a fresh event object per call, as the runtime delivers one per invoke (parsing the invoke's JSON is the runtime's work, not the handler's, so it is not timed here). */
function directVariant(id: 'handler' | 'handler-quiet', label: string, handler: Handler, request: object, nextContext: () => Context, block: Pick<HitVariant, 'begin' | 'end'>): HitVariant {
  return {
    id,
    label,
    ...block,
    async hit() {
      const response = (await handler({ ...request }, nextContext())) as { cache?: string; text?: string };
      if (response.cache !== 'exact') throw new Error(`${id}: expected an exact hit, got ${String(response.cache)}`);
      return response.text!;
    },
  };
}

/** `begin`/`end` of a handler row: its own environment (as in Lambda, where it is the process's for good) and stdout into `sink`. */
function handlerBlock(handlerEnv: NodeJS.ProcessEnv, sink: OutputSink): Pick<HitVariant, 'begin' | 'end'> {
  let benchEnv: NodeJS.ProcessEnv | undefined;
  return {
    begin: () => {
      benchEnv = process.env;
      process.env = handlerEnv;
      sink.begin();
    },
    end: () => {
      sink.end();
      if (benchEnv !== undefined) process.env = benchEnv;
      benchEnv = undefined;
    },
  };
}

function requestIdOf(n: number): string {
  return `bench-${n.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;
}

/**
 * Loads `lambda/handler.ts` as Lambda does, with logs at INFO and metrics on, and returns it as two
 * bench variants. Throws unless its first invocation is an exact hit that wrote an INFO log line
 * and an EMF document to the sink: this row must carry the output (its quiet twin is `handler-quiet`).
 */
export async function prepareHandlerHits(env: NodeJS.ProcessEnv, request: object): Promise<HandlerHits> {
  const { handler, sink, lines, nextContext, invocations, block, close } = await loadAndInvokeOnce(env, request);
  const logLine = lines.find((line) => line.includes('"answered"'));
  if (logLine === undefined || !logLine.includes('INFO')) throw new Error(`handler row: no INFO "answered" log line was written (got ${lines.length} writes)`);
  if (!lines.some((line) => line.includes('"_aws"') && line.includes('CloudWatchMetrics'))) throw new Error('handler row: no EMF document was written; metrics are off');
  const urlEvent = functionUrlEvent(request);
  return {
    sink,
    firstInvokeWrites: lines.length,
    get invocations() {
      return invocations();
    },
    close,
    direct: directVariant('handler', 'handler: direct invoke, logs + EMF on', handler, request, nextContext, block),
    functionUrl: {
      id: 'handler-url',
      label: 'handler: Function URL event, logs + EMF on',
      ...block,
      async hit() {
        const response = (await handler({ ...urlEvent }, nextContext())) as { statusCode?: number; body?: string };
        if (response.statusCode !== 200) throw new Error(`handler (Function URL): status ${String(response.statusCode)}`);
        const parsed = JSON.parse(response.body!) as { cache?: string; text?: string };
        if (parsed.cache !== 'exact') throw new Error(`handler (Function URL): expected an exact hit, got ${String(parsed.cache)}`);
        return parsed.text!;
      },
    },
  };
}

/** The handler with its output off: a second container's copy, its own sink. */
export interface QuietHandlerHit {
  readonly variant: HitVariant;
  /** Must stay at 0 writes: the row measures the handler without its output. */
  readonly sink: OutputSink;
  close(): Promise<void>;
}

/**
 * A fresh handler copy under `quietHandlerEnvironment(base)`, as the row `handler-quiet`: the same
 * direct invoke as `handler`, with no answered line and no EMF document. Throws when its first
 * invocation writes anything (then it would not be the handler without its output).
 */
export async function prepareQuietHandlerHit(base: NodeJS.ProcessEnv, request: object): Promise<QuietHandlerHit> {
  const { handler, sink, lines, nextContext, block, close } = await loadAndInvokeOnce(quietHandlerEnvironment(base), request);
  if (lines.length > 0) throw new Error(`quiet handler row: expected no output, got ${lines.length} write(s): ${lines[0]!.slice(0, 200)}`);
  return { sink, close, variant: directVariant('handler-quiet', 'handler: direct invoke, logs at WARN + metrics off', handler, request, nextContext, block) };
}
