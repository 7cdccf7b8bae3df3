import { describeCacheContract } from './cache-contract';
import { clusterTarget } from './targets';

describeCacheContract('3-master TLS cluster with an ACL user (ElastiCache Serverless / MemoryDB shape)', { semantic: false, rawAccess: true }, clusterTarget);
