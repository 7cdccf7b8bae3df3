/**
 * `npm run verify -- <backend>`: runs the post-deploy check (miss, exact, semantic) against the
 * deployed stack from a laptop and prints each step; exits 1 with the failing step's cause.
 * Uses the default AWS credential chain and region; needs cloudformation:DescribeStacks and
 * lambda:InvokeFunction.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { DeployCheckError } from '../lambda/verify/deploy-check';
import { InvokeError } from './invoke-client';
import { parseVerifyArgs, verifyDeployed } from './verify-run';

async function main(): Promise<void> {
  const backend = parseVerifyArgs(process.argv.slice(2));
  await verifyDeployed({ cloudFormation: new CloudFormationClient({}), lambda: new LambdaClient({}) }, backend, { print: (line) => console.log(line) });
}

main().catch((error: unknown) => {
  console.error(error instanceof InvokeError || error instanceof DeployCheckError ? error.message : error);
  process.exitCode = 1;
});
