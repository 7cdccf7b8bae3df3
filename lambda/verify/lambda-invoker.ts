import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { sleepMs, type FunctionReply, type InvokeFunction } from './deploy-check';

/**
 * Invoke errors that mean "not ready yet, ask again": a function still `Pending` (its VPC network
 * interfaces are being set up) is refused with `ResourceConflictException`; an idle VPC function
 * whose connection was reclaimed, with `ResourceNotReadyException`.
 */
export const NOT_READY_ERRORS: readonly string[] = ['ResourceConflictException', 'ResourceNotReadyException'];

/** Options of `lambdaInvoker`. */
export interface InvokerOptions {
  /** Clock for the round trip. @default performance.now */
  readonly now?: () => number;
  /** Waits between attempts. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Attempts while the function is not ready. @default 6 */
  readonly attempts?: number;
  /** Delay between those attempts. @default 5000 ms */
  readonly retryDelayMs?: number;
  /** Error names asked again. @default NOT_READY_ERRORS */
  readonly retryOn?: readonly string[];
}

/**
 * Invokes the cache function synchronously (`RequestResponse`) through the Lambda Invoke API and
 * returns its payload and `FunctionError` untouched; judging them is `runDeployCheck`'s job. Only
 * the errors named in `retryOn` are asked again; every other error is thrown.
 */
export function lambdaInvoker(client: LambdaClient, functionName: string, options: InvokerOptions = {}): InvokeFunction {
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? sleepMs;
  const attempts = options.attempts ?? 6;
  const retryDelayMs = options.retryDelayMs ?? 5000;
  const retryOn = new Set(options.retryOn ?? NOT_READY_ERRORS);
  return async (request) => {
    const command = new InvokeCommand({ FunctionName: functionName, InvocationType: 'RequestResponse', Payload: new TextEncoder().encode(JSON.stringify(request)) });
    for (let attempt = 1; ; attempt += 1) {
      const started = now();
      try {
        const result = await client.send(command);
        const roundTripMs = now() - started;
        const payload = result.Payload === undefined ? '' : new TextDecoder().decode(result.Payload);
        const reply: FunctionReply = { payload, roundTripMs, ...(result.FunctionError !== undefined ? { functionError: result.FunctionError } : {}) };
        return reply;
      } catch (error) {
        if (!(error instanceof Error) || !retryOn.has(error.name) || attempt >= attempts) throw error;
        await sleep(retryDelayMs);
      }
    }
  };
}
