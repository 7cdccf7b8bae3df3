import { InvokeCommand, type InvokeCommandOutput, type LambdaClient } from '@aws-sdk/client-lambda';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { SEMANTIC_RETRIES } from '../../../lambda/verify/deploy-check';

/**
 * Replies of a deployed cache function, as the Lambda Invoke API returns them, for the
 * post-deploy check's handler and laptop-script tests: one success run and one case per failure
 * message (the step it fails at and the words the message must carry).
 */

/** A Lambda payload as the SDK returns it (the code under test only reads its bytes). */
export const payload = (value: unknown): InvokeCommandOutput['Payload'] =>
  new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value)) as unknown as InvokeCommandOutput['Payload'];

/** One Invoke result carrying a function response. */
export const reply = (body: unknown, functionError?: string): Partial<InvokeCommandOutput> => ({
  StatusCode: 200,
  Payload: payload(body),
  ...(functionError ? { FunctionError: functionError } : {}),
});

/** A cache function answer with the given outcome. */
export const answer = (cache: string, extra: Record<string, unknown> = {}) => ({
  text: 'Paris',
  cache,
  modelId: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
  latencyMs: cache === 'miss' ? 812.4 : 3.2,
  usage: { inputTokens: cache === 'miss' ? 21 : 0, outputTokens: cache === 'miss' ? 4 : 0 },
  stopReason: 'end_turn',
  ...extra,
});

/** The three replies of a healthy deployment. */
export const HEALTHY = [reply(answer('miss')), reply(answer('exact')), reply(answer('semantic', { similarity: 0.9731 }))];

export interface FailureCase {
  readonly title: string;
  /** Replies in order; the run must stop after the last. */
  readonly replies: readonly Partial<InvokeCommandOutput>[];
  /** The step the run fails at (1-based); the steps before it passed and were printed. */
  readonly failedAt: number;
  /** Text the failure message starts with (step and outcome). */
  readonly step: string;
  /** Words the cause must contain. */
  readonly cause: readonly string[];
}

const modelError = (code: string, message: string) => reply({ error: { code, message } });

/** The same reply for the semantic step and each of its retries (a miss is asked again: `SEMANTIC_RETRIES`). */
const semanticAttempts = (same: Partial<InvokeCommandOutput>) => Array.from({ length: 1 + SEMANTIC_RETRIES.length }, () => same);


export const FAILURES: readonly FailureCase[] = [
  {
    title: 'the miss step got error ModelAccessDenied',
    replies: [modelError('ModelAccessDenied', 'Bedrock denied access to the model')],
    failedAt: 1,
    step: 'bedrock-llm-cache post-deploy check failed at step 1 of 3 (miss): ',
    cause: ['error ModelAccessDenied: Bedrock denied access to the model', 'Anthropic model, the first-use form', 'aws-marketplace:Subscribe', 'playground'],
  },
  {
    title: 'the miss step got error ModelNotFound',
    replies: [modelError('ModelNotFound', 'model not found')],
    failedAt: 1,
    step: 'failed at step 1 of 3 (miss): ',
    cause: ['error ModelNotFound', 'deploy region', 'inference profile'],
  },
  {
    title: 'the miss step got error ModelThrottled',
    replies: [modelError('ModelThrottled', 'too many requests')],
    failedAt: 1,
    step: 'failed at step 1 of 3 (miss): ',
    cause: ['error ModelThrottled', 'quotas'],
  },
  {
    title: 'the exact step got a miss with cacheSkipped "timeout"',
    replies: [reply(answer('miss')), reply(answer('miss', { cacheSkipped: 'timeout' }))],
    failedAt: 2,
    step: 'failed at step 2 of 3 (exact): ',
    cause: ['cacheSkipped: "timeout"', 'security group', 'TLS', 'credentials'],
  },
  {
    title: 'the exact step got a plain miss (the entry was never stored)',
    replies: [reply(answer('miss')), reply(answer('miss'))],
    failedAt: 2,
    step: 'failed at step 2 of 3 (exact): ',
    cause: ['expected cache "exact" but got "miss"', 'stored at step 1 was not found'],
  },
  {
    title: 'the exact step got a miss after a truncated first answer',
    replies: [reply(answer('miss', { stopReason: 'max_tokens' })), reply(answer('miss'))],
    failedAt: 2,
    step: 'failed at step 2 of 3 (exact): ',
    cause: ['step 1 stopped with "max_tokens"', 'only complete answers are stored'],
  },
  {
    title: 'the semantic step got semantic "unavailable"',
    replies: [reply(answer('miss')), reply(answer('exact')), reply(answer('miss', { semantic: 'unavailable', semanticReason: 'no-index' }))],
    failedAt: 3,
    step: 'failed at step 3 of 3 (semantic): ',
    cause: ['semantic lookups are unavailable (semanticReason: "no-index")', 'SEMANTIC_INDEX'],
  },
  {
    title: 'the semantic step got a miss that reports a similarity',
    // It found step 1's entry and scored it low: the index did not lag, so no retry.
    replies: [reply(answer('miss')), reply(answer('exact')), reply(answer('miss', { similarity: 0.6204 }))],
    failedAt: 3,
    step: 'failed at step 3 of 3 (semantic): ',
    cause: ['expected cache "semantic" but got "miss"', 'similarity observed 0.6204', 'SEMANTIC_THRESHOLD'],
  },
  {
    title: 'the semantic step got a miss without a similarity',
    replies: [reply(answer('miss')), reply(answer('exact')), ...semanticAttempts(reply(answer('miss')))],
    failedAt: 3,
    step: 'failed at step 3 of 3 (semantic): ',
    cause: ['no similarity reported', 'a miss does not report its nearest entry', `${1 + SEMANTIC_RETRIES.length} attempts`, 'vector index lagged'],
  },
  {
    title: 'the function failed with FunctionError Unhandled',
    replies: [reply({ errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 60.00 seconds' }, 'Unhandled')],
    failedAt: 1,
    step: 'failed at step 1 of 3 (miss): ',
    cause: ['the function failed (FunctionError Unhandled): Sandbox.Timedout: Task timed out after 60.00 seconds', 'log group'],
  },
];

/**
 * Starts a run under fake timers and runs every timer (the semantic step's pauses before a
 * retry) until it settles. `outcome` is the run's value or the error it rejected with.
 */
export async function settleWithFakeTimers<T>(start: () => Promise<T>): Promise<{ run: Promise<T>; outcome: Promise<unknown> }> {
  jest.useFakeTimers();
  try {
    const run = start();
    const outcome = run.catch((e: unknown) => e);
    await jest.runAllTimersAsync();
    return { run, outcome };
  } finally {
    jest.useRealTimers();
  }
}

/** Answers the check's invokes with `replies`, one each, in order; one more call fails the test. */
export function answerInOrder(lambda: AwsClientStub<LambdaClient>, replies: readonly object[]): void {
  let chain = lambda.on(InvokeCommand);
  for (const r of replies) chain = chain.resolvesOnce(r);
  chain.rejects(new Error('the check made more calls than the case has replies'));
}
