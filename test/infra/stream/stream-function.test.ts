import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildStack, nagFindings } from '../support/build';

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

  it('is cdk-nag clean', () => {
    expect(nagFindings(stack)).toEqual([]);
  });
});

describe('streaming function by default', () => {
  it('is absent: no Function URL, no StreamUrl output', () => {
    const template = Template.fromStack(buildStack('memorydb'));
    template.resourceCountIs('AWS::Lambda::Url', 0);
    expect(Object.keys(template.findOutputs('StreamUrl'))).toEqual([]);
  });
});
