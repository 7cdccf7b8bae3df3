import { BACKEND_IDS } from '../lib/config/backends';
import { checkNamespace, runDeployCheck, type DeployCheckReport } from '../lambda/verify/deploy-check';
import { formatStep, formatSummary } from '../lambda/verify/format';
import { lambdaInvoker } from '../lambda/verify/lambda-invoker';
import { findFunctionName, InvokeError, type InvokeClients } from './invoke-client';

/** Usage line shown on bad arguments. */
export const VERIFY_USAGE = `usage: npm run verify -- <${BACKEND_IDS.join('|')}>`;

/** Options of `verifyDeployed`. */
export interface VerifyOptions {
  /** Where each line goes. */
  readonly print: (line: string) => void;
  /** @default a fresh `verify-...` namespace */
  readonly namespace?: string;
  /** Clock for round trips. @default performance.now */
  readonly now?: () => number;
}

/** Parses `<backend>`; anything else is a usage error. */
export function parseVerifyArgs(argv: readonly string[]): string {
  if (argv.length !== 1 || argv[0].startsWith('-')) throw new InvokeError(VERIFY_USAGE);
  return argv[0];
}

/**
 * The post-deploy check from a laptop: finds the backend stack's function from its
 * `FunctionName` output, runs the same three steps as the deploy-time trigger and prints each.
 * Rejects with the trigger's `DeployCheckError` (same message) when a step fails.
 */
export async function verifyDeployed(clients: InvokeClients, backend: string, options: VerifyOptions): Promise<DeployCheckReport> {
  const { stackName, functionName } = await findFunctionName(clients.cloudFormation, backend);
  const namespace = options.namespace ?? checkNamespace();
  options.print(`checking ${functionName} (stack ${stackName}) in namespace ${namespace}`);
  const report = await runDeployCheck(lambdaInvoker(clients.lambda, functionName, { now: options.now }), {
    namespace,
    onStep: (step) => options.print(formatStep(step)),
  });
  options.print(formatSummary(report));
  return report;
}
