import { describeFailure, type StepReply } from './diagnose';

/**
 * The post-deploy check: three requests to the deployed cache function in a fresh namespace.
 * One module serves both the CDK trigger (`lambda/verify/handler.ts`) and the laptop script
 * (`npm run verify`), so both run the same steps and fail with the same messages.
 */

/** The first prompt (a miss, then an exact hit). */
export const CHECK_PROMPT = 'What is the capital of France? Answer in one word.';
/**
 * The paraphrase: the same words, lower case, punctuation dropped. It must clear the semantic
 * threshold with the real embedding model by a wide margin, so a deploy never fails on a
 * borderline pair; a different exact key (case and punctuation count there) keeps it off the
 * exact path.
 */
export const CHECK_PARAPHRASE = 'what is the capital of france answer in one word';
/** Lifetime of the check's entries: long enough for the three steps, short enough to vanish. @default 300 */
export const CHECK_TTL_SECONDS = 300;

/** Another attempt of a step: after a pause, with its own prompt. */
export interface StepRetry {
  readonly afterMs: number;
  readonly prompt: string;
}

/**
 * Step 3 again when it misses plainly (see `plainMiss`), after a pause, each time with another
 * paraphrase of the same kind (case and punctuation only, so a new exact key: a missed attempt
 * stores its own answer under its own key). MemoryDB updates its vector indexes in a background
 * thread, so a vector stored at step 1 may not be searchable yet (MemoryDB developer guide,
 * "Vector search overview", "Indexes and the Valkey and Redis OSS keyspace"); ElastiCache shows it
 * at once only on the connection that wrote it, and step 3 may run in another container
 * (ElastiCache developer guide, "Vector search features and limits", "Index Persistence and
 * Backfilling"). Any other outcome fails at once.
 */
export const SEMANTIC_RETRIES: readonly StepRetry[] = [
  { afterMs: 1_000, prompt: 'what is the capital of france, answer in one word' },
  { afterMs: 3_000, prompt: 'What is the capital of france answer in one word' },
];

/** Cache outcomes the steps expect. */
export type ExpectedOutcome = 'miss' | 'exact' | 'semantic';

/** One step of the plan. */
export interface CheckStep {
  readonly name: ExpectedOutcome;
  readonly prompt: string;
  /** Further attempts after a plain miss; none by default. */
  readonly retries?: readonly StepRetry[];
}

/** The plan: a miss, the same prompt exactly, then the paraphrase semantically (retried on a plain miss). */
export const CHECK_STEPS: readonly CheckStep[] = [
  { name: 'miss', prompt: CHECK_PROMPT },
  { name: 'exact', prompt: CHECK_PROMPT },
  { name: 'semantic', prompt: CHECK_PARAPHRASE, retries: SEMANTIC_RETRIES },
];

/** Invocations the plan may make (every attempt of every step) and the pauses between them: the check's time budget. */
export const CHECK_BUDGET = {
  calls: CHECK_STEPS.reduce((total, step) => total + 1 + (step.retries?.length ?? 0), 0),
  pausesMs: CHECK_STEPS.reduce((total, step) => total + (step.retries ?? []).reduce((sum, retry) => sum + retry.afterMs, 0), 0),
} as const;

/** Waits `ms` milliseconds (the default pause of the check and of its invoker). */
export const sleepMs = (ms: number): Promise<void> => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** What one invocation of the cache function gave back: its raw payload and Lambda's error flag. */
export interface FunctionReply {
  /** The response payload as text (JSON from the handler, or Lambda's error document). */
  readonly payload: string;
  /** Lambda's `FunctionError` (`Handled` or `Unhandled`) when the function failed. */
  readonly functionError?: string;
  /** Client-side round trip in milliseconds. */
  readonly roundTripMs: number;
}

/** Sends one request to the cache function. */
export type InvokeFunction = (request: Readonly<Record<string, unknown>>) => Promise<FunctionReply>;

/** A passed step, as printed. */
export interface StepResult {
  /** 1-based position in the plan. */
  readonly index: number;
  readonly name: ExpectedOutcome;
  readonly prompt: string;
  /** The `cache` outcome the function reported. */
  readonly cache: string;
  /** Cosine similarity of a semantic hit. */
  readonly similarity?: number;
  /** Latency the function reported. */
  readonly latencyMs?: number;
  readonly roundTripMs: number;
  /** Attempts the step took (the semantic step may retry; see `SEMANTIC_RETRIES`). */
  readonly attempts: number;
}

/** Options of one run. */
export interface DeployCheckOptions {
  /** Namespace of the check's entries; fresh per run (see `checkNamespace`). */
  readonly namespace: string;
  /** @default CHECK_TTL_SECONDS (300) */
  readonly ttlSeconds?: number;
  /** The function's configured semantic threshold, when known: printed beside the similarity. */
  readonly threshold?: number;
  /** Called after each passed step (printing). */
  readonly onStep?: (step: StepResult) => void;
  /** Waits before a retry of the semantic step. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Everything a passed run observed. */
export interface DeployCheckReport {
  readonly namespace: string;
  readonly steps: readonly StepResult[];
}

/** The check failed: the message names the step and the cause, ready for CloudFormation or a terminal. */
export class DeployCheckError extends Error {
  constructor(
    readonly step: number,
    readonly stepName: ExpectedOutcome,
    readonly reason: string,
  ) {
    super(`bedrock-llm-cache post-deploy check failed at step ${step} of ${CHECK_STEPS.length} (${stepName}): ${reason}`);
    this.name = 'DeployCheckError';
  }
}

/**
 * A namespace no earlier run used (`verify-<base36 time>-<random>`), so step 1 is a true miss
 * even when an earlier run's entries have not expired yet.
 */
export function checkNamespace(now: number = Date.now(), random: () => number = Math.random): string {
  const suffix = Math.floor(random() * 36 ** 6).toString(36).padStart(6, '0');
  return `verify-${now.toString(36)}-${suffix}`;
}

/**
 * Runs the three steps in order (a step with `retries` asked again on a plain miss); resolves
 * with what each observed or throws `DeployCheckError` at the first wrong outcome.
 */
export async function runDeployCheck(invoke: InvokeFunction, options: DeployCheckOptions): Promise<DeployCheckReport> {
  const ttlSeconds = options.ttlSeconds ?? CHECK_TTL_SECONDS;
  const sleep = options.sleep ?? sleepMs;
  const steps: StepResult[] = [];
  const replies: StepReply[] = [];
  for (const [position, step] of CHECK_STEPS.entries()) {
    const index = position + 1;
    const attempts: readonly StepRetry[] = [{ afterMs: 0, prompt: step.prompt }, ...(step.retries ?? [])];
    let passed: { prompt: string; reply: FunctionReply; parsed: StepReply; attempt: number } | undefined;
    let pausedMs = 0;
    for (const [attempt, { afterMs, prompt }] of attempts.entries()) {
      if (afterMs > 0) await sleep(afterMs);
      pausedMs += afterMs;
      let reply: FunctionReply;
      try {
        reply = await invoke({ prompt, mode: 'semantic', namespace: options.namespace, ttlSeconds });
      } catch (error) {
        throw new DeployCheckError(index, step.name, invokeFailure(error));
      }
      const parsed = parseReply(reply);
      const failure = describeFailure(step.name, parsed, replies, options.threshold);
      if (failure === undefined) {
        passed = { prompt, reply, parsed, attempt: attempt + 1 };
        break;
      }
      const last = attempt === attempts.length - 1;
      if (last || !plainMiss(parsed)) throw new DeployCheckError(index, step.name, attempt > 0 ? `${failure}${retriedNote(attempt + 1, pausedMs)}` : failure);
    }
    const { prompt, reply, parsed, attempt } = passed!;
    replies.push(parsed);
    const body = parsed.body ?? {};
    const result: StepResult = {
      index,
      name: step.name,
      prompt,
      cache: String(body.cache),
      ...(typeof body.similarity === 'number' ? { similarity: body.similarity } : {}),
      ...(typeof body.latencyMs === 'number' ? { latencyMs: body.latencyMs } : {}),
      roundTripMs: reply.roundTripMs,
      attempts: attempt,
    };
    steps.push(result);
    options.onStep?.(result);
  }
  return { namespace: options.namespace, steps };
}

/**
 * A miss that used the cache and its semantic index and found nothing at all: the one outcome an
 * index lagging behind the write explains, so the one worth another attempt. A miss that reports a
 * similarity found step 1's entry and scored it under the threshold: no lag, no retry.
 */
function plainMiss(reply: StepReply): boolean {
  const body = reply.body;
  return (
    reply.functionError === undefined &&
    body !== undefined &&
    body.cache === 'miss' &&
    body.error === undefined &&
    body.cacheSkipped === undefined &&
    body.semantic !== 'unavailable' &&
    typeof body.similarity !== 'number'
  );
}

/** Appended to a failure after a retry: how many attempts were made and how long the index had. */
function retriedNote(made: number, pausedMs: number): string {
  return ` (${made} attempts with other paraphrases of the same kind over ${pausedMs / 1000} s of pauses, in case the vector index lagged behind the write)`;
}

function parseReply(reply: FunctionReply): StepReply {
  let body: Record<string, unknown> | undefined;
  try {
    const value: unknown = JSON.parse(reply.payload);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) body = value as Record<string, unknown>;
  } catch {
    body = undefined;
  }
  return { payload: reply.payload, functionError: reply.functionError, body };
}

/** The Invoke call itself failed (permissions, function missing, throttled): say which. */
function invokeFailure(error: unknown): string {
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  const hint =
    name === 'AccessDeniedException'
      ? ' The caller needs lambda:InvokeFunction on the cache function.'
      : name === 'ResourceNotFoundException'
        ? ' Is the stack deployed in this account and region?'
        : '';
  return `invoking the cache function failed: ${name}: ${message}.${hint}`;
}
