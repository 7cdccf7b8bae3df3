import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { BACKEND_IDS, STACK_NAMES, type BackendId } from '../../../lib/config/backends';
import type { LlmCacheStack } from '../../../lib/stacks/llm-cache-stack';
import { VERIFY_ENV } from '../../../lambda/verify/verify-env';
import { buildStack, buildStacks } from '../support/build';

type Resource = { Type: string; Properties?: Record<string, unknown>; DependsOn?: string[] };
type Resources = Record<string, Resource>;

function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as never);
}

/** The check's function (the one whose environment names the cache function to verify). */
function checkFunction(template: Template): [string, Resource] {
  const functions = Object.entries(template.findResources('AWS::Lambda::Function') as Resources);
  const found = functions.filter(([, r]) => JSON.stringify(r.Properties?.Environment ?? {}).includes(VERIFY_ENV.functionName));
  expect(found).toHaveLength(1);
  return found[0];
}

describe('post-deploy check', () => {
  const stacks = new Map<BackendId, LlmCacheStack>();
  beforeAll(() => {
    const all = buildStacks();
    for (const id of BACKEND_IDS) stacks.set(id, all.find((s) => s.stackName === STACK_NAMES[id]) as LlmCacheStack);
  });

  describe.each(BACKEND_IDS)('in the %s stack', (backend) => {
    let stack: LlmCacheStack;
    let template: Template;
    beforeAll(() => {
      stack = stacks.get(backend) as LlmCacheStack;
      template = Template.fromStack(stack);
    });

    it('has one trigger that runs the check function synchronously and re-runs when its handler changes', () => {
      const triggers = Object.values(template.findResources('Custom::Trigger') as Resources);
      expect(triggers).toHaveLength(1);
      const [checkId] = checkFunction(template);
      const versions = template.findResources('AWS::Lambda::Version', { Properties: { FunctionName: { Ref: checkId } } });
      expect(triggers[0].Properties).toMatchObject({
        HandlerArn: { Ref: Object.keys(versions)[0] },
        InvocationType: 'RequestResponse',
        ExecuteOnHandlerChange: true,
      });
    });

    it('runs only after the cache function, its IAM policy and the cache backend exist', () => {
      const [trigger] = Object.values(template.findResources('Custom::Trigger') as Resources);
      const after = trigger.DependsOn ?? [];
      const fn = stack.cacheFunction.function;
      expect(after).toContain(logicalId(stack, fn));
      expect(after).toContain(stack.getLogicalId(fn.role?.node.tryFindChild('DefaultPolicy')?.node.defaultChild as never));
      const backendResources = Object.keys(template.toJSON().Resources as Resources).filter((id) => id.startsWith('Cache') && !id.startsWith('CacheFunction'));
      expect(backendResources.length).toBeGreaterThan(0);
      for (const id of backendResources) expect(after).toContain(id);
    });

    it('gives the check exactly lambda:InvokeFunction on the cache function ARN and nothing else', () => {
      const [, fn] = checkFunction(template);
      const roleId = (fn.Properties?.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const policies = Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }) as Resources);
      const statements = policies.flatMap((p) => (p.Properties?.PolicyDocument as { Statement: unknown[] }).Statement);
      expect(statements).toEqual([
        { Sid: 'InvokeCacheFunction', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [logicalId(stack, stack.cacheFunction.function), 'Arn'] } },
      ]);
    });

    it('runs the check on Node.js 22 arm64 outside the VPC, pointed at the cache function', () => {
      const [, fn] = checkFunction(template);
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'] });
      expect(fn.Properties?.VpcConfig).toBeUndefined();
      const env = (fn.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(env[VERIFY_ENV.functionName]).toEqual({ Ref: logicalId(stack, stack.cacheFunction.function) });
      expect(env[VERIFY_ENV.threshold]).toBe('0.9');
      expect(env[VERIFY_ENV.targetFingerprint]).toMatch(/^[0-9a-f]{64}$/);
    });
  });

  it('gives the check time for its five calls (three steps, two semantic retries) that each may take the whole cache function timeout, and the 4 s of pauses', () => {
    const template = Template.fromStack(buildStack('memorydb', { lambdaTimeoutSeconds: 100 }));
    const [, fn] = checkFunction(template);
    expect(fn.Properties?.Timeout).toBe(564);
    const [trigger] = Object.values(template.findResources('Custom::Trigger') as Resources);
    expect(trigger.Properties?.Timeout).toBe('594000');
  });

  it('changes the check version, and so re-runs the trigger, when the cache function changes', () => {
    const handlerArn = (context: Record<string, unknown>) => {
      const [trigger] = Object.values(Template.fromStack(buildStack('memorydb', context)).findResources('Custom::Trigger') as Resources);
      return JSON.stringify(trigger.Properties?.HandlerArn);
    };
    expect(handlerArn({})).toBe(handlerArn({}));
    expect(handlerArn({ lambdaMemoryMb: 1024 })).not.toBe(handlerArn({}));
    expect(handlerArn({ ttlSeconds: 60 })).not.toBe(handlerArn({}));
  });

  it.each(BACKEND_IDS)('is absent from the %s stack with -c verifyDeployment=false', (backend) => {
    const stack = buildStack(backend, { verifyDeployment: 'false' });
    const template = Template.fromStack(stack);
    template.resourceCountIs('Custom::Trigger', 0);
    expect(stack.deployCheck).toBeUndefined();
    expect(JSON.stringify(template.toJSON())).not.toContain(VERIFY_ENV.functionName);
    expect(Object.keys(template.findResources('AWS::Lambda::Function'))).toHaveLength(1);
  });
});
