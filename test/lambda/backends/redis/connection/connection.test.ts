import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster } from 'ioredis';
import type Redis from 'ioredis';
import { ConfigurationError } from '../../../../../lambda/core/errors';
import { createRedisClient, isCluster, parseCacheUrl, reconnectDelay } from '../../../../../lambda/backends/redis/connection/connection';

const base = { cacheTimeoutMs: 250, cacheConnectTimeoutMs: 1000 } as const;

describe('parseCacheUrl', () => {
  it('reads host, port and TLS from the scheme', () => {
    expect(parseCacheUrl('redis://cache.local:6380')).toEqual({ host: 'cache.local', port: 6380, tls: false });
    expect(parseCacheUrl('rediss://abc.serverless.use1.cache.amazonaws.com:6379')).toEqual({
      host: 'abc.serverless.use1.cache.amazonaws.com',
      port: 6379,
      tls: true,
    });
    expect(parseCacheUrl('rediss://10.0.0.5')).toEqual({ host: '10.0.0.5', port: 6379, tls: true });
  });

  it('rejects other schemes and garbage with ConfigurationError', () => {
    expect(() => parseCacheUrl('http://x:1')).toThrow(ConfigurationError);
    expect(() => parseCacheUrl('not a url')).toThrow(ConfigurationError);
    expect(() => parseCacheUrl(undefined)).toThrow(ConfigurationError);
  });
});

describe('reconnectDelay', () => {
  it('backs off and caps, and never gives up', () => {
    expect(reconnectDelay(1)).toBe(50);
    expect(reconnectDelay(2)).toBe(100);
    expect(reconnectDelay(1000)).toBe(2000);
    for (let i = 1; i < 100; i++) expect(reconnectDelay(i)).toBeGreaterThan(0);
  });
});

describe('createRedisClient', () => {
  let dir: string;
  let caFile: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'llmcache-conn-unit-'));
    caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, 'PEM-BYTES');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('standalone: lazy, fail-fast, bounded timeouts, credentials, no TLS on redis://', () => {
    const client = createRedisClient({ ...base, backend: 'redis', cacheUrl: 'redis://127.0.0.1:6390' }, { password: 'pw' }) as Redis;
    expect(isCluster(client)).toBe(false);
    expect(client.status).toBe('wait');
    expect(client.options).toMatchObject({
      host: '127.0.0.1',
      port: 6390,
      password: 'pw',
      lazyConnect: true,
      enableOfflineQueue: false,
      connectTimeout: 1000,
      commandTimeout: 250,
      maxRetriesPerRequest: 1,
      enableAutoPipelining: false,
    });
    expect(client.options.tls).toBeUndefined();
    expect(client.options.retryStrategy?.(500)).toBe(2000);
    client.disconnect();
  });

  it('standalone rediss:// turns on verified TLS with the private CA', () => {
    const client = createRedisClient({ ...base, backend: 'redis', cacheUrl: 'rediss://cache.example.internal:6379', tlsCaFile: caFile }, {}) as Redis;
    expect(client.options.tls).toMatchObject({ rejectUnauthorized: true, servername: 'cache.example.internal' });
    expect(String(client.options.tls?.ca)).toBe('PEM-BYTES');
    client.disconnect();
  });

  it('cluster: DNS passthrough, TLS checking the endpoint name, ACL credentials on every node', () => {
    const client = createRedisClient(
      { ...base, backend: 'redis-cluster', cacheUrl: 'rediss://llmcache-abc.serverless.use1.cache.amazonaws.com:6379' },
      { username: 'app', password: 'pw' },
    );
    expect(isCluster(client)).toBe(true);
    const cluster = client as Cluster;
    expect(cluster).toBeInstanceOf(Cluster);
    const lookups: string[] = [];
    cluster.options.dnsLookup?.('llmcache-abc.serverless.use1.cache.amazonaws.com', (_e, address) => lookups.push(address));
    expect(lookups).toEqual(['llmcache-abc.serverless.use1.cache.amazonaws.com']);
    expect(cluster.options).toMatchObject({
      lazyConnect: true,
      enableOfflineQueue: false,
      slotsRefreshTimeout: 1000,
      maxRedirections: 6,
      retryDelayOnFailover: 50,
      retryDelayOnClusterDown: 50,
      retryDelayOnTryAgain: 50,
      enableAutoPipelining: false,
    });
    expect(cluster.options.redisOptions).toMatchObject({
      username: 'app',
      password: 'pw',
      connectTimeout: 1000,
      commandTimeout: 250,
      maxRetriesPerRequest: 1,
      tls: { rejectUnauthorized: true, servername: 'llmcache-abc.serverless.use1.cache.amazonaws.com' },
    });
    expect(cluster.options.redisOptions?.tls?.ca).toBeUndefined();
    cluster.disconnect();
  });

  it('never sends an IP address as SNI (hostname checks then use the IP SAN)', () => {
    const client = createRedisClient({ ...base, backend: 'redis-cluster', cacheUrl: 'rediss://127.0.0.1:7000' }, {}) as Cluster;
    expect(client.options.redisOptions?.tls?.servername).toBeUndefined();
    expect(client.options.redisOptions?.tls?.rejectUnauthorized).toBe(true);
    client.disconnect();
  });

  it('names an unreadable CA file in a ConfigurationError', () => {
    expect(() => createRedisClient({ ...base, backend: 'redis', cacheUrl: 'rediss://h:1', tlsCaFile: join(dir, 'missing.pem') }, {})).toThrow(ConfigurationError);
  });

  it('refuses the memory backend', () => {
    expect(() => createRedisClient({ ...base, backend: 'memory', cacheUrl: 'redis://h:1' }, {})).toThrow(ConfigurationError);
  });
});
