import { Match, Template } from 'aws-cdk-lib/assertions';
import type { LlmCacheStack } from '../../lib/stacks/llm-cache-stack';
import { buildStack } from './support/build';
import { commonStackTests } from './support/common-stack-tests';

describe('LlmCache-RedisStack', () => {
  let stack: LlmCacheStack;
  let template: Template;
  let userData: string;
  beforeAll(() => {
    stack = buildStack('redis-stack');
    template = Template.fromStack(stack);
    const instance = Object.values(template.findResources('AWS::EC2::Instance'))[0];
    userData = JSON.stringify(instance.Properties.UserData);
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
    for (const service of ['ssm', 'ssmmessages', 'ec2messages', 'ecr.api', 'ecr.dkr']) {
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceName: Match.stringLikeRegexp(`\\.${service}$`) });
    }
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway' });
  });

  it('pulls a pinned Redis 8 image through an ECR pull-through cache rule for ECR Public', () => {
    template.hasResourceProperties('AWS::ECR::PullThroughCacheRule', { UpstreamRegistryUrl: 'public.ecr.aws' });
    expect(userData).toMatch(/docker\/library\/redis:8\.2\.2 redis-server/);
    expect(userData).not.toContain(':latest');
  });

  it('reads requirepass from Secrets Manager at boot and never carries a password in user data', () => {
    expect(userData).toContain('aws secretsmanager get-secret-value');
    expect(userData).toContain('requirepass ${REDIS_PASSWORD}');
    expect(userData).toContain('chmod 0600 /etc/llmcache/redis/redis.conf');
    expect(userData).not.toMatch(/resolve:secretsmanager/);
    expect(userData).not.toMatch(/--requirepass/);
  });

  it('grants the host exactly the pull-through cache actions on its own prefix', () => {
    const prefix = (Object.values(template.findResources('AWS::ECR::PullThroughCacheRule'))[0].Properties as { EcrRepositoryPrefix: string }).EcrRepositoryPrefix;
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith(['ecr:BatchImportUpstreamImage', 'ecr:CreateRepository']),
            Resource: { 'Fn::Join': ['', Match.arrayWith([`:repository/${prefix}/*`])] },
          }),
        ]),
      },
    });
  });

  it('serves standalone Redis without TLS, with FT.* search', () => {
    expect(stack.backend).toMatchObject({ tls: false, topology: 'standalone', vectorSearch: true, port: 6379 });
  });

  it('rejects latest or a non-Graviton instance type at synth', () => {
    expect(() => buildStack('redis-stack', { redisImageTag: 'latest' })).toThrow(/redisImageTag=latest is invalid; expected an exact version tag/);
    expect(() => buildStack('redis-stack', { redisInstanceType: 't3.small' })).toThrow(/redisInstanceType=t3.small is invalid; expected a Graviton type/);
  });
});
