import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import { Construct } from 'constructs';
import type { BackendUnit, CacheTopology, ICacheBackend } from './cache-backend';
import { cacheSecurityGroup, elastiCacheAccess } from './cache-access';
import type { CacheSecret } from './cache-secret';
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
 * control is RBAC (`elastiCacheAccess`): a user group of engine `redis` holding the app user and
 * the switched-off `default` user. No server-side vector search: the client index serves semantic.
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
    const access = elastiCacheAccess(this, { secretDescription: 'bedrock-llm-cache: ElastiCache Serverless app user', vectorSearch: false });
    this.secret = access.secret;
    this.securityGroup = cacheSecurityGroup(this, props.vpc, 'ElastiCache Serverless');

    this.cache = new elasticache.CfnServerlessCache(this, 'Cache', {
      serverlessCacheName: physicalName(this, 'llmcache'),
      description: 'bedrock-llm-cache response cache',
      engine: props.engine ?? 'valkey',
      majorEngineVersion: props.majorEngineVersion ?? '8',
      subnetIds: props.vpc.selectSubnets(props.subnets).subnetIds,
      securityGroupIds: [this.securityGroup.securityGroupId],
      userGroupId: access.userGroup.ref,
      cacheUsageLimits: {
        dataStorage: { maximum: props.maxStorageGb ?? 5, unit: 'GB' },
        ecpuPerSecond: { maximum: props.maxEcpuPerSecond ?? 5000 },
      },
    });
    this.endpoint = this.cache.attrEndpointAddress;
  }
}

/** The `elasticache-serverless` unit: nothing beyond the default endpoints. */
export const ELASTICACHE_SERVERLESS_UNIT: BackendUnit = {
  network: {},
  create: (scope, where, settings) => {
    const own = settings.backends['elasticache-serverless'];
    return new ElastiCacheServerlessBackend(scope, 'Cache', { ...where, maxStorageGb: own.maxStorageGb, maxEcpuPerSecond: own.maxEcpuPerSecond });
  },
};
