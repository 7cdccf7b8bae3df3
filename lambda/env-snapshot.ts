/**
 * Replaces `process.env` with a plain-object copy of itself, once per container, inside Lambda
 * only (`AWS_LAMBDA_FUNCTION_NAME` set, as the Lambda runtime sets it for every function).
 *
 * Why: `process.env` is not an object but an interceptor over the C library's environment; each
 * read is a C++ call that scans the environment and copies the value into a new string. Powertools
 * reads `AWS_LAMBDA_MAX_CONCURRENCY` on every access to its per-invocation stores (about 40 reads
 * per invocation of this handler: each `addMetric`, `addMetadata`, the EMF flush, the Logger's
 * level). A plain object answers the same reads as a property lookup: measured, the handler's
 * hit went from 3.7 to 3.3 times a loopback Redis GET (README "Benchmarks").
 *
 * Why it is safe here: JavaScript reads and writes the environment through the global
 * `process.env`, and keeps doing so on the copy. The Node.js runtime interface client sets the
 * per-invocation `_X_AMZN_TRACE_ID` with `process.env[...] = …` on each invoke (and deletes it when
 * an invoke carries none), so the trace id Powertools and this code read stays current
 * (test/lambda/env-snapshot.test.ts). Lambda sets the other variables during initialization
 * (Lambda Developer Guide, "Defined runtime environment variables": only `_X_AMZN_TRACE_ID`
 * "changes with each invocation"). What changes: a value assigned later is not coerced to a string, and no longer
 * reaches the C environment (native code and `TZ` handling see the values of init). This
 * function assigns none.
 *
 * @returns whether the environment was replaced (false outside Lambda, or when already done).
 */
export function snapshotProcessEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.AWS_LAMBDA_FUNCTION_NAME === undefined || SNAPSHOTS.has(env)) return false;
  const copy: NodeJS.ProcessEnv = { ...env };
  SNAPSHOTS.add(copy);
  process.env = copy;
  return true;
}

/** Environments this module made: a second call (a second entry point in one bundle) keeps the first. */
const SNAPSHOTS = new WeakSet<object>();
