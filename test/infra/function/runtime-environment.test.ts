import { Aws, Stack } from 'aws-cdk-lib';
import { DEFAULT_CONFIG } from '../../../lib/config/app-config';
import { runtimeEnvironment, type BackendConnection } from '../../../lib/function/runtime-environment';

const connection = (over: Partial<BackendConnection>): BackendConnection => ({
  endpoint: 'cache.internal',
  port: 6379,
  tls: true,
  topology: 'cluster',
  vectorSearch: false,
  secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:cache',
  ...over,
});

describe('runtimeEnvironment', () => {
  it('maps a standalone server without TLS but with FT.* search to redis, redis:// and search', () => {
    const env = runtimeEnvironment(connection({ tls: false, topology: 'standalone', vectorSearch: true, endpoint: '10.0.0.5' }), DEFAULT_CONFIG);
    expect(env).toMatchObject({ CACHE_BACKEND: 'redis', CACHE_URL: 'redis://10.0.0.5:6379', SEMANTIC_INDEX: 'search' });
  });

  it('maps a TLS cluster without search to redis-cluster, rediss:// and the client-side index', () => {
    const env = runtimeEnvironment(connection({}), DEFAULT_CONFIG);
    expect(env).toMatchObject({ CACHE_BACKEND: 'redis-cluster', CACHE_URL: 'rediss://cache.internal:6379', SEMANTIC_INDEX: 'client' });
  });

  it('carries the secret ARN and every cache and model setting as strings', () => {
    const env = runtimeEnvironment(connection({}), {
      ...DEFAULT_CONFIG,
      ttlSeconds: 60,
      semanticThreshold: 0.8,
      semanticMinThreshold: 0.75,
      namespaceFrom: 'jwt-claim:tenant',
      allowPurge: true,
      allowedModelIds: ['a.b', 'c.d'],
      maxTokens: 1024,
    });
    expect(env).toEqual({
      CACHE_BACKEND: 'redis-cluster',
      CACHE_URL: 'rediss://cache.internal:6379',
      CACHE_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:cache',
      SEMANTIC_INDEX: 'client',
      CACHE_MODE: 'semantic',
      CACHE_TTL_SECONDS: '60',
      SEMANTIC_THRESHOLD: '0.8',
      SEMANTIC_MIN_THRESHOLD: '0.75',
      SEMANTIC_CHECK: 'on',
      CACHE_NAMESPACE: 'default',
      NAMESPACE_FROM: 'jwt-claim:tenant',
      CACHE_ALLOW_PURGE: 'true',
      LLM_MODEL_ID: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
      LLM_ALLOWED_MODEL_IDS: 'a.b,c.d',
      LLM_MAX_TOKENS: '1024',
      EMBEDDING_MODEL_ID: 'amazon.titan-embed-text-v2:0',
      EMBEDDING_DIMENSIONS: '1024',
      POWERTOOLS_SERVICE_NAME: Aws.STACK_NAME,
      POWERTOOLS_METRICS_NAMESPACE: 'BedrockLlmCache',
    });
  });

  it('names the Powertools service after the stack, so two stacks in one account never share metrics', () => {
    const env = runtimeEnvironment(connection({}), DEFAULT_CONFIG);

    expect(new Stack().resolve(env.POWERTOOLS_SERVICE_NAME)).toEqual({ Ref: 'AWS::StackName' });
  });
});
