import { LambdaClient } from '@aws-sdk/client-lambda';
import { checkNamespace, runDeployCheck, type DeployCheckReport } from './deploy-check';
import { formatStep, formatSummary } from './format';
import { lambdaInvoker, NOT_READY_ERRORS } from './lambda-invoker';
import { VERIFY_ENV } from './verify-env';

let client: LambdaClient | undefined;

/**
 * The CDK trigger's handler: runs the three steps against the cache function and logs each.
 * Throwing fails the trigger, and with it the deployment, with the error's message in the
 * stack events. The CDK trigger provider invokes it with an empty event; settings come from the
 * environment.
 */
export async function handler(): Promise<DeployCheckReport> {
  const env = process.env;
  const functionName = env[VERIFY_ENV.functionName]?.trim();
  if (!functionName) throw new Error(`${VERIFY_ENV.functionName} is not set: the verify function cannot know what to check`);
  const rawThreshold = Number(env[VERIFY_ENV.threshold]);
  const threshold = Number.isFinite(rawThreshold) && rawThreshold > 0 ? rawThreshold : undefined;
  client ??= new LambdaClient({});
  const namespace = checkNamespace();
  console.log(`post-deploy check of ${functionName} in namespace ${namespace}`);
  // On a first deploy the check's role and its policy are minutes old, and IAM changes take a
  // moment to reach every endpoint: an early AccessDeniedException is asked again, like the
  // CDK trigger provider does for its own invoke. A real denial still fails, about 25 s later.
  const invoke = lambdaInvoker(client, functionName, { retryOn: [...NOT_READY_ERRORS, 'AccessDeniedException'] });
  const report = await runDeployCheck(invoke, {
    namespace,
    threshold,
    onStep: (step) => console.log(formatStep(step)),
  });
  console.log(formatSummary(report));
  return report;
}
