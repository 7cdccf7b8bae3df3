import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import type { LlmCacheConfig } from '../config/app-config';
import type { BackendId } from '../config/backends';
import type { ICacheBackend } from './cache-backend';
import { ElastiCacheServerlessBackend } from './elasticache-serverless-backend';
import { MemoryDbBackend } from './memorydb-backend';
import { MemoryDbVectorBackend } from './memorydb-vector-backend';
import { RedisStackBackend } from './redis-stack-backend';

/** Where a backend goes. */
export interface BackendPlacement {
  /** VPC of the cache. */
  readonly vpc: ec2.IVpc;
  /** Private subnets of the cache. */
  readonly subnets: ec2.SubnetSelection;
}

/** Builds the backend construct for an id, sized from the settings. */
export function createBackend(scope: Construct, id: BackendId, where: BackendPlacement, settings: LlmCacheConfig): ICacheBackend {
  switch (id) {
    case 'redis-stack':
      return new RedisStackBackend(scope, 'Cache', {
        ...where,
        instanceType: settings.redisInstanceType,
        imageTag: settings.redisImageTag,
        volumeGiB: settings.redisVolumeGiB,
      });
    case 'elasticache-serverless':
      return new ElastiCacheServerlessBackend(scope, 'Cache', {
        ...where,
        maxStorageGb: settings.elastiCacheMaxStorageGb,
        maxEcpuPerSecond: settings.elastiCacheMaxEcpuPerSecond,
      });
    case 'memorydb':
      return new MemoryDbBackend(scope, 'Cache', {
        ...where,
        nodeType: settings.memoryDbNodeType,
        numShards: settings.memoryDbShards,
        numReplicasPerShard: settings.memoryDbReplicasPerShard,
      });
    case 'memorydb-vector':
      return new MemoryDbVectorBackend(scope, 'Cache', {
        ...where,
        nodeType: settings.memoryDbVectorNodeType,
        numShards: settings.memoryDbVectorShards,
        numReplicasPerShard: settings.memoryDbReplicasPerShard,
      });
  }
}
