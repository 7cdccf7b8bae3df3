import { Aws, Duration, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { HostEgress } from '../network/host-egress';
import type { BackendUnit, CacheTopology, ICacheBackend } from './cache-backend';
import { CacheSecret } from './cache-secret';
import { redisHostBootCommands } from './redis-stack-user-data';

/**
 * The official Redis image on ECR Public (Docker Official Images), pulled anonymously through the
 * host's NAT gateway. ECR Public allows unauthenticated pulls (500 GB a month per source IP).
 */
export const REDIS_IMAGE_REPOSITORY = 'public.ecr.aws/docker/library/redis';

/** How long CloudFormation waits for the host's health signal before failing the stack. */
export const REDIS_HOST_SIGNAL_TIMEOUT = Duration.minutes(15);

/** Props of the Redis-on-EC2 backend. */
export interface RedisStackBackendProps {
  /** VPC of the host. */
  readonly vpc: ec2.IVpc;
  /**
   * The stack's isolated subnets (the function's). The host does not use them: it gets its own
   * subnet with a NAT route (`HostEgress`), so these keep no route to the internet.
   */
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
 * engine, so the official `redis` image is used at a pinned tag, pulled from ECR Public through a
 * NAT gateway that only the host's subnet routes to. `requirepass` comes from Secrets Manager at
 * boot. No SSH key: Session Manager only. IMDSv2 required, root volume encrypted.
 *
 * The deploy proves the host serves: a CreationPolicy waits up to 15 minutes for cfn-signal, which
 * the boot script sends only after an authenticated SET/GET and `FT._LIST` succeed; any failure
 * signals failure and the stack rolls back. A change to the boot script replaces the instance, so
 * every version of it is proven the same way.
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

    this.image = `${REDIS_IMAGE_REPOSITORY}:${props.imageTag ?? '8.2.2'}`;
    const egress = new HostEgress(this, 'Egress', { vpc: props.vpc });

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Redis host: ingress 6379 only from the cache function; egress HTTPS only',
      allowAllOutbound: false,
    });
    // Everything the host calls is HTTPS: dnf repositories, ECR Public, Secrets Manager (its VPC
    // endpoint), Session Manager, CloudFormation (cfn-signal). DNS to the Route 53 Resolver needs
    // no rule: security groups cannot block it.
    this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS: packages, image, AWS APIs');

    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: 'Redis host: Session Manager and its secret',
    });
    this.secret.grantRead(role);

    const userData = ec2.UserData.forLinux();
    this.instance = new ec2.Instance(this, 'Host', {
      vpc: props.vpc,
      vpcSubnets: { subnets: [egress.hostSubnet] },
      instanceType: new ec2.InstanceType(props.instanceType ?? 't4g.small'),
      machineImage: ec2.MachineImage.latestAmazonLinux2023({ cpuType: ec2.AmazonLinuxCpuType.ARM_64 }),
      securityGroup: this.securityGroup,
      role,
      userData,
      requireImdsv2: true,
      ssmSessionPermissions: true,
      // A new boot script means a new instance, which must signal again.
      userDataCausesReplacement: true,
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
    this.instance.node.addDependency(egress.ready);
    const cfnInstance = this.instance.instance;
    cfnInstance.cfnOptions.creationPolicy = {
      resourceSignal: { count: 1, timeout: REDIS_HOST_SIGNAL_TIMEOUT.toIsoString() },
    };
    userData.addCommands(
      ...redisHostBootCommands({
        region: Aws.REGION,
        secretArn: this.secret.secretArn,
        image: this.image,
        stackName: Aws.STACK_NAME,
        logicalId: cfnInstance.logicalId,
      }),
    );
    this.endpoint = this.instance.instancePrivateIp;

    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]',
      reason: 'AmazonSSMManagedInstanceCore is the documented minimum for Session Manager, which replaces SSH on this host.',
    });
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

/**
 * The `redis-stack` unit. The host calls AWS APIs itself (Secrets Manager at boot, Session
 * Manager), so its security group is admitted to the interface endpoints, and the network adds
 * the Session Manager endpoints, so a shell on the host does not depend on its NAT gateway (its
 * image and packages come through that NAT).
 */
export const REDIS_STACK_UNIT: BackendUnit = {
  network: {
    extraInterfaceEndpoints: {
      Ssm: ec2.InterfaceVpcEndpointAwsService.SSM,
      SsmMessages: ec2.InterfaceVpcEndpointAwsService.SSM_MESSAGES,
      Ec2Messages: ec2.InterfaceVpcEndpointAwsService.EC2_MESSAGES,
    },
    endpointAccess: 'Redis host to AWS APIs (SSM, Secrets Manager)',
  },
  create: (scope, where, settings) => {
    const own = settings.backends['redis-stack'];
    return new RedisStackBackend(scope, 'Cache', { ...where, instanceType: own.instanceType, imageTag: own.imageTag, volumeGiB: own.volumeGiB });
  },
};
