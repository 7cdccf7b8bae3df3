import { App, Validations, type Environment } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { resolveConfig } from './config/app-config';
import { STACK_NAMES } from './config/backends';
import { LlmCacheStack } from './stacks/llm-cache-stack';

/** Options of `createStacks`. */
export interface CreateStacksOptions {
  /**
   * Account and region of every stack. @default account from CDK_DEFAULT_ACCOUNT (unresolved
   * without credentials, so synth works offline), region from CDK_DEFAULT_REGION or us-east-1
   */
  readonly env?: Environment;
}

/**
 * Builds the stacks `-c backend=<id>` selects (all five without it) from validated context, and
 * registers cdk-nag's AwsSolutions pack
 * as a validation plugin, so any unacknowledged finding fails `cdk synth`. `bin/app.ts` and the tests both call this.
 */
export function createStacks(app: App, options: CreateStacksOptions = {}): LlmCacheStack[] {
  const { backends, settings } = resolveConfig((key) => app.node.tryGetContext(key));
  const env = options.env ?? {
    account: process.env.CDK_DEFAULT_ACCOUNT,
    region: process.env.CDK_DEFAULT_REGION ?? 'us-east-1',
  };
  const stacks = backends.map(
    (backendId) =>
      new LlmCacheStack(app, STACK_NAMES[backendId], {
        backendId,
        settings,
        env,
        description: `bedrock-llm-cache: Bedrock response cache on ${backendId}`,
      }),
  );
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return stacks;
}
