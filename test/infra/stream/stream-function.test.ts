import { Match, Template } from 'aws-cdk-lib/assertions';
import { TENANT_POLICY_SIDS } from '../../../lib/function/tenant-invoke-policy';
import { buildStack, nagFindings } from '../support/build';

interface Statement {
  readonly Sid?: string;
  readonly Action: unknown;
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

describe('streaming function (-c streaming=true)', () => {
  const stack = buildStack('memorydb', { streaming: 'true' });
  const template = Template.fromStack(stack);

  it('adds a second function on lambda/stream-handler.ts with a Function URL: IAM auth, response streaming', () => {
    template.resourceCountIs('AWS::Lambda::Url', 1);
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'AWS_IAM', InvokeMode: 'RESPONSE_STREAM' });
    template.hasResourceProperties('AWS::Lambda::Function', { Description: Match.stringLikeRegexp('streams answers') });
  });

  it('runs in the same VPC subnets and security group, with the same environment, as the cache function', () => {
    const functions = template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('^bedrock-llm-cache: ') } });
    const [cache, streaming] = [stack.cacheFunction.function, stack.streamFunction!.function].map(
      (fn) => functions[stack.getLogicalId(fn.node.defaultChild as never)]!.Properties as Record<string, unknown>,
    );
    expect(streaming.VpcConfig).toEqual(cache.VpcConfig);
    expect(streaming.Environment).toEqual(cache.Environment);
  });

  it('lets the streaming function call ConverseStream (bedrock:InvokeModelWithResponseStream); the cache function keeps InvokeModel only', () => {
    const policies = template.findResources('AWS::IAM::Policy');
    const actionsOf = (fragment: string): unknown[] =>
      Object.entries(policies)
        .filter(([id]) => id.includes(fragment))
        .flatMap(([, policy]) => (policy.Properties.PolicyDocument.Statement as Array<{ Sid?: string; Action: unknown }>).filter((s) => s.Sid === 'InvokeConfiguredModels'))
        .map((s) => s.Action);
    expect(actionsOf('StreamFunction')).toEqual([['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream']]);
    expect(actionsOf('CacheFunction')).toEqual(['bedrock:InvokeModel']);
  });

  it('outputs the URL', () => {
    template.hasOutput('StreamUrl', { Value: Match.anyValue() });
  });

  describe('tenant policy', () => {
    const streamingArn = { 'Fn::GetAtt': [stack.getLogicalId(stack.streamFunction!.function.node.defaultChild as never), 'Arn'] };
    const policies = template.findResources('AWS::IAM::ManagedPolicy');
    const tenantStatements = (): Statement[] => {
      const [policy] = Object.values(policies);
      return policy!.Properties.PolicyDocument.Statement as Statement[];
    };

    it('is one managed policy, attached to no role of the stack (tenants attach it)', () => {
      expect(Object.keys(policies)).toHaveLength(1);
      const [policy] = Object.values(policies);
      expect(policy!.Properties.Roles).toBeUndefined();
      expect(policy!.Properties.Users).toBeUndefined();
    });

    it('allows lambda:InvokeFunctionUrl on the streaming function, for its AWS_IAM URL only', () => {
      expect(tenantStatements().find((s) => s.Sid === TENANT_POLICY_SIDS.url)).toEqual({
        Sid: TENANT_POLICY_SIDS.url,
        Effect: 'Allow',
        Action: 'lambda:InvokeFunctionUrl',
        Resource: streamingArn,
        Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' } },
      });
    });

    it('allows lambda:InvokeFunction only with lambda:InvokedViaFunctionUrl, so no direct Invoke or InvokeWithResponseStream', () => {
      expect(tenantStatements().find((s) => s.Sid === TENANT_POLICY_SIDS.invoke)).toEqual({
        Sid: TENANT_POLICY_SIDS.invoke,
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: streamingArn,
        Condition: { Bool: { 'lambda:InvokedViaFunctionUrl': 'true' } },
      });
    });

    it('grants nothing else: every statement is conditioned, none names the cache function or a wildcard', () => {
      const statements = tenantStatements();
      expect(statements).toHaveLength(2);
      for (const statement of statements) {
        expect(statement.Condition).toBeDefined();
        expect(statement.Resource).toEqual(streamingArn);
      }
    });

    it('is exported as the TenantPolicyArn output', () => {
      const [id] = Object.keys(policies);
      template.hasOutput('TenantPolicyArn', { Value: { Ref: id } });
    });
  });

  it('is cdk-nag clean', () => {
    expect(nagFindings(stack)).toEqual([]);
  });
});

describe('streaming function by default', () => {
  it('is absent: no Function URL, no StreamUrl output, no tenant policy', () => {
    const template = Template.fromStack(buildStack('memorydb'));
    template.resourceCountIs('AWS::Lambda::Url', 0);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    expect(Object.keys(template.findOutputs('StreamUrl'))).toEqual([]);
    expect(Object.keys(template.findOutputs('TenantPolicyArn'))).toEqual([]);
  });
});
