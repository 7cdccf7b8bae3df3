import { describeCacheContract } from './cache-contract';
import { standaloneTarget } from './targets';

describeCacheContract('standalone redis-server with a password', { semantic: false, rawAccess: true }, () => standaloneTarget({ tls: false }));
