/**
 * `npm run invoke -- <backend> "prompt" [--mode standard|semantic|off] [--namespace name]`
 * Finds the deployed function from the stack's outputs and prints the answer, the cache outcome
 * and the latency. Uses the default AWS credential chain and region.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { formatOutcome, InvokeError, invokeDeployed } from './invoke-client';
import { parseInvokeArgs } from './invoke-args';

async function main(): Promise<void> {
  const request = parseInvokeArgs(process.argv.slice(2));
  const outcome = await invokeDeployed({ cloudFormation: new CloudFormationClient({}), lambda: new LambdaClient({}) }, request);
  console.log(formatOutcome(outcome));
  if ('error' in outcome.response) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof InvokeError ? error.message : error);
  process.exitCode = 1;
});
