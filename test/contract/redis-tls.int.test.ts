import { describeCacheContract } from './cache-contract';
import { standaloneTarget } from './targets';

// No FT.* on this server: `auto` serves semantic requests from the client-side index.
describeCacheContract('standalone redis-server over TLS with an ACL user', { semantic: true, rawAccess: true }, () => standaloneTarget({ tls: true }));
