/**
 * `npm run invoke -- <backend> --stream "prompt"`: POSTs the request to the stack's streaming
 * Function URL (output `StreamUrl`, present with `-c streaming=true`), signed with SigV4 for the
 * service `lambda` (the URL's `AWS_IAM` auth), and hands each NDJSON event to a callback as it
 * arrives.
 */
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { Hash } from '@smithy/core/serde';
import { SignatureV4 } from '@smithy/signature-v4';
import { OUTPUT_NAMES } from '../lib/stacks/llm-cache-stack';
import { STREAM_CONTENT_TYPE } from '../lambda/cache/stream-types';
import { InvokeError, stackOutput } from './invoke-client';
import { ndjsonEvents } from './stream-events';

/** `https://<url-id>.lambda-url.<region>.on.aws/`: the region a Function URL's signature names. */
const FUNCTION_URL_HOST = /^[a-z0-9]+\.lambda-url\.([a-z0-9-]+)\.on\.aws$/;

export interface SigningOptions {
  /** Static credentials or a provider (the default chain's). */
  readonly credentials: ConstructorParameters<typeof SignatureV4>[0]['credentials'];
  /** Used when the URL is not a `lambda-url.<region>.on.aws` host (a test server). */
  readonly region: string;
  /** Signing time; now by default. */
  readonly signingDate?: Date;
}

/** Reads the streaming function's URL from the backend stack's `StreamUrl` output. */
export async function findStreamUrl(cloudFormation: CloudFormationClient, backend: string): Promise<string> {
  return (await stackOutput(cloudFormation, backend, OUTPUT_NAMES.streamUrl, 'deploy it with -c streaming=true')).value;
}

/** The headers of a SigV4-signed POST of `body` to `url` (service `lambda`). */
export async function signedHeaders(url: URL, body: string, options: SigningOptions): Promise<Record<string, string>> {
  const region = FUNCTION_URL_HOST.exec(url.hostname)?.[1] ?? options.region;
  const signer = new SignatureV4({ service: 'lambda', region, credentials: options.credentials, sha256: Hash.bind(null, 'sha256') });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { host: url.host, 'content-type': 'application/json' },
      body,
    },
    options.signingDate ? { signingDate: options.signingDate } : {},
  );
  return signed.headers;
}

/**
 * What a 403 from the Function URL usually means: Lambda requires both actions for function URLs
 * created since October 2025 ("Control access to Lambda function URLs").
 */
export const FORBIDDEN_HINT =
  'The caller needs lambda:InvokeFunctionUrl and lambda:InvokeFunction on the streaming function (both are required for function URLs created since October 2025; the stack output TenantPolicyArn grants both, the second only through the URL), and credentials for the function\'s account and region.';

/**
 * Sends the signed request and calls `onEvent` for each event line as it arrives. Returns the
 * HTTP status. A non-NDJSON reply (e.g. IAM's 403 JSON) is thrown as an `InvokeError` with its text.
 */
export async function streamFromUrl(
  urlText: string,
  request: Record<string, unknown>,
  options: SigningOptions,
  onEvent: (event: Record<string, unknown>) => void,
): Promise<number> {
  const url = new URL(urlText);
  const body = JSON.stringify(request);
  const response = await fetch(url, { method: 'POST', headers: await signedHeaders(url, body, options), body });
  if (!(response.headers.get('content-type') ?? '').includes(STREAM_CONTENT_TYPE) || response.body === null) {
    const hint = response.status === 403 ? `\n${FORBIDDEN_HINT}` : '';
    throw new InvokeError(`${url.host} answered ${response.status}: ${(await response.text()).slice(0, 500)}${hint}`);
  }
  const decoder = new TextDecoder();
  const feed = ndjsonEvents(onEvent);
  for await (const chunk of response.body) feed(decoder.decode(chunk as Uint8Array, { stream: true }));
  return response.status;
}
