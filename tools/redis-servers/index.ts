/** Real redis-server test harness: standalone, TLS, and cluster (TLS + ACL) on free local ports. */
export { getFreePort, getFreePorts, releasePort } from './free-port';
export { createTestCa, getTestCa, type TestCa } from './tls-certs';
export { ADMIN_USERNAME, DEFAULT_APP_USER_RULES, type AclUserOption } from './config';
export { AddressInUseError, REDIS_SERVER_BIN, type AclCredentials } from './server-process';
export { startStandalone, type RedisTestServer, type StandaloneOptions } from './standalone';
export { startCluster, slotRanges, CLUSTER_SLOTS, type ClusterOptions, type RedisTestCluster } from './cluster';
