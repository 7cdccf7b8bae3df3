import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { createStacks } from '../../../lib/app';
import type { BackendId } from '../../../lib/config/backends';
import type { LlmCacheStack } from '../../../lib/stacks/llm-cache-stack';

/** Region of every test stack; the account stays unresolved, as in an offline `cdk synth`. */
export const TEST_ENV = { region: 'us-east-1' } as const;

/**
 * Builds stacks through the same `createStacks` that bin/app.ts calls. Bundling is skipped
 * (`aws:cdk:bundling-stacks: []`, the CDK's own switch) so these tests do not depend on the state
 * of lambda/; `cdk synth` bundles for real.
 */
export function buildStacks(context: Record<string, unknown> = {}): LlmCacheStack[] {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  return createStacks(app, { env: TEST_ENV });
}

/** Builds the one stack of a backend, with optional extra context. */
export function buildStack(backend: BackendId, context: Record<string, unknown> = {}): LlmCacheStack {
  const [stack] = buildStacks({ ...context, backend });
  return stack;
}

/**
 * The stack's template with asset hashes replaced, ready for `toMatchSnapshot`. A Lambda version's
 * logical id ends in a digest of its function's configuration, which carries the asset hash (and
 * so the checkout's files): masked too, so a fresh clone matches the snapshot.
 */
export function maskedTemplate(stack: LlmCacheStack): unknown {
  const json = JSON.stringify(Template.fromStack(stack).toJSON());
  return JSON.parse(json.replace(/[0-9a-f]{64}(\.zip)?/g, '<asset-hash>').replace(/(CurrentVersion[0-9A-F]{8})[0-9a-f]{32}/g, '$1<version-hash>'));
}

/** cdk-nag AwsSolutions findings left unacknowledged on the stack (rule id and construct paths). */
export function nagFindings(stack: LlmCacheStack): string[] {
  const report = new AwsSolutionsChecks().validateScope(stack);
  return report.violations.map((v) => `${v.ruleName} (${v.severity}): ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
}
