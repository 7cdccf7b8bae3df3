import { ConfigurationError } from '../../../lambda/core/errors';
import { loadConfig } from '../../../lambda/core/config';
import { DEFAULT_EMBEDDING_MODEL_ID, DEFAULT_MAX_PROMPT_CHARS, DEFAULT_MODEL_ID } from '../../../lambda/settings/values';

function configurationError(env: Record<string, string>): ConfigurationError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw new Error(`expected ConfigurationError, got ${String(error)}`);
  }
  throw new Error('expected the environment to be rejected');
}

describe('loadConfig', () => {
  // toMatchObject: settings added later get their own tests and do not break these.
  it('serves from memory with the documented defaults when nothing is set', () => {
    const config = loadConfig({});

    expect(config).toMatchObject({
      backend: 'memory',
      cacheUrl: undefined,
      secretArn: undefined,
      username: undefined,
      password: undefined,
      tlsCaFile: undefined,
      semanticIndex: 'auto',
      mode: 'semantic',
      ttlSeconds: 86_400,
      threshold: 0.9,
      namespace: 'default',
      modelId: DEFAULT_MODEL_ID,
      allowedModelIds: [DEFAULT_MODEL_ID],
      embeddingModelId: DEFAULT_EMBEDDING_MODEL_ID,
      embeddingDimensions: 1024,
      bedrockEndpoint: undefined,
      region: undefined,
      maxTokens: 512,
      maxPromptChars: DEFAULT_MAX_PROMPT_CHARS,
      cacheTimeoutMs: 250,
      cacheConnectTimeoutMs: 1000,
      cacheDisabled: false,
    });
  });

  it('reads every variable it is given', () => {
    const config = loadConfig({
      CACHE_BACKEND: 'redis-cluster',
      CACHE_URL: 'rediss://cache.example:6379',
      CACHE_SECRET_ARN: 'arn:secret',
      CACHE_USERNAME: 'user',
      CACHE_PASSWORD: 'pass',
      CACHE_TLS_CA_FILE: '/ca.pem',
      SEMANTIC_INDEX: 'search',
      CACHE_MODE: 'standard',
      CACHE_TTL_SECONDS: '60',
      SEMANTIC_THRESHOLD: '0.8',
      CACHE_NAMESPACE: 'tenant-a',
      LLM_MODEL_ID: 'model-a',
      EMBEDDING_MODEL_ID: 'cohere.embed-english-v3',
      EMBEDDING_DIMENSIONS: '384',
      BEDROCK_ENDPOINT: 'http://127.0.0.1:4000',
      AWS_REGION: 'eu-west-1',
      LLM_MAX_TOKENS: '256',
      MAX_PROMPT_CHARS: '2000',
      CACHE_TIMEOUT_MS: '100',
      CACHE_CONNECT_TIMEOUT_MS: '500',
      CACHE_DISABLED: 'true',
    });

    expect(config).toMatchObject({
      backend: 'redis-cluster',
      cacheUrl: 'rediss://cache.example:6379',
      secretArn: 'arn:secret',
      username: 'user',
      password: 'pass',
      tlsCaFile: '/ca.pem',
      semanticIndex: 'search',
      mode: 'standard',
      ttlSeconds: 60,
      threshold: 0.8,
      namespace: 'tenant-a',
      modelId: 'model-a',
      allowedModelIds: ['model-a'],
      embeddingModelId: 'cohere.embed-english-v3',
      embeddingDimensions: 384,
      bedrockEndpoint: 'http://127.0.0.1:4000',
      region: 'eu-west-1',
      maxTokens: 256,
      maxPromptChars: 2000,
      cacheTimeoutMs: 100,
      cacheConnectTimeoutMs: 500,
      cacheDisabled: true,
    });
  });

  it('falls back to AWS_DEFAULT_REGION when AWS_REGION is absent', () => {
    expect(loadConfig({ AWS_DEFAULT_REGION: 'us-west-2' }).region).toBe('us-west-2');
  });

  it('treats blank variables as unset', () => {
    expect(loadConfig({ CACHE_MODE: '  ', CACHE_TTL_SECONDS: '' })).toMatchObject({ mode: 'semantic', ttlSeconds: 86_400 });
  });

  it('always allows the default model and adds the listed ones without duplicates', () => {
    const config = loadConfig({ LLM_MODEL_ID: 'model-a', LLM_ALLOWED_MODEL_IDS: ' model-b , model-a,,model-c ' });

    expect(config.allowedModelIds).toEqual(['model-a', 'model-b', 'model-c']);
  });

  it.each(['256', '512', '1024'])('accepts Titan V2 with %s dimensions', (dimensions) => {
    expect(loadConfig({ EMBEDDING_DIMENSIONS: dimensions }).embeddingDimensions).toBe(Number(dimensions));
  });

  it.each<[string, Record<string, string>]>([
    ['CACHE_BACKEND', { CACHE_BACKEND: 'memcached' }],
    ['CACHE_URL', { CACHE_BACKEND: 'redis' }],
    ['CACHE_URL', { CACHE_BACKEND: 'redis-cluster' }],
    ['CACHE_URL', { CACHE_URL: 'http://cache.example:6379' }],
    ['SEMANTIC_INDEX', { SEMANTIC_INDEX: 'faiss' }],
    ['CACHE_MODE', { CACHE_MODE: 'fuzzy' }],
    ['CACHE_TTL_SECONDS', { CACHE_TTL_SECONDS: '0' }],
    ['CACHE_TTL_SECONDS', { CACHE_TTL_SECONDS: '1.5' }],
    ['CACHE_TTL_SECONDS', { CACHE_TTL_SECONDS: 'a day' }],
    ['SEMANTIC_THRESHOLD', { SEMANTIC_THRESHOLD: '1.1' }],
    ['SEMANTIC_THRESHOLD', { SEMANTIC_THRESHOLD: '-0.1' }],
    ['SEMANTIC_THRESHOLD', { SEMANTIC_THRESHOLD: 'high' }],
    ['EMBEDDING_DIMENSIONS', { EMBEDDING_DIMENSIONS: '0' }],
    ['EMBEDDING_DIMENSIONS', { EMBEDDING_DIMENSIONS: '768' }],
    ['LLM_MAX_TOKENS', { LLM_MAX_TOKENS: '0' }],
    ['LLM_MAX_TOKENS', { LLM_MAX_TOKENS: '64001' }],
    ['MAX_PROMPT_CHARS', { MAX_PROMPT_CHARS: '-1' }],
    ['CACHE_TIMEOUT_MS', { CACHE_TIMEOUT_MS: 'Infinity' }],
    ['CACHE_CONNECT_TIMEOUT_MS', { CACHE_CONNECT_TIMEOUT_MS: '0' }],
    ['CACHE_DISABLED', { CACHE_DISABLED: 'maybe' }],
    ['SEMANTIC_MIN_THRESHOLD', { SEMANTIC_MIN_THRESHOLD: '0' }],
    ['SEMANTIC_MIN_THRESHOLD', { SEMANTIC_MIN_THRESHOLD: '1.2' }],
    ['SEMANTIC_THRESHOLD', { SEMANTIC_THRESHOLD: '0' }],
    ['SEMANTIC_MIN_THRESHOLD', { SEMANTIC_THRESHOLD: '0.8', SEMANTIC_MIN_THRESHOLD: '0.85' }],
    ['NAMESPACE_FROM', { NAMESPACE_FROM: 'header' }],
    ['NAMESPACE_FROM', { NAMESPACE_FROM: 'jwt-claim:' }],
    ['NAMESPACE_FROM', { NAMESPACE_FROM: 'jwt-claim:two words' }],
  ])('rejects a bad %s with a ConfigurationError naming it', (name, env) => {
    const error = configurationError(env);

    expect(error.code).toBe('ConfigurationError');
    expect(error.message).toContain(name);
  });

  it('takes the configured threshold as the floor when SEMANTIC_MIN_THRESHOLD is unset', () => {
    expect(loadConfig({ SEMANTIC_THRESHOLD: '0.85' })).toMatchObject({ threshold: 0.85, minThreshold: 0.85 });
  });

  it('reads a floor below the configured threshold', () => {
    expect(loadConfig({ SEMANTIC_THRESHOLD: '0.9', SEMANTIC_MIN_THRESHOLD: '0.8' })).toMatchObject({ threshold: 0.9, minThreshold: 0.8 });
  });

  it('binds nothing by default: the namespace comes from the body', () => {
    expect(loadConfig({}).namespaceFrom).toEqual({ kind: 'body' });
  });

  it.each<[string, unknown]>([
    ['iam-principal', { kind: 'iam-principal' }],
    ['jwt-claim:sub', { kind: 'jwt-claim', claim: 'sub' }],
    ['jwt-claim:custom:tenant_id', { kind: 'jwt-claim', claim: 'custom:tenant_id' }],
  ])('reads NAMESPACE_FROM=%s', (value, expected) => {
    expect(loadConfig({ NAMESPACE_FROM: value }).namespaceFrom).toEqual(expected);
  });

  it('reads the metrics identity, the token price and the client-side index bounds, with their defaults', () => {
    expect(loadConfig({})).toMatchObject({
      serviceName: 'bedrock-llm-cache',
      metricsNamespace: 'BedrockLlmCache',
      price: { inputPerMTok: 1, outputPerMTok: 5 },
      clientIndexMaxEntries: 10_000,
      clientIndexMaxScopes: 16,
    });
    const config = loadConfig({
      POWERTOOLS_SERVICE_NAME: 'LlmCache-MemoryDb',
      POWERTOOLS_METRICS_NAMESPACE: 'Custom',
      LLM_PRICE_INPUT_PER_MTOK: '0.25',
      LLM_PRICE_OUTPUT_PER_MTOK: '0',
      SEMANTIC_CLIENT_MAX_ENTRIES: '500',
      SEMANTIC_CLIENT_MAX_SCOPES: '4',
    });
    expect(config).toMatchObject({
      serviceName: 'LlmCache-MemoryDb',
      metricsNamespace: 'Custom',
      price: { inputPerMTok: 0.25, outputPerMTok: 0 },
      clientIndexMaxEntries: 500,
      clientIndexMaxScopes: 4,
    });
  });

  it.each<[string, Record<string, string>]>([
    ['LLM_PRICE_INPUT_PER_MTOK', { LLM_PRICE_INPUT_PER_MTOK: '-1' }],
    ['LLM_PRICE_OUTPUT_PER_MTOK', { LLM_PRICE_OUTPUT_PER_MTOK: 'free' }],
    ['SEMANTIC_CLIENT_MAX_ENTRIES', { SEMANTIC_CLIENT_MAX_ENTRIES: '0' }],
    ['SEMANTIC_CLIENT_MAX_SCOPES', { SEMANTIC_CLIENT_MAX_SCOPES: '1.5' }],
  ])('rejects a bad %s', (name, env) => {
    expect(configurationError(env).message).toContain(name);
  });

  it('refuses an LLM_MAX_TOKENS above an allowed model\'s max output tokens, naming the model', () => {
    const error = configurationError({ LLM_MAX_TOKENS: '64001', LLM_ALLOWED_MODEL_IDS: 'anthropic.claude-unlisted-v1:0' });

    expect(error.message).toBe(`LLM_MAX_TOKENS=64001 is above the 64000 output tokens ${DEFAULT_MODEL_ID} (Claude Haiku 4.5) takes; lower it or remove the model`);
  });

  it('accepts an LLM_MAX_TOKENS above 64,000 when no allowed model is listed with less', () => {
    expect(loadConfig({ LLM_MODEL_ID: 'anthropic.claude-unlisted-v1:0', LLM_MAX_TOKENS: '100000' }).maxTokens).toBe(100_000);
  });

  it('accepts any positive dimension size for an embedding model other than Titan V2', () => {
    expect(loadConfig({ EMBEDDING_MODEL_ID: 'cohere.embed-english-v3', EMBEDDING_DIMENSIONS: '768' }).embeddingDimensions).toBe(768);
  });
});

describe('loadConfig error messages', () => {
  // Credentials written into the URL must not reach the logs with the ConfigurationError.
  it('does not echo credentials embedded in a rejected CACHE_URL', () => {
    const error = configurationError({ CACHE_URL: 'https://admin:s3cret-pass@cache.example:6379' });

    expect(error.message).toContain('CACHE_URL');
    expect(error.message).not.toContain('s3cret-pass');
  });
});
