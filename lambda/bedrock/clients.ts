/**
 * The Bedrock runtime client: one per container (per endpoint/region), created on first use so a
 * cold start that is served from the cache never builds it.
 *
 * Transport: the SDK's default for this client is HTTP/2 (NodeHttp2Handler, one request per
 * session stream, sessions kept open and reused). Against an `http://` endpoint such as the local
 * emulator it speaks h2c with prior knowledge, which the emulator serves. `httpVersion: '1.1'`
 * swaps in NodeHttpHandler with keep-alive agents.
 *
 * Retries: the SDK defaults are kept on purpose (retry mode `standard`, 3 attempts, with
 * exponential backoff and jitter for throttling and 5xx; overridable by AWS_RETRY_MODE /
 * AWS_MAX_ATTEMPTS, e.g. `adaptive`). What still fails after those attempts is mapped to a
 * `ModelError` whose `retryable` tells the caller whether trying later may help.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { BedrockRuntimeClient, type BedrockRuntimeClientConfig } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { RuntimeConfig } from '../core/config';

export const DEFAULT_BEDROCK_REGION = 'us-east-1';

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
  /** `'2'` (default, the SDK's own HTTP/2 handler) or `'1.1'` (NodeHttpHandler with keep-alive). */
  readonly httpVersion?: '2' | '1.1';
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
  if (options.httpVersion === '1.1') {
    config.requestHandler = new NodeHttpHandler({
      httpAgent: new http.Agent({ keepAlive: true }),
      httpsAgent: new https.Agent({ keepAlive: true }),
    });
  }
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
