import { spawnSync } from 'node:child_process';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { LlmCacheStack } from '../../lib/stacks/llm-cache-stack';
import { buildStack } from './support/build';
import { commonStackTests } from './support/common-stack-tests';
import { joinToText } from './support/template-json';

/** The user data as the host receives it, with each `{ Ref: X }` shown as `${X}`. */
function renderUserData(userData: unknown): string {
  return joinToText((userData as { 'Fn::Base64': unknown })['Fn::Base64']);
}

describe('LlmCache-RedisStack', () => {
  let stack: LlmCacheStack;
  let template: Template;
  let userData: string;
  let script: string;
  beforeAll(() => {
    stack = buildStack('redis-stack');
    template = Template.fromStack(stack);
    const instance = Object.values(template.findResources('AWS::EC2::Instance'))[0];
    userData = JSON.stringify(instance.Properties.UserData);
    script = renderUserData(instance.Properties.UserData);
  });

  commonStackTests('redis-stack', () => stack);

  it('runs one Graviton Amazon Linux 2023 instance with IMDSv2, no SSH key and an encrypted gp3 root volume', () => {
    template.resourceCountIs('AWS::EC2::Instance', 1);
    const instance = Object.values(template.findResources('AWS::EC2::Instance'))[0].Properties;
    expect(instance.InstanceType).toBe('t4g.small');
    expect(instance.KeyName).toBeUndefined();
    expect(JSON.stringify(instance.ImageId)).toMatch(/al2023amikernel.*arm64/);
    expect(instance.BlockDeviceMappings).toEqual([
      { DeviceName: '/dev/xvda', Ebs: { Encrypted: true, VolumeSize: 16, VolumeType: 'gp3', DeleteOnTermination: true } },
    ]);
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: { MetadataOptions: { HttpTokens: 'required' } },
    });
  });

  it('lets Session Manager in through its managed policy and endpoints instead of SSH', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 'ec2.amazonaws.com' } })] }),
      ManagedPolicyArns: [{ 'Fn::Join': ['', Match.arrayWith([':iam::aws:policy/AmazonSSMManagedInstanceCore'])] }],
    });
    for (const service of ['ssm', 'ssmmessages', 'ec2messages']) {
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceName: Match.stringLikeRegexp(`\\.${service}$`) });
    }
  });

  it('pulls a pinned Redis 8 image straight from ECR Public, with no pull-through cache, ECR endpoints or ECR permissions', () => {
    expect(script).toContain("readonly IMAGE='public.ecr.aws/docker/library/redis:8.2.2'");
    expect(script).toContain('retry 5 docker pull "$IMAGE"');
    expect(script).not.toContain(':latest');
    template.resourceCountIs('AWS::ECR::PullThroughCacheRule', 0);
    const endpoints = JSON.stringify(template.findResources('AWS::EC2::VPCEndpoint'));
    expect(endpoints).not.toMatch(/\.ecr\.(api|dkr)"|\.s3"/);
    expect(JSON.stringify(template.findResources('AWS::IAM::Policy'))).not.toContain('ecr:');
  });

  it('lets the host out on HTTPS only', () => {
    const sgId = stack.getLogicalId(stack.backend.securityGroup.node.defaultChild as never);
    const group = template.toJSON().Resources[sgId] as { Properties: { SecurityGroupEgress: unknown[] } };
    expect(group.Properties.SecurityGroupEgress).toEqual([
      expect.objectContaining({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }),
    ]);
    template.resourceCountIs('AWS::EC2::SecurityGroupEgress', 0);
  });

  it('waits for one success signal for at most 15 minutes before the stack may complete', () => {
    const [id] = Object.keys(template.findResources('AWS::EC2::Instance'));
    const resource = template.toJSON().Resources[id] as { CreationPolicy?: unknown };
    expect(resource.CreationPolicy).toEqual({ ResourceSignal: { Count: 1, Timeout: 'PT15M' } });
  });

  it("signals the instance's own CreationPolicy with the stack name and region, through /opt/aws/bin/cfn-signal", () => {
    const [id] = Object.keys(template.findResources('AWS::EC2::Instance'));
    expect(script).toContain(`readonly LOGICAL_ID='${id}'`);
    expect(script).toContain("readonly STACK_NAME='${AWS::StackName}'");
    expect(script).toContain("readonly REGION='${AWS::Region}'");
    expect(script).toContain('/opt/aws/bin/cfn-signal');
    expect(script).toContain('--stack "$STACK_NAME" --resource "$LOGICAL_ID" --region "$REGION"');
    expect(script).toContain('trap on_error ERR');
    expect(script).toMatch(/^set -euo pipefail$/m);
  });

  it('signals success only after a health check that authenticates, writes and reads a key and sees FT._LIST', () => {
    for (const command of ['rcli PING', 'rcli SET llmcache:boot:health', 'rcli GET llmcache:boot:health', 'rcli FT._LIST']) {
      expect(script).toContain(command);
    }
    expect(script.indexOf('retry 8 health_check')).toBeGreaterThan(0);
    expect(script.indexOf('retry 8 health_check')).toBeLessThan(script.indexOf('retry 5 signal 0'));
    expect(script).toContain('docker exec -e REDISCLI_AUTH redis redis-cli');
  });

  it('replaces the instance when the boot script changes, so a new version must signal again', () => {
    const instanceIds = (context: Record<string, unknown>) =>
      Object.keys(Template.fromStack(buildStack('redis-stack', context)).findResources('AWS::EC2::Instance'));
    expect(instanceIds({ redisImageTag: '8.2.1' })).not.toEqual(instanceIds({}));
  });

  it('keeps its user data under the 16 KB EC2 limit', () => {
    expect(Buffer.byteLength(script, 'utf8')).toBeLessThan(16 * 1024);
  });

  it('reads requirepass from Secrets Manager at boot and never carries a password in user data', () => {
    expect(script).toContain('aws secretsmanager get-secret-value');
    expect(script).toContain('"requirepass $(< "$PASSWORD_FILE")"');
    expect(script).toContain('chmod 0600 "$CONF_DIR/redis.conf"');
    expect(userData).not.toMatch(/resolve:secretsmanager/);
    expect(script).not.toMatch(/--requirepass|redis-cli -a |--pass /);
  });

  it('generates a boot script that bash parses (bash -n)', () => {
    const result = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('serves standalone Redis without TLS, with FT.* search', () => {
    expect(stack.backend).toMatchObject({ tls: false, topology: 'standalone', vectorSearch: true, port: 6379 });
  });

  it('rejects latest or a non-Graviton instance type at synth', () => {
    expect(() => buildStack('redis-stack', { redisImageTag: 'latest' })).toThrow(/redisImageTag=latest is invalid; expected an exact version tag/);
    expect(() => buildStack('redis-stack', { redisInstanceType: 't3.small' })).toThrow(/redisInstanceType=t3.small is invalid; expected a Graviton type/);
  });
});
