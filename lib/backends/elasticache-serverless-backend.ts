import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import { Construct } from 'constructs';
import { cacheUserAccessString, DISABLED_USER_ACCESS_STRING } from '../config/cache-acl';
import type { CacheTopology, ICacheBackend } from './cache-backend';
import { CacheSecret } from './cache-secret';
import { physicalName } from './resource-names';

/** Props of the ElastiCache Serverless backend. */
export interface ElastiCacheServerlessBackendProps {
  /** VPC of the cache. */
  readonly vpc: ec2.IVpc;
  /** Private subnets the cache's endpoints live in. */
  readonly subnets: ec2.SubnetSelection;
  /** Data storage ceiling in GB. @default 5 */
  readonly maxStorageGb?: number;
  /** ECPU-per-second ceiling. @default 5000 */
  readonly maxEcpuPerSecond?: number;
  /** Engine of the serverless cache. @default valkey */
  readonly engine?: 'valkey' | 'redis';
  /** Pinned major engine version. @default 8 */
  readonly majorEngineVersion?: string;
}

/**
 * ElastiCache Serverless (Valkey by default). TLS is always on and cannot be turned off. Access
 * control is RBAC: a user group holding the app user (password from Secrets Manager, access string
 * from `cacheUserAccessString`) and the `default`-named user that every Redis-engine user
 * group must contain, switched off. Users and group use engine `redis`, which the ElastiCache
 * guide asks for even with a Valkey cache.
 */
export class ElastiCacheServerlessBackend extends Construct implements ICacheBackend {
  readonly endpoint: string;
  readonly port = 6379;
  /** 6379 is the primary endpoint, 6380 the reader endpoint. */
  readonly ports = [6379, 6380] as const;
  readonly tls = true;
  readonly topology: CacheTopology = 'cluster';
  readonly vectorSearch = false;
  readonly securityGroup: ec2.SecurityGroup;
  readonly secret: CacheSecret;
  /** The serverless cache resource. */
  readonly cache: elasticache.CfnServerlessCache;

  constructor(scope: Construct, id: string, props: ElastiCacheServerlessBackendProps) {
    super(scope, id);
    const username = 'llmcache';
    this.secret = new CacheSecret(this, 'Secret', { username, description: 'bedrock-llm-cache: ElastiCache Serverless app user' });

    const appUser = new elasticache.CfnUser(this, 'AppUser', {
      engine: 'redis',
      userId: physicalName(this, 'llmcache-app'),
      userName: username,
      accessString: cacheUserAccessString(false),
      passwords: [this.secret.secretValueFromJson('password').unsafeUnwrap()],
    });
    const defaultUser = new elasticache.CfnUser(this, 'DefaultUser', {
      engine: 'redis',
      userId: physicalName(this, 'llmcache-off'),
      userName: 'default',
      accessString: DISABLED_USER_ACCESS_STRING,
      noPasswordRequired: true,
    });
    const userGroup = new elasticache.CfnUserGroup(this, 'UserGroup', {
      engine: 'redis',
      userGroupId: physicalName(this, 'llmcache'),
      userIds: [defaultUser.ref, appUser.ref],
    });

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'ElastiCache Serverless: ingress only from the cache function',
      allowAllOutbound: false,
    });

    this.cache = new elasticache.CfnServerlessCache(this, 'Cache', {
      serverlessCacheName: physicalName(this, 'llmcache'),
      description: 'bedrock-llm-cache response cache',
      engine: props.engine ?? 'valkey',
      majorEngineVersion: props.majorEngineVersion ?? '8',
      subnetIds: props.vpc.selectSubnets(props.subnets).subnetIds,
      securityGroupIds: [this.securityGroup.securityGroupId],
      userGroupId: userGroup.ref,
      cacheUsageLimits: {
        dataStorage: { maximum: props.maxStorageGb ?? 5, unit: 'GB' },
        ecpuPerSecond: { maximum: props.maxEcpuPerSecond ?? 5000 },
      },
    });
    this.endpoint = this.cache.attrEndpointAddress;
  }
}
