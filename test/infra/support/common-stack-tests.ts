import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { DEFAULT_CONFIG } from '../../../lib/config/app-config';
import type { BackendId } from '../../../lib/config/backends';
import { runtimeEnvironment } from '../../../lib/function/runtime-environment';
import type { LlmCacheStack } from '../../../lib/stacks/llm-cache-stack';
import { buildStack, maskedTemplate, nagFindings } from './build';
import { joinToText } from './template-json';

/** Literal environment each backend must get (DESIGN.md "Environment" and the backend table). */
export const EXPECTED_BACKEND_ENV: Readonly<Record<BackendId, { CACHE_BACKEND: string; scheme: string; SEMANTIC_INDEX: string }>> = {
  'redis-stack': { CACHE_BACKEND: 'redis', scheme: 'redis://', SEMANTIC_INDEX: 'search' },
  'elasticache-serverless': { CACHE_BACKEND: 'redis-cluster', scheme: 'rediss://', SEMANTIC_INDEX: 'client' },
  memorydb: { CACHE_BACKEND: 'redis-cluster', scheme: 'rediss://', SEMANTIC_INDEX: 'client' },
  'memorydb-vector': { CACHE_BACKEND: 'redis-cluster', scheme: 'rediss://', SEMANTIC_INDEX: 'search' },
  'elasticache-valkey-search': { CACHE_BACKEND: 'redis-cluster', scheme: 'rediss://', SEMANTIC_INDEX: 'search' },
};

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

function cacheFunction(template: Template): { id: string; props: Record<string, unknown> } {
  // The only function in the VPC: the post-deploy check and the trigger provider run outside it.
  const functions = template.findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.handler', VpcConfig: Match.anyValue() } }) as Resources;
  expect(Object.keys(functions)).toHaveLength(1);
  const [id] = Object.keys(functions);
  return { id, props: functions[id].Properties ?? {} };
}

/** Behaviour every backend stack shares; each stack's test file calls this once. */
export function commonStackTests(backend: BackendId, stack: () => LlmCacheStack): void {
  let template: Template;
  beforeAll(() => {
    template = Template.fromStack(stack());
  });

  it('matches the snapshot (asset hashes masked)', () => {
    expect(maskedTemplate(stack())).toMatchSnapshot();
  });

  it('leaves no cdk-nag AwsSolutions finding unacknowledged', () => {
    expect(nagFindings(stack())).toEqual([]);
  });

  it('carries no error or warning annotation', () => {
    // A fresh stack: aspects run on each synth, and a second synth of the shared stack would
    // re-run the IMDSv2 aspect on an instance that already has its launch template.
    const annotations = Annotations.fromStack(buildStack(backend));
    expect(annotations.findError('*', Match.anyValue())).toEqual([]);
    expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
  });

  it('runs the function on Node.js 22, arm64, inside the VPC, with the configured size and timeout', () => {
    const { props } = cacheFunction(template);
    expect(props).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      MemorySize: DEFAULT_CONFIG.lambdaMemoryMb,
      Timeout: DEFAULT_CONFIG.lambdaTimeoutSeconds,
      VpcConfig: { SubnetIds: expect.any(Array), SecurityGroupIds: expect.any(Array) },
    });
    const subnets = template.findResources('AWS::EC2::Subnet') as Resources;
    const functionSubnets = (props.VpcConfig as { SubnetIds: { Ref: string }[] }).SubnetIds.map((s) => s.Ref);
    expect(functionSubnets).toHaveLength(2);
    for (const id of functionSubnets) expect(subnets[id].Properties?.MapPublicIpOnLaunch).toBe(false);
  });

  it('wires the runtime environment from the backend', () => {
    const { props } = cacheFunction(template);
    const env = (props.Environment as { Variables: Record<string, unknown> }).Variables;
    const s = stack();
    const expected = s.resolve(
      runtimeEnvironment({ ...s.backend, secretArn: s.backend.secret.secretArn }, DEFAULT_CONFIG),
    ) as Record<string, unknown>;
    expect(env).toEqual(expected);
    const literal = EXPECTED_BACKEND_ENV[backend];
    expect(env).toMatchObject({
      CACHE_BACKEND: literal.CACHE_BACKEND,
      SEMANTIC_INDEX: literal.SEMANTIC_INDEX,
      CACHE_MODE: 'semantic',
      CACHE_TTL_SECONDS: '86400',
      SEMANTIC_THRESHOLD: '0.9',
      CACHE_NAMESPACE: 'default',
      LLM_MODEL_ID: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
      LLM_ALLOWED_MODEL_IDS: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
      EMBEDDING_MODEL_ID: 'amazon.titan-embed-text-v2:0',
      EMBEDDING_DIMENSIONS: '1024',
      POWERTOOLS_SERVICE_NAME: { Ref: 'AWS::StackName' },
      POWERTOOLS_METRICS_NAMESPACE: 'BedrockLlmCache',
    });
    expect(JSON.stringify(env.CACHE_URL)).toContain(literal.scheme);
    expect(env.CACHE_SECRET_ARN).toEqual({ Ref: expect.stringMatching(/Secret/) });
  });

  it('grants the function InvokeModel on exactly the configured models and GetSecretValue on exactly its secret', () => {
    const { props } = cacheFunction(template);
    const roleId = (props.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }) as Resources;
    const statements = Object.values(policies).flatMap(
      (p) => (p.Properties?.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement,
    );
    expect(statements.map((st) => st.Action).sort()).toEqual(['bedrock:InvokeModel', 'secretsmanager:GetSecretValue']);
    const bedrock = statements.find((st) => st.Action === 'bedrock:InvokeModel');
    const arns = (bedrock?.Resource as unknown[]).map((r) => JSON.stringify(joinToText(r)));
    expect(arns).toEqual([
      JSON.stringify('arn:${AWS::Partition}:bedrock:us-east-1:${AWS::AccountId}:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0'),
      JSON.stringify('arn:${AWS::Partition}:bedrock:us-east-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0'),
      JSON.stringify('arn:${AWS::Partition}:bedrock:us-east-2::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0'),
      JSON.stringify('arn:${AWS::Partition}:bedrock:us-west-2::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0'),
      JSON.stringify('arn:${AWS::Partition}:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0'),
    ]);
    const secret = statements.find((st) => st.Action === 'secretsmanager:GetSecretValue');
    expect(secret?.Resource).toEqual({ Ref: expect.stringMatching(/Secret/) });
    for (const st of statements) expect(JSON.stringify(st.Resource)).not.toMatch(/"\*"|:\*"|\/\*"/);
  });

  it('admits traffic to the cache only from the function security group', () => {
    const { props } = cacheFunction(template);
    const functionSg = (props.VpcConfig as { SecurityGroupIds: unknown[] }).SecurityGroupIds[0];
    const cacheSgId = Stack.of(stack()).getLogicalId(stack().backend.securityGroup.node.defaultChild as never);
    const ingress = template.findResources('AWS::EC2::SecurityGroupIngress', {
      Properties: { GroupId: { 'Fn::GetAtt': [cacheSgId, 'GroupId'] } },
    }) as Resources;
    const rules = Object.values(ingress).map((r) => r.Properties);
    expect(rules.length).toBe(stack().backend.ports.length);
    for (const rule of rules) {
      expect(rule?.SourceSecurityGroupId).toEqual(functionSg);
      expect(stack().backend.ports).toContain(rule?.FromPort);
      expect(rule?.ToPort).toBe(rule?.FromPort);
    }
  });

  it('has no ingress from 0.0.0.0/0 or ::/0 anywhere', () => {
    const json = JSON.stringify(template.toJSON());
    const groups = template.findResources('AWS::EC2::SecurityGroup') as Resources;
    for (const group of Object.values(groups)) {
      expect(group.Properties?.SecurityGroupIngress ?? []).toEqual([]);
    }
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress') as Resources);
    for (const rule of ingress) {
      expect(rule.Properties?.CidrIp).toBeUndefined();
      expect(rule.Properties?.CidrIpv6).toBeUndefined();
    }
    expect(json).not.toContain('"CidrIp":"0.0.0.0/0","Description":"from');
  });

  it('builds a VPC over two AZs with private subnets, and endpoints for bedrock-runtime and secretsmanager', () => {
    // Only the redis-stack EC2 host gets an egress path (one NAT subnet and one host subnet);
    // test/infra/network asserts the function subnets never route to it.
    const hostEgress = backend === 'redis-stack' ? 1 : 0;
    template.resourceCountIs('AWS::EC2::NatGateway', hostEgress);
    template.resourceCountIs('AWS::EC2::InternetGateway', hostEgress);
    template.resourceCountIs('AWS::EC2::Subnet', 2 + 2 * hostEgress);
    for (const service of ['bedrock-runtime', 'secretsmanager']) {
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Interface',
        PrivateDnsEnabled: true,
        ServiceName: Match.stringLikeRegexp(`\\.${service}$`),
      });
    }
  });

  it('outputs the function name, the cache endpoint and a ready invoke command', () => {
    template.hasOutput('FunctionName', {});
    template.hasOutput('CacheEndpoint', {});
    template.hasOutput('InvokeCommand', { Value: Match.objectLike({ 'Fn::Join': Match.anyValue() }) });
    expect(JSON.stringify(template.findOutputs('InvokeCommand'))).toContain('aws lambda invoke');
  });
}
