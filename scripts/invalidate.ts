/**
 * `npm run invalidate -- <backend> (--entry-id ID | --namespace NS --purge | --prompt "...")`
 * Takes an answer back (README "Taking an answer back") through the deployed function of a
 * backend's stack, found from its outputs and invoked with the same SDK path as `npm run invoke`
 * (default AWS credential chain and region). With `--redis-url` instead of a backend, the same
 * action runs locally, through the same handler, on that Redis (credentials from the URL or
 * `CACHE_USERNAME`/`CACHE_PASSWORD`, a private CA from `CACHE_TLS_CA_FILE`). Prints the result
 * JSON; exits 1 on an error.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { parseInvalidateArgs, type InvalidateArgs } from './invalidate-args';
import { InvokeError, invokePayload } from './invoke-client';

async function main(): Promise<void> {
  const args = parseInvalidateArgs(process.argv.slice(2));
  const result = args.target.kind === 'deployed' ? await deployed(args.target.backend, args.action) : await local(args);
  console.log(JSON.stringify(result, null, 2));
  if ('error' in result) process.exitCode = 1;
}

async function deployed(backend: string, action: InvalidateArgs['action']): Promise<Record<string, unknown>> {
  const outcome = await invokePayload({ cloudFormation: new CloudFormationClient({}), lambda: new LambdaClient({}) }, backend, action);
  console.error(`function: ${outcome.functionName} (round trip ${outcome.roundTripMs.toFixed(0)} ms)`);
  return outcome.response;
}

/**
 * The handler in this process over the Redis URL. A local purge is allowed (`CACHE_ALLOW_PURGE`):
 * whoever holds the URL and its credentials can remove the keys anyway; the setting guards the
 * deployed function.
 */
async function local(args: InvalidateArgs): Promise<Record<string, unknown>> {
  if (args.target.kind !== 'local') throw new Error('local target expected');
  Object.assign(process.env, {
    CACHE_BACKEND: args.target.client,
    CACHE_URL: args.target.redisUrl,
    CACHE_ALLOW_PURGE: 'true',
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'ERROR',
    POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
    AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
  });
  const { handler } = await import('../lambda/handler');
  const { getRuntime } = await import('../lambda/runtime');
  try {
    return (await handler(args.action)) as unknown as Record<string, unknown>;
  } finally {
    await getRuntime().close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof InvokeError ? error.message : error);
  process.exitCode = 1;
});
