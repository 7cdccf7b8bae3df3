/**
 * The Bedrock runtime client: one per container (per endpoint/region), created on first use so a
 * cold start that is served from the cache never builds it.
 *
 * Transport: HTTP/1.1 with keep-alive agents (see `createBedrockRequestHandler`), so the
 * container's TCP + TLS connection to the Bedrock endpoint outlives the call and the invocation.
 * The SDK's own default for this client is NodeHttp2Handler with `disableConcurrentStreams: true`,
 * which opens an isolated HTTP/2 session, a new connection, for every call: 100 embeddings were
 * 100 connections against the local emulator before this change.
 *
 * Retries: the SDK defaults are kept on purpose (retry mode `standard`, 3 attempts, with
 * exponential backoff and jitter for throttling and 5xx; overridable by AWS_RETRY_MODE /
 * AWS_MAX_ATTEMPTS, e.g. `adaptive`). What still fails after those attempts is mapped to a
 * `ModelError` whose `retryable` tells the caller whether trying later may help.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { BedrockRuntimeClient, type BedrockRuntimeClientConfig } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttp2Handler, NodeHttpHandler } from '@smithy/node-http-handler';
import type { RuntimeConfig } from '../core/config';

export const DEFAULT_BEDROCK_REGION = 'us-east-1';

/**
 * TCP connect limit per attempt (ms). The endpoint is an interface endpoint inside the VPC, so a
 * healthy connect takes milliseconds; past 3 s the attempt fails and the SDK's retry tries a
 * new connection, all well inside the function's 60 s default timeout. Default 3000.
 */
export const BEDROCK_CONNECT_TIMEOUT_MS = 3_000;
/**
 * Whole request and response per attempt (ms), thrown as a `TimeoutError` (mapped to a retryable
 * `ModelTimeout`). Below the function's 60 s default timeout so a stalled call is answered with a
 * typed error and logged, not cut off by Lambda; a non-streaming Converse sends nothing until the
 * answer is complete, so this must cover the whole generation. A caller with a tighter budget
 * (an embedding, a streaming call) passes `requestTimeout` to `send`. Default 50000.
 */
export const BEDROCK_REQUEST_TIMEOUT_MS = 50_000;
/**
 * An idle kept-alive connection is closed after this long (ms): under the 350 s idle timeout AWS
 * documents for its stateful network paths (NAT gateway, Network Firewall, Nitro v6 conntrack), so
 * the container closes an idle socket before the network forgets it. A socket that dies anyway
 * (e.g. while the container was frozen) fails with ECONNRESET, which the SDK retries on a new
 * connection. Default 300000.
 */
export const BEDROCK_IDLE_SOCKET_TIMEOUT_MS = 300_000;
/** Connections per endpoint: the SDK's own NodeHttpHandler default. Lambda runs one request at a time. Default 50. */
export const BEDROCK_MAX_SOCKETS = 50;

/** The agent settings, one object for `http` (local emulator) and `https` (AWS), so both behave alike. */
export const BEDROCK_AGENT_OPTIONS: Readonly<http.AgentOptions> = Object.freeze({
  keepAlive: true,
  maxSockets: BEDROCK_MAX_SOCKETS,
  timeout: BEDROCK_IDLE_SOCKET_TIMEOUT_MS,
});

/**
 * Credentials used only when an endpoint override is set and the environment has none: the local
 * emulator does not verify SigV4 signatures, but the SDK refuses to send an unsigned request, so
 * local runs without an AWS account need something to sign with. Never used against AWS.
 */
export const EMULATOR_DUMMY_CREDENTIALS = Object.freeze({
  accessKeyId: 'AKIDLOCALEMULATOR',
  secretAccessKey: 'local-emulator-does-not-verify-sigv4',
});

export interface BedrockClientOptions {
  /** Endpoint override (BEDROCK_ENDPOINT), e.g. `http://127.0.0.1:4010`; AWS when absent. */
  readonly endpoint?: string;
  /** Region; `us-east-1` when absent. */
  readonly region?: string;
  /** `'1.1'` (default: keep-alive NodeHttpHandler) or `'2'` (HTTP/2, one shared session). */
  readonly httpVersion?: '2' | '1.1';
  /** Per-attempt request timeout (ms); default `BEDROCK_REQUEST_TIMEOUT_MS`. */
  readonly requestTimeoutMs?: number;
  /** Per-attempt connect timeout (ms, HTTP/1.1 only); default `BEDROCK_CONNECT_TIMEOUT_MS`. */
  readonly connectTimeoutMs?: number;
  /** SDK attempts per call (default: SDK default, 3). Tests that inject errors pass 1. */
  readonly maxAttempts?: number;
  /** Explicit credentials; otherwise the SDK chain (or the dummy ones, see above). */
  readonly credentials?: BedrockRuntimeClientConfig['credentials'];
  /** Environment consulted for credentials; default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
}

const CREDENTIAL_ENV_VARS = [
  'AWS_ACCESS_KEY_ID',
  'AWS_PROFILE',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_BEARER_TOKEN_BEDROCK',
] as const;

/** True when an endpoint override is set and the environment names no credentials source. */
export function needsDummyCredentials(endpoint: string | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  if (endpoint === undefined || endpoint === '') return false;
  return CREDENTIAL_ENV_VARS.every((name) => (env[name] ?? '') === '');
}

/**
 * The request handler: connections kept warm across calls and invocations.
 *
 * Why HTTP/1.1 keep-alive by default rather than the SDK's HTTP/2: of this client's operations only
 * InvokeModelWithBidirectionalStream streams in both directions and needs HTTP/2 (the SDK gives it
 * the event-stream and WebSocket plugins); Converse, InvokeModel and ConverseStream are plain
 * request/response operations, ConverseStream's events arriving in the response body, which
 * HTTP/1.1 carries (the same NodeHttpHandler most AWS SDK clients use). Keep-alive agents are the
 * transport the SDK documents for connection reuse, and a stale socket surfaces as ECONNRESET,
 * which the SDK retries. `'2'` keeps one pooled HTTP/2 session (`disableConcurrentStreams: false`;
 * the handler still isolates event streams that ask for it) for a future bidirectional caller.
 */
export function createBedrockRequestHandler(options: Pick<BedrockClientOptions, 'httpVersion' | 'requestTimeoutMs' | 'connectTimeoutMs'> = {}): NodeHttpHandler | NodeHttp2Handler {
  const requestTimeout = options.requestTimeoutMs ?? BEDROCK_REQUEST_TIMEOUT_MS;
  if (options.httpVersion === '2') {
    return new NodeHttp2Handler({ disableConcurrentStreams: false, requestTimeout, sessionTimeout: BEDROCK_IDLE_SOCKET_TIMEOUT_MS });
  }
  return new NodeHttpHandler({
    httpAgent: new http.Agent({ ...BEDROCK_AGENT_OPTIONS }),
    httpsAgent: new https.Agent({ ...BEDROCK_AGENT_OPTIONS }),
    connectionTimeout: options.connectTimeoutMs ?? BEDROCK_CONNECT_TIMEOUT_MS,
    requestTimeout,
    throwOnRequestTimeout: true,
  });
}

/** Builds a new client. Prefer `getBedrockRuntimeClient`, which shares one per container. */
export function createBedrockRuntimeClient(options: BedrockClientOptions = {}): BedrockRuntimeClient {
  const config: BedrockRuntimeClientConfig = {
    region: options.region ?? DEFAULT_BEDROCK_REGION,
  };
  if (options.endpoint) config.endpoint = options.endpoint;
  if (options.maxAttempts !== undefined) config.maxAttempts = options.maxAttempts;
  // Copy static credentials: the SDK annotates the object it is given (and ours is frozen).
  if (options.credentials !== undefined) config.credentials = typeof options.credentials === 'function' ? options.credentials : { ...options.credentials };
  else if (needsDummyCredentials(options.endpoint, options.env)) config.credentials = { ...EMULATOR_DUMMY_CREDENTIALS };
  config.requestHandler = createBedrockRequestHandler(options);
  return new BedrockRuntimeClient(config);
}

const clients = new Map<string, BedrockRuntimeClient>();

/** The container's client for this endpoint/region, created on first use. */
export function getBedrockRuntimeClient(config: Pick<RuntimeConfig, 'bedrockEndpoint' | 'region'>): BedrockRuntimeClient {
  const region = config.region ?? DEFAULT_BEDROCK_REGION;
  const key = `${config.bedrockEndpoint ?? ''}|${region}`;
  let client = clients.get(key);
  if (client === undefined) {
    client = createBedrockRuntimeClient({ endpoint: config.bedrockEndpoint, region });
    clients.set(key, client);
  }
  return client;
}

/** Destroys and forgets every shared client (tests, or a process shutting down). */
export function resetBedrockRuntimeClients(): void {
  for (const client of clients.values()) client.destroy();
  clients.clear();
}

/** A client, or a getter that returns one (called on every use; `getBedrockRuntimeClient` memoizes). */
export type BedrockClientSource = BedrockRuntimeClient | (() => BedrockRuntimeClient);

export function resolveClient(source: BedrockClientSource): BedrockRuntimeClient {
  return typeof source === 'function' ? source() : source;
}
