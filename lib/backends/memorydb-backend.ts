import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as memorydb from 'aws-cdk-lib/aws-memorydb';
import { Construct } from 'constructs';
import type { BackendUnit, CacheTopology, ICacheBackend } from './cache-backend';
import { cacheSecurityGroup, memoryDbAccess } from './cache-access';
import type { CacheSecret } from './cache-secret';
import { physicalName } from './resource-names';

/** Props of a MemoryDB backend. */
export interface MemoryDbBackendProps {
  /** VPC of the cluster. */
  readonly vpc: ec2.IVpc;
  /** Private subnets of the cluster's subnet group. */
  readonly subnets: ec2.SubnetSelection;
  /** Node type. @default db.t4g.small */
  readonly nodeType?: string;
  /** Shard count. @default 1 */
  readonly numShards?: number;
  /** Replicas per shard; one gives Multi-AZ failover. @default 1 */
  readonly numReplicasPerShard?: number;
  /** Engine. @default valkey */
  readonly engine?: 'valkey' | 'redis';
  /** Pinned engine version. @default 7.2 */
  readonly engineVersion?: string;
  /** Parameter group; the vector backend passes its search-enabled group. @default the engine's default group */
  readonly parameterGroupName?: string;
  /** Whether the parameter group enables vector search (FT.*). @default false */
  readonly vectorSearch?: boolean;
}

/**
 * A MemoryDB cluster with TLS, in its own subnet group, reachable only by the ACL's dedicated
 * user: password from Secrets Manager, access string `cacheUserAccessString(vectorSearch)` (only keys under
 * `llmcache:` and only the commands the runtime sends). The engine version is pinned; minor
 * upgrades are applied automatically in the maintenance window.
 */
export class MemoryDbBackend extends Construct implements ICacheBackend {
  readonly endpoint: string;
  readonly port = 6379;
  readonly ports = [6379] as const;
  readonly tls = true;
  readonly topology: CacheTopology = 'cluster';
  readonly vectorSearch: boolean;
  readonly securityGroup: ec2.SecurityGroup;
  readonly secret: CacheSecret;
  /** The cluster resource. */
  readonly cluster: memorydb.CfnCluster;

  constructor(scope: Construct, id: string, props: MemoryDbBackendProps) {
    super(scope, id);
    this.vectorSearch = props.vectorSearch ?? false;
    const access = memoryDbAccess(this, { secretDescription: 'bedrock-llm-cache: MemoryDB app user', vectorSearch: this.vectorSearch });
    this.secret = access.secret;
    const subnetGroup = new memorydb.CfnSubnetGroup(this, 'SubnetGroup', {
      subnetGroupName: physicalName(this, 'llmcache-subnets'),
      description: 'bedrock-llm-cache private subnets',
      subnetIds: props.vpc.selectSubnets(props.subnets).subnetIds,
    });

    this.securityGroup = cacheSecurityGroup(this, props.vpc, 'MemoryDB');

    this.cluster = new memorydb.CfnCluster(this, 'Cluster', {
      clusterName: physicalName(this, 'llmcache'),
      description: 'bedrock-llm-cache response cache',
      engine: props.engine ?? 'valkey',
      engineVersion: props.engineVersion ?? '7.2',
      nodeType: props.nodeType ?? 'db.t4g.small',
      numShards: props.numShards ?? 1,
      numReplicasPerShard: props.numReplicasPerShard ?? 1,
      aclName: access.acl.ref,
      subnetGroupName: subnetGroup.ref,
      securityGroupIds: [this.securityGroup.securityGroupId],
      parameterGroupName: props.parameterGroupName,
      tlsEnabled: true,
      port: this.port,
      autoMinorVersionUpgrade: true,
      snapshotRetentionLimit: 1,
    });
    this.endpoint = this.cluster.attrClusterEndpointAddress;
  }
}

/** The `memorydb` unit: nothing beyond the default endpoints. */
export const MEMORYDB_UNIT: BackendUnit = {
  network: {},
  create: (scope, where, settings) => {
    const own = settings.backends.memorydb;
    return new MemoryDbBackend(scope, 'Cache', { ...where, nodeType: own.nodeType, numShards: own.shards, numReplicasPerShard: own.replicasPerShard });
  },
};
