import { Validations } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import { Construct } from 'constructs';
import type { BackendUnit, CacheTopology, ICacheBackend } from './cache-backend';
import { cacheSecurityGroup, elastiCacheAccess } from './cache-access';
import type { CacheSecret } from './cache-secret';
import { SEARCH_DATA_TIERING_NODE, SEARCH_SMALL_BURSTABLE_NODE } from '../../lambda/settings/backend-settings';
import { physicalName } from './resource-names';

/**
 * Engine of ElastiCache vector search: Valkey 8.2 or later on a node-based cluster (ElastiCache
 * guide, "Search features and limits"), with the engine's default cluster-mode parameter group.
 */
export const VALKEY_SEARCH_ENGINE = { engine: 'valkey', minVersion: [8, 2], parameterGroupPrefix: 'default.valkey' } as const;

/** Props of the ElastiCache for Valkey vector-search backend. */
export interface ElastiCacheValkeySearchBackendProps {
  /** VPC of the replication group. */
  readonly vpc: ec2.IVpc;
  /** Private subnets of its subnet group. */
  readonly subnets: ec2.SubnetSelection;
  /** Node type; search runs on every type but data-tiering (`r6gd`) ones. @default cache.r7g.large */
  readonly nodeType?: string;
  /** Shards (node groups); search spans all of them. @default 1 */
  readonly numShards?: number;
  /** Replicas per shard; at least one gives Multi-AZ failover. @default 1 */
  readonly replicasPerShard?: number;
  /** Engine version, `major.minor`, 8.2 or later. @default 8.2 */
  readonly engineVersion?: string;
}

/**
 * ElastiCache for Valkey with vector search (valkey-search): a node-based replication group in
 * cluster mode, TLS required in transit, encrypted at rest, Multi-AZ with automatic failover when
 * every shard has a replica. Access is RBAC (`elastiCacheAccess`) with the FT commands granted.
 * The client connects to the configuration endpoint with the cluster protocol; FT.SEARCH fans out
 * across shards on the server, so, unlike MemoryDB, search is not limited to one shard.
 *
 * Refused at synth, with the reason: an engine older than 8.2, a data-tiering node type, and the
 * micro/small burstable types that search needs a larger memory reserve on.
 */
export class ElastiCacheValkeySearchBackend extends Construct implements ICacheBackend {
  readonly endpoint: string;
  readonly port = 6379;
  readonly ports = [6379] as const;
  readonly tls = true;
  readonly topology: CacheTopology = 'cluster';
  readonly vectorSearch = true;
  readonly securityGroup: ec2.SecurityGroup;
  readonly secret: CacheSecret;
  /** The replication group resource. */
  readonly replicationGroup: elasticache.CfnReplicationGroup;

  constructor(scope: Construct, id: string, props: ElastiCacheValkeySearchBackendProps) {
    super(scope, id);
    const nodeType = props.nodeType ?? 'cache.r7g.large';
    const engineVersion = props.engineVersion ?? '8.2';
    const replicasPerShard = props.replicasPerShard ?? 1;
    assertSearchCapable(nodeType, engineVersion);

    const access = elastiCacheAccess(this, { secretDescription: 'bedrock-llm-cache: ElastiCache for Valkey app user', vectorSearch: true });
    this.secret = access.secret;
    this.securityGroup = cacheSecurityGroup(this, props.vpc, 'ElastiCache for Valkey');
    const subnetGroup = new elasticache.CfnSubnetGroup(this, 'SubnetGroup', {
      cacheSubnetGroupName: physicalName(this, 'llmcache-subnets'),
      description: 'bedrock-llm-cache private subnets',
      subnetIds: props.vpc.selectSubnets(props.subnets).subnetIds,
    });

    const multiAz = replicasPerShard > 0;
    this.replicationGroup = new elasticache.CfnReplicationGroup(this, 'ReplicationGroup', {
      replicationGroupId: physicalName(this, 'llmcache'),
      replicationGroupDescription: 'bedrock-llm-cache response cache with vector search',
      engine: VALKEY_SEARCH_ENGINE.engine,
      engineVersion,
      cacheParameterGroupName: `${VALKEY_SEARCH_ENGINE.parameterGroupPrefix}${engineVersion.split('.')[0]}.cluster.on`,
      cacheNodeType: nodeType,
      clusterMode: 'enabled',
      numNodeGroups: props.numShards ?? 1,
      replicasPerNodeGroup: replicasPerShard,
      // Cluster mode enabled requires automatic failover; Multi-AZ requires a replica to fail over to.
      automaticFailoverEnabled: true,
      multiAzEnabled: multiAz,
      transitEncryptionEnabled: true,
      transitEncryptionMode: 'required',
      atRestEncryptionEnabled: true,
      userGroupIds: [access.userGroup.ref],
      cacheSubnetGroupName: subnetGroup.ref,
      securityGroupIds: [this.securityGroup.securityGroupId],
      port: this.port,
      autoMinorVersionUpgrade: true,
      snapshotRetentionLimit: 1,
    });
    this.endpoint = this.replicationGroup.attrConfigurationEndPointAddress;

    Validations.of(this.replicationGroup).acknowledge(
      {
        id: 'AwsSolutions-AEC5',
        reason:
          'The default port 6379 is kept: the cache admits only the function security group and requires TLS and an RBAC password, so a non-default port adds no protection, and every other backend and the runtime use 6379.',
      },
      {
        id: 'AwsSolutions-AEC6',
        reason:
          'Authentication is RBAC (UserGroupIds): a per-user password from Secrets Manager and a least-privilege access string, which replaces the single shared AUTH token this rule looks for; the switched-off default user cannot be used.',
      },
    );
    if (!multiAz) {
      Validations.of(this.replicationGroup).acknowledge({
        id: 'AwsSolutions-AEC4',
        reason: 'Chosen with replicasPerShard=0: Multi-AZ needs a replica per shard; the cache holds only rebuildable answers.',
      });
    }
  }
}

/** Throws when ElastiCache vector search does not run on this node type or engine version. */
export function assertSearchCapable(nodeType: string, engineVersion: string): void {
  const [major, minor] = engineVersion.split('.').map(Number);
  const [minMajor, minMinor] = VALKEY_SEARCH_ENGINE.minVersion;
  if (!(major > minMajor || (major === minMajor && minor >= minMinor))) {
    throw new Error(`ElastiCache vector search needs Valkey 8.2 or later; got engineVersion=${engineVersion}.`);
  }
  if (SEARCH_DATA_TIERING_NODE.test(nodeType)) {
    throw new Error(`ElastiCache vector search does not run on data-tiering nodes; got nodeType=${nodeType}.`);
  }
  if (SEARCH_SMALL_BURSTABLE_NODE.test(nodeType)) {
    throw new Error(`ElastiCache vector search on ${nodeType} needs a 30-50% memory reserve, which this stack does not configure; use cache.t4g.medium or larger.`);
  }
}

/** The `elasticache-valkey-search` unit: nothing beyond the default endpoints. */
export const ELASTICACHE_VALKEY_SEARCH_UNIT: BackendUnit = {
  network: {},
  create: (scope, where, settings) => {
    const own = settings.backends['elasticache-valkey-search'];
    return new ElastiCacheValkeySearchBackend(scope, 'Cache', {
      ...where,
      nodeType: own.nodeType,
      numShards: own.shards,
      replicasPerShard: own.replicasPerShard,
      engineVersion: own.engineVersion,
    });
  },
};
