import { DEFAULT_CONFIG, resolveConfig } from '../../../lib/config/app-config';
import { BACKEND_IDS, type BackendId } from '../../../lib/config/backends';
import { runtimeEnvironment, type BackendConnection } from '../../../lib/function/runtime-environment';
import { loadConfig } from '../../../lambda/core/config';

const secretArn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:cache';
/** The connection shape of each backend (its `ICacheBackend` fields), without synthesizing a stack. */
const CONNECTIONS: Readonly<Record<BackendId, BackendConnection>> = {
  'redis-stack': { endpoint: '10.0.1.5', port: 6379, tls: false, topology: 'standalone', vectorSearch: true, secretArn },
  'elasticache-serverless': { endpoint: 'c.serverless.use1.cache.amazonaws.com', port: 6379, tls: true, topology: 'cluster', vectorSearch: false, secretArn },
  memorydb: { endpoint: 'clustercfg.m.memorydb.us-east-1.amazonaws.com', port: 6379, tls: true, topology: 'cluster', vectorSearch: false, secretArn },
  'memorydb-vector': { endpoint: 'clustercfg.v.memorydb.us-east-1.amazonaws.com', port: 6379, tls: true, topology: 'cluster', vectorSearch: true, secretArn },
  'elasticache-valkey-search': { endpoint: 'clustercfg.s.cache.amazonaws.com', port: 6379, tls: true, topology: 'cluster', vectorSearch: true, secretArn },
};

/** Non-default values of every shared setting, given as `-c` strings. */
const settings = resolveConfig((key) =>
  ({
    cacheMode: 'standard',
    ttlSeconds: '3600',
    semanticThreshold: '0.85',
    semanticMinThreshold: '0.8',
    namespace: 'team.prod',
    namespaceFrom: 'jwt-claim:custom:tenant',
    modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
    allowedModelIds: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
    embeddingDimensions: '512',
  })[key],
).settings;

describe('loadConfig(runtimeEnvironment(backend, settings))', () => {
  it.each(BACKEND_IDS)('returns the settings synth validated, for %s', (id) => {
    const config = loadConfig(runtimeEnvironment(CONNECTIONS[id], settings));

    expect(config).toMatchObject({
      mode: 'standard',
      ttlSeconds: 3600,
      threshold: 0.85,
      minThreshold: 0.8,
      namespace: 'team.prod',
      namespaceFrom: { kind: 'jwt-claim', claim: 'custom:tenant' },
      modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
      allowedModelIds: ['anthropic.claude-3-haiku-20240307-v1:0', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0'],
      embeddingModelId: 'amazon.titan-embed-text-v2:0',
      embeddingDimensions: 512,
      secretArn,
    });
    const tls = CONNECTIONS[id].tls ? 'rediss' : 'redis';
    expect(config.cacheUrl).toBe(`${tls}://${CONNECTIONS[id].endpoint}:6379`);
    expect(config.backend).toBe(CONNECTIONS[id].topology === 'cluster' ? 'redis-cluster' : 'redis');
    expect(config.semanticIndex).toBe(CONNECTIONS[id].vectorSearch ? 'search' : 'client');
  });

  it('passes on the defaults unchanged', () => {
    const config = loadConfig(runtimeEnvironment(CONNECTIONS.memorydb, DEFAULT_CONFIG));
    const fromNothing = loadConfig({});

    expect(config).toMatchObject({
      mode: fromNothing.mode,
      ttlSeconds: fromNothing.ttlSeconds,
      threshold: fromNothing.threshold,
      minThreshold: fromNothing.minThreshold,
      namespace: fromNothing.namespace,
      namespaceFrom: fromNothing.namespaceFrom,
      modelId: fromNothing.modelId,
      allowedModelIds: fromNothing.allowedModelIds,
      embeddingModelId: fromNothing.embeddingModelId,
      embeddingDimensions: fromNothing.embeddingDimensions,
    });
  });
});
