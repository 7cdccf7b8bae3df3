import { describeCacheContract } from './cache-contract';
import { standaloneTarget } from './targets';

describeCacheContract('standalone redis-server over TLS with an ACL user', { semantic: false, rawAccess: true }, () => standaloneTarget({ tls: true }));
