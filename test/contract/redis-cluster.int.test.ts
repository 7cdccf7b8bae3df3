import { describeCacheContract } from './cache-contract';
import { clusterTarget } from './targets';

// No FT.* on this server: `auto` falls back to the client-side index, `client` asks for it,
// `none` keeps semantic requests exact-only.
describeCacheContract('3-master TLS cluster with an ACL user (ElastiCache Serverless / MemoryDB shape), SEMANTIC_INDEX=auto', { semantic: true, rawAccess: true }, () => clusterTarget('auto'));
describeCacheContract('3-master TLS cluster with an ACL user, SEMANTIC_INDEX=client', { semantic: true, rawAccess: true }, () => clusterTarget('client'));
describeCacheContract('3-master TLS cluster with an ACL user, SEMANTIC_INDEX=none', { semantic: false, rawAccess: true }, () => clusterTarget('none'));
