import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as memorydb from 'aws-cdk-lib/aws-memorydb';
import { Construct } from 'constructs';
import type { BackendUnit, CacheTopology, ICacheBackend } from './cache-backend';
import { MemoryDbBackend } from './memorydb-backend';
import { physicalName } from './resource-names';

/** Engine, version and parameter-group family of MemoryDB vector search (MemoryDB guide, "Create a cluster enabled for vector search"). */
export const MEMORYDB_SEARCH_ENGINE = { engine: 'redis', engineVersion: '7.1', family: 'memorydb_redis7' } as const;

/** Props of the MemoryDB vector-search backend. */
export interface MemoryDbVectorBackendProps {
  /** VPC of the cluster. */
  readonly vpc: ec2.IVpc;
  /** Private subnets of the cluster's subnet group. */
  readonly subnets: ec2.SubnetSelection;
  /** Node type: R6g, R7g or T4g (the ones vector search supports). @default db.t4g.small */
  readonly nodeType?: string;
  /** Shard count; vector search supports exactly one. @default 1 */
  readonly numShards?: number;
  /** Replicas per shard. @default 1 */
  readonly numReplicasPerShard?: number;
}

/**
 * MemoryDB with vector search: everything `MemoryDbBackend` sets up, plus a parameter group with
 * `search-enabled yes`. Search is chosen at cluster creation and runs on a single shard only, so
 * any other shard count fails at synth.
 */
export class MemoryDbVectorBackend extends Construct implements ICacheBackend {
  readonly endpoint: string;
  readonly port: number;
  readonly ports: readonly number[];
  readonly tls = true;
  readonly topology: CacheTopology = 'cluster';
  readonly vectorSearch = true;
  readonly securityGroup: ec2.ISecurityGroup;
  readonly secret: MemoryDbBackend['secret'];
  /** The search-enabled parameter group. */
  readonly parameterGroup: memorydb.CfnParameterGroup;
  /** The underlying cluster construct. */
  readonly cluster: MemoryDbBackend;

  constructor(scope: Construct, id: string, props: MemoryDbVectorBackendProps) {
    super(scope, id);
    const numShards = props.numShards ?? 1;
    if (numShards !== 1) {
      throw new Error(`MemoryDB vector search supports exactly one shard; got numShards=${numShards}. Use the memorydb backend for a sharded cluster without vector search.`);
    }
    this.parameterGroup = new memorydb.CfnParameterGroup(this, 'SearchParameters', {
      parameterGroupName: physicalName(this, 'llmcache-search'),
      family: MEMORYDB_SEARCH_ENGINE.family,
      description: 'bedrock-llm-cache: vector search enabled',
      parameters: { 'search-enabled': 'yes' },
    });
    this.cluster = new MemoryDbBackend(this, 'Cluster', {
      vpc: props.vpc,
      subnets: props.subnets,
      nodeType: props.nodeType ?? 'db.t4g.small',
      numShards,
      numReplicasPerShard: props.numReplicasPerShard,
      engine: MEMORYDB_SEARCH_ENGINE.engine,
      engineVersion: MEMORYDB_SEARCH_ENGINE.engineVersion,
      parameterGroupName: this.parameterGroup.ref,
      vectorSearch: true,
    });
    this.endpoint = this.cluster.endpoint;
    this.port = this.cluster.port;
    this.ports = this.cluster.ports;
    this.securityGroup = this.cluster.securityGroup;
    this.secret = this.cluster.secret;
  }
}

/** The `memorydb-vector` unit: nothing beyond the default endpoints. */
export const MEMORYDB_VECTOR_UNIT: BackendUnit = {
  network: {},
  create: (scope, where, settings) => {
    const own = settings.backends['memorydb-vector'];
    return new MemoryDbVectorBackend(scope, 'Cache', { ...where, nodeType: own.nodeType, numShards: own.shards, numReplicasPerShard: own.replicasPerShard });
  },
};
