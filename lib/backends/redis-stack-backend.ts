import { Aws, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { CacheTopology, ICacheBackend } from './cache-backend';
import { CacheSecret } from './cache-secret';
import { redisHostBootCommands } from './redis-stack-user-data';
import { physicalName } from './resource-names';

/** Upstream registry of the pull-through cache rule, and the official Redis image's path there. */
export const REDIS_UPSTREAM = { registry: 'public.ecr.aws', repository: 'docker/library/redis' } as const;

/** Props of the Redis-on-EC2 backend. */
export interface RedisStackBackendProps {
  /** VPC of the host. */
  readonly vpc: ec2.IVpc;
  /** Private subnets; the host goes in the first. */
  readonly subnets: ec2.SubnetSelection;
  /** Graviton instance type. @default t4g.small */
  readonly instanceType?: string;
  /** Exact tag of the official Redis image (Redis 8 ships the query engine). @default 8.2.2 */
  readonly imageTag?: string;
  /** Root volume size in GiB. @default 16 */
  readonly volumeGiB?: number;
}

/**
 * Redis with the query engine (FT.* vector search) in Docker on one Amazon Linux 2023 Graviton
 * instance. Redis Stack is end-of-maintenance; Redis 8 open-source images include the query
 * engine, so the official `redis` image is used at a pinned tag, pulled through an ECR
 * pull-through cache rule for ECR Public. `requirepass` comes from Secrets Manager at boot. No
 * SSH key: Session Manager only. IMDSv2 required, root volume encrypted.
 */
export class RedisStackBackend extends Construct implements ICacheBackend {
  readonly endpoint: string;
  readonly port = 6379;
  readonly ports = [6379] as const;
  readonly tls = false;
  readonly topology: CacheTopology = 'standalone';
  readonly vectorSearch = true;
  readonly securityGroup: ec2.SecurityGroup;
  readonly secret: CacheSecret;
  /** The EC2 host. */
  readonly instance: ec2.Instance;
  /** Full image reference the host runs. */
  readonly image: string;

  constructor(scope: Construct, id: string, props: RedisStackBackendProps) {
    super(scope, id);
    // requirepass authenticates the built-in `default` user.
    this.secret = new CacheSecret(this, 'Secret', { username: 'default', description: 'bedrock-llm-cache: Redis requirepass' });

    const prefix = physicalName(this, 'llmcache');
    new ecr.CfnPullThroughCacheRule(this, 'EcrPublicCache', {
      ecrRepositoryPrefix: prefix,
      upstreamRegistryUrl: REDIS_UPSTREAM.registry,
    });
    const registry = `${Aws.ACCOUNT_ID}.dkr.ecr.${Aws.REGION}.${Aws.URL_SUFFIX}`;
    this.image = `${registry}/${prefix}/${REDIS_UPSTREAM.repository}:${props.imageTag ?? '8.2.2'}`;

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Redis host: ingress 6379 only from the cache function; egress to VPC endpoints',
      allowAllOutbound: true,
    });

    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: 'Redis host: Session Manager, its secret, image pulls through the ECR cache',
    });
    this.secret.grantRead(role);
    // Pseudo-parameter tokens (not the stack's literal region) keep the ARN, and the cdk-nag
    // acknowledgment below that names it, the same whether or not the environment is known.
    const repositoryArn = `arn:${Aws.PARTITION}:ecr:${Aws.REGION}:${Aws.ACCOUNT_ID}:repository/${prefix}/*`;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PullThroughCache',
        actions: [
          'ecr:BatchGetImage',
          'ecr:GetDownloadUrlForLayer',
          'ecr:BatchCheckLayerAvailability',
          // First pull of a tag: ECR creates the repository and imports the image from upstream.
          'ecr:BatchImportUpstreamImage',
          'ecr:CreateRepository',
        ],
        resources: [repositoryArn],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'EcrLogin', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }),
    );

    const userData = ec2.UserData.forLinux();
    userData.addCommands(
      ...redisHostBootCommands({ region: Aws.REGION, secretArn: this.secret.secretArn, registry, image: this.image }),
    );

    this.instance = new ec2.Instance(this, 'Host', {
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      instanceType: new ec2.InstanceType(props.instanceType ?? 't4g.small'),
      machineImage: ec2.MachineImage.latestAmazonLinux2023({ cpuType: ec2.AmazonLinuxCpuType.ARM_64 }),
      securityGroup: this.securityGroup,
      role,
      userData,
      requireImdsv2: true,
      ssmSessionPermissions: true,
      blockDevices: [
        {
          deviceName: '/dev/xvda',
          volume: ec2.BlockDeviceVolume.ebs(props.volumeGiB ?? 16, {
            encrypted: true,
            volumeType: ec2.EbsDeviceVolumeType.GP3,
            deleteOnTermination: true,
          }),
        },
      ],
    });
    this.endpoint = this.instance.instancePrivateIp;

    const iamReason =
      'ecr:GetAuthorizationToken has no resource-level permissions (must be "*"); the repository wildcard is limited to this stack\'s pull-through cache prefix, whose repositories ECR creates on first pull.';
    Validations.of(role).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]',
        reason: 'AmazonSSMManagedInstanceCore is the documented minimum for Session Manager, which replaces SSH on this host.',
      },
      { id: 'AwsSolutions-IAM5[Resource::*]', reason: iamReason },
      { id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecr:<AWS::Region>:<AWS::AccountId>:repository/${prefix}/*]`, reason: iamReason },
    );
    Validations.of(this.instance).acknowledge(
      {
        id: 'AwsSolutions-EC28',
        reason: 'A single disposable cache host; basic (5-minute) monitoring is enough and detailed monitoring adds cost.',
      },
      {
        id: 'AwsSolutions-EC29',
        reason: 'The host holds only a rebuildable cache; termination protection would block `cdk destroy`, and an ASG adds nothing for one stateful node.',
      },
    );
  }
}
