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
import { invalidateLocally } from './invalidate-local';
import { InvokeError, invokePayload } from './invoke-client';

async function main(): Promise<void> {
  const args = parseInvalidateArgs(process.argv.slice(2));
  const { target, action } = args;
  const result = target.kind === 'deployed' ? await deployed(target.backend, action) : await invalidateLocally(target, action);
  console.log(JSON.stringify(result, null, 2));
  if ('error' in result) process.exitCode = 1;
}

async function deployed(backend: string, action: InvalidateArgs['action']): Promise<Record<string, unknown>> {
  const outcome = await invokePayload({ cloudFormation: new CloudFormationClient({}), lambda: new LambdaClient({}) }, backend, action);
  console.error(`function: ${outcome.functionName} (round trip ${outcome.roundTripMs.toFixed(0)} ms)`);
  return outcome.response;
}

main().catch((error: unknown) => {
  console.error(error instanceof InvokeError ? error.message : error);
  process.exitCode = 1;
});
