import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { BACKEND_IDS, STACK_NAMES, isBackendId } from '../lib/config/backends';
import { OUTPUT_NAMES } from '../lib/stacks/llm-cache-stack';

/** The AWS clients `invokeDeployed` uses; passed in so tests can mock them. */
export interface InvokeClients {
  readonly cloudFormation: CloudFormationClient;
  readonly lambda: LambdaClient;
}

/** A request as `npm run invoke` sends it (DESIGN.md "Runtime contract"). */
export interface InvokeRequest {
  /** Backend id; selects the stack `LlmCache-...`. */
  readonly backend: string;
  /** The prompt. */
  readonly prompt: string;
  /** Optional request fields (mode, namespace, ...), passed through unchanged. */
  readonly options?: Readonly<Record<string, unknown>>;
  /** Call the streaming function's Function URL (`-c streaming=true`) and print the answer as it arrives. */
  readonly stream?: boolean;
}

/** What came back, plus where it came from and how long the round trip took. */
export interface InvokeOutcome {
  readonly stackName: string;
  readonly functionName: string;
  /** The function's JSON response (an answer or `{ error }`). */
  readonly response: Record<string, unknown>;
  /** Client-side round trip in milliseconds. */
  readonly roundTripMs: number;
}

/** Thrown with a message meant for the terminal. */
export class InvokeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvokeError';
  }
}

/** Reads the function name from the backend stack's `FunctionName` output. */
export async function findFunctionName(cloudFormation: CloudFormationClient, backend: string): Promise<{ stackName: string; functionName: string }> {
  const { stackName, value } = await stackOutput(cloudFormation, backend, OUTPUT_NAMES.functionName, 'is the deployment complete?');
  return { stackName, functionName: value };
}

/**
 * One output of a backend's stack. Throws `InvokeError` for an unknown backend, a stack that is
 * not deployed (saying how to deploy it), or a missing output (`missingHint` says why it may be).
 */
export async function stackOutput(cloudFormation: CloudFormationClient, backend: string, key: string, missingHint: string): Promise<{ stackName: string; value: string }> {
  if (!isBackendId(backend)) {
    throw new InvokeError(`Unknown backend "${backend}"; valid values: ${BACKEND_IDS.join(', ')}`);
  }
  const stackName = STACK_NAMES[backend];
  let stacks;
  try {
    ({ Stacks: stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName })));
  } catch (error) {
    if (error instanceof Error && /does not exist/.test(error.message)) {
      throw new InvokeError(`Stack ${stackName} is not deployed in this account/region; deploy it with: npx cdk deploy -c backend=${backend}`);
    }
    throw error;
  }
  const value = stacks?.[0]?.Outputs?.find((o) => o.OutputKey === key)?.OutputValue;
  if (value === undefined) throw new InvokeError(`Stack ${stackName} has no ${key} output; ${missingHint}`);
  return { stackName, value };
}

/** The request the function receives: the options with the prompt. */
export function requestBody(request: InvokeRequest): Record<string, unknown> {
  return { ...request.options, prompt: request.prompt };
}

/** Finds the backend's function and invokes it synchronously with one prompt. */
export function invokeDeployed(clients: InvokeClients, request: InvokeRequest, now: () => number = () => performance.now()): Promise<InvokeOutcome> {
  return invokePayload(clients, request.backend, requestBody(request), now);
}

/** Finds the backend's function and invokes it synchronously with `event` (a request or an action). */
export async function invokePayload(clients: InvokeClients, backend: string, event: Readonly<Record<string, unknown>>, now: () => number = () => performance.now()): Promise<InvokeOutcome> {
  const { stackName, functionName } = await findFunctionName(clients.cloudFormation, backend);
  const payload = JSON.stringify(event);
  const started = now();
  const result = await clients.lambda.send(
    new InvokeCommand({ FunctionName: functionName, InvocationType: 'RequestResponse', Payload: new TextEncoder().encode(payload) }),
  );
  const roundTripMs = now() - started;
  const body = result.Payload === undefined ? '' : new TextDecoder().decode(result.Payload);
  if (result.FunctionError !== undefined) {
    throw new InvokeError(`${functionName} failed (${result.FunctionError}): ${body}`);
  }
  let response: Record<string, unknown>;
  try {
    response = JSON.parse(body) as Record<string, unknown>;
  } catch {
    throw new InvokeError(`${functionName} returned something that is not JSON: ${body.slice(0, 200)}`);
  }
  return { stackName, functionName, response, roundTripMs };
}

/** Human-readable lines: the answer, the cache outcome and the latencies. */
export function formatOutcome(outcome: InvokeOutcome): string {
  const r = outcome.response;
  const roundTrip = `round trip ${outcome.roundTripMs.toFixed(0)} ms`;
  if (typeof r.error === 'object' && r.error !== null) {
    const e = r.error as { code?: string; message?: string };
    return [`error: ${e.code ?? 'Error'}: ${e.message ?? ''}`, `function: ${outcome.functionName} (${roundTrip})`].join('\n');
  }
  const similarity = typeof r.similarity === 'number' ? ` (similarity ${r.similarity.toFixed(3)})` : '';
  const latency = typeof r.latencyMs === 'number' ? `${r.latencyMs.toFixed(1)} ms in the function, ` : '';
  return [
    String(r.text ?? ''),
    '',
    `cache: ${String(r.cache ?? 'unknown')}${similarity}`,
    `latency: ${latency}${roundTrip}`,
    `model: ${String(r.modelId ?? 'unknown')}  function: ${outcome.functionName}`,
    // A hit names its entry: what `npm run invalidate -- <backend> --entry-id` takes.
    ...(typeof r.entryId === 'string' ? [`entry: ${r.entryId}`] : []),
  ].join('\n');
}
