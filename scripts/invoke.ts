/**
 * `npm run invoke -- <backend> "prompt" [--stream] [--mode standard|semantic|off|refresh] [--namespace name]`
 * Finds the deployed function from the stack's outputs and prints the answer, the cache outcome
 * and the latency. With `--stream`, POSTs to the streaming Function URL (SigV4-signed) and prints
 * the tokens as they arrive. Uses the default AWS credential chain and region.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { formatOutcome, InvokeError, invokeDeployed, requestBody, type InvokeRequest } from './invoke-client';
import { parseInvokeArgs } from './invoke-args';
import { findStreamUrl, streamFromUrl } from './invoke-stream';
import { eventPrinter } from './stream-events';

async function main(): Promise<void> {
  const request = parseInvokeArgs(process.argv.slice(2));
  if (request.stream === true) {
    process.exitCode = await invokeStreaming(request);
    return;
  }
  const outcome = await invokeDeployed({ cloudFormation: new CloudFormationClient({}), lambda: new LambdaClient({}) }, request);
  console.log(formatOutcome(outcome));
  if ('error' in outcome.response) process.exitCode = 1;
}

/** Prints deltas as plain text as they arrive, the other events as JSON lines; 1 on an error event. */
async function invokeStreaming(request: InvokeRequest): Promise<number> {
  const lambda = new LambdaClient({});
  const url = await findStreamUrl(new CloudFormationClient({}), request.backend);
  const printer = eventPrinter();
  await streamFromUrl(url, requestBody(request), { credentials: lambda.config.credentials, region: await lambda.config.region() }, printer.print);
  return printer.failed ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error instanceof InvokeError ? error.message : error);
  process.exitCode = 1;
});
