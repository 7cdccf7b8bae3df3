import { ConfigError, DEFAULT_CONFIG, resolveConfig } from '../../../lib/config/app-config';
import { BACKEND_IDS } from '../../../lib/config/backends';

const resolve = (context: Record<string, unknown>) => resolveConfig((key) => context[key]);

describe('resolveConfig', () => {
  it('selects all five backends and the defaults when the context is empty', () => {
    const { backends, settings } = resolve({});
    expect(backends).toEqual(BACKEND_IDS);
    expect(settings).toEqual(DEFAULT_CONFIG);
  });

  it('selects the one backend named by -c backend=<id>', () => {
    expect(resolve({ backend: 'memorydb-vector' }).backends).toEqual(['memorydb-vector']);
  });

  it('parses numbers and lists given as strings on the command line', () => {
    const { settings } = resolve({
      ttlSeconds: '3600',
      semanticThreshold: '0.85',
      embeddingDimensions: '512',
      allowedModelIds: 'anthropic.claude-3-haiku-20240307-v1:0, us.anthropic.claude-sonnet-4-5-20250929-v1:0',
    });
    expect(settings).toMatchObject({ ttlSeconds: 3600, semanticThreshold: 0.85, embeddingDimensions: 512 });
    expect(settings.allowedModelIds).toEqual([
      DEFAULT_CONFIG.modelId,
      'anthropic.claude-3-haiku-20240307-v1:0',
      'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
    ]);
  });

  it.each([
    [{ backend: 'redis' }, 'backend=redis is not a backend; valid values: redis-stack, elasticache-serverless, memorydb, memorydb-vector'],
    [{ embeddingDimensions: '768' }, 'embeddingDimensions=768 is invalid; valid values: 256, 512, 1024'],
    [{ embeddingModelId: 'cohere.embed-english-v3' }, 'embeddingModelId=cohere.embed-english-v3 is invalid; valid values: amazon.titan-embed-text-v2:0'],
    [{ semanticThreshold: '0' }, 'semanticThreshold=0 is invalid; valid values: a number > 0 and <= 1'],
    [{ semanticThreshold: '1.5' }, 'semanticThreshold=1.5 is invalid; valid values: a number > 0 and <= 1'],
    [{ ttlSeconds: '0' }, 'ttlSeconds=0 is invalid; valid values: a number >= 1 and <= 31536000'],
    [{ ttlSeconds: '1.5' }, 'ttlSeconds=1.5 is invalid; valid values: an integer'],
    [{ ttlSeconds: 'soon' }, 'ttlSeconds=soon is invalid'],
    [{ cacheMode: 'exact' }, 'cacheMode=exact is invalid; valid values: standard, semantic, off'],
    [{ namespace: 'a b' }, 'namespace=a b is invalid; expected 1-64 characters of letters, digits, ".", "_" or "-"'],
    [{ lambdaTimeoutSeconds: '901' }, 'lambdaTimeoutSeconds=901 is invalid; valid values: a number >= 10 and <= 900'],
    [{ lambdaMemoryMb: '64' }, 'lambdaMemoryMb=64 is invalid; valid values: a number >= 128 and <= 10240'],
    [{ logRetentionDays: '10' }, 'logRetentionDays=10 is invalid; valid values: 1, 3, 5, 7, 14, 30, 60, 90, 180, 365'],
    [{ modelId: 'eu.anthropic.claude-haiku-4-5-20251001-v1:0' }, "inference profile prefix 'eu.' is not supported; valid: a foundation-model id or a profile starting with 'us.'"],
    [{ modelId: 'claude' }, "modelId=claude: 'claude' is not a Bedrock model id"],
    [{ allowedModelIds: 'global.anthropic.claude-haiku-4-5-20251001-v1:0' }, "allowedModelIds contains global.anthropic.claude-haiku-4-5-20251001-v1:0: inference profile prefix 'global.' is not supported"],
    [{ redisImageTag: 'latest' }, 'redisImageTag=latest is invalid; expected an exact version tag such as 8.2.2 (never latest)'],
    [{ redisInstanceType: 'm5.large' }, 'redisInstanceType=m5.large is invalid; expected a Graviton type'],
    [{ redisVolumeGiB: '4' }, 'redisVolumeGiB=4 is invalid; valid values: a number >= 8 and <= 1024'],
    [{ elastiCacheMaxStorageGb: '0' }, 'elastiCacheMaxStorageGb=0 is invalid'],
    [{ elastiCacheMaxEcpuPerSecond: '10' }, 'elastiCacheMaxEcpuPerSecond=10 is invalid; valid values: a number >= 1000 and <= 15000000'],
    [{ memoryDbNodeType: 'cache.t4g.small' }, 'memoryDbNodeType=cache.t4g.small is invalid; expected a MemoryDB node type'],
    [{ memoryDbShards: '0' }, 'memoryDbShards=0 is invalid; valid values: a number >= 1 and <= 500'],
    [{ memoryDbReplicasPerShard: '6' }, 'memoryDbReplicasPerShard=6 is invalid; valid values: a number >= 0 and <= 5'],
    [{ memoryDbVectorNodeType: 'db.m7g.large' }, 'memoryDbVectorNodeType=db.m7g.large is invalid; expected an R6g, R7g or T4g node type'],
    [{ memoryDbVectorShards: '2' }, 'memoryDbVectorShards=2 is invalid; valid values: 1 (MemoryDB vector search supports exactly one shard)'],
    [{ valkeySearchNodeType: 'cache.r6gd.xlarge' }, 'valkeySearchNodeType=cache.r6gd.xlarge is invalid; expected an ElastiCache node type such as cache.r7g.large (no data-tiering'],
    [{ valkeySearchNodeType: 'cache.t4g.small' }, 'valkeySearchNodeType=cache.t4g.small is invalid'],
    [{ valkeySearchNodeType: 'db.r7g.large' }, 'valkeySearchNodeType=db.r7g.large is invalid'],
    [{ valkeySearchShards: '91' }, 'valkeySearchShards=91 is invalid; valid values: a number >= 1 and <= 90'],
    [{ valkeySearchReplicasPerShard: '6' }, 'valkeySearchReplicasPerShard=6 is invalid'],
    [{ valkeySearchEngineVersion: '8.0' }, 'valkeySearchEngineVersion=8.0 is invalid; valid values: 8.2'],
    [{ modelId: ' ' }, 'modelId is empty'],
    [{ semanticMinThreshold: '0' }, 'semanticMinThreshold=0 is invalid; valid values: a number > 0 and <= 1'],
    [{ semanticMinThreshold: '0.95' }, 'semanticMinThreshold=0.95 is above semanticThreshold=0.9'],
    [{ semanticThreshold: '0.8', semanticMinThreshold: '0.85' }, 'semanticMinThreshold=0.85 is above semanticThreshold=0.8'],
    [{ namespaceFrom: 'header' }, 'namespaceFrom=header is invalid; expected body, iam-principal or jwt-claim:<claim name>'],
    [{ namespaceFrom: 'jwt-claim:' }, 'namespaceFrom=jwt-claim: is invalid; the claim name after "jwt-claim:" must be'],
    [{ verifyDeployment: 'no' }, 'verifyDeployment=no is invalid; valid values: true, false'],
    [{ streaming: 'yes' }, 'streaming=yes is invalid; valid values: true, false'],
    [{ maxTokens: '0' }, 'maxTokens=0 is invalid; valid values: a number >= 1 and <= 128000'],
    [{ maxTokens: '64001' }, 'maxTokens=64001 is above the 64000 output tokens us.anthropic.claude-haiku-4-5-20251001-v1:0 (Claude Haiku 4.5) takes; lower it or remove the model'],
    [
      { modelId: 'anthropic.claude-unlisted-v1:0', allowedModelIds: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', maxTokens: '70000' },
      'maxTokens=70000 is above the 64000 output tokens us.anthropic.claude-sonnet-4-5-20250929-v1:0 (Claude Sonnet 4.5) takes',
    ],
  ])('stops on %j with a message naming the key and the valid values', (context, message) => {
    expect(() => resolve(context)).toThrow(ConfigError);
    expect(() => resolve(context)).toThrow(message);
  });

  it('reports every problem at once, one per line', () => {
    expect(() => resolve({ backend: 'nope', ttlSeconds: '-1', cacheMode: 'x' })).toThrow(
      /Invalid bedrock-llm-cache configuration:\n {2}- backend=nope .*\n {2}- ttlSeconds=-1 .*\n {2}- cacheMode=x /,
    );
  });

  it('takes semanticThreshold as the threshold floor unless semanticMinThreshold is set', () => {
    expect(resolve({ semanticThreshold: '0.85' }).settings).toMatchObject({ semanticThreshold: 0.85, semanticMinThreshold: 0.85 });
    expect(resolve({ semanticThreshold: '0.9', semanticMinThreshold: '0.8' }).settings).toMatchObject({ semanticThreshold: 0.9, semanticMinThreshold: 0.8 });
  });

  it.each(['cache.r7g.large', 'cache.m7g.xlarge', 'cache.t4g.medium', 'cache.r6g.2xlarge'])('accepts the vector-search node type %s', (valkeySearchNodeType) => {
    expect(resolve({ valkeySearchNodeType }).settings.backends['elasticache-valkey-search'].nodeType).toBe(valkeySearchNodeType);
  });

  it.each(['body', 'iam-principal', 'jwt-claim:custom:tenant_id'])('accepts namespaceFrom=%s', (namespaceFrom) => {
    expect(resolve({ namespaceFrom }).settings.namespaceFrom).toBe(namespaceFrom);
  });

  it.each([
    ['false', false],
    [false, false],
    [' TRUE ', true],
    [true, true],
  ])('reads verifyDeployment=%j as %s (default true)', (verifyDeployment, expected) => {
    expect(resolve({}).settings.verifyDeployment).toBe(true);
    expect(resolve({ verifyDeployment }).settings.verifyDeployment).toBe(expected);
  });

  it.each([
    ['true', true],
    [true, true],
    ['false', false],
  ])('reads streaming=%j as %s (default false)', (streaming, expected) => {
    expect(resolve({}).settings.streaming).toBe(false);
    expect(resolve({ streaming }).settings.streaming).toBe(expected);
  });

  it('passes a maxTokens every allowed model takes, and the whole range for a model the table does not list', () => {
    expect(resolve({ maxTokens: '64000' }).settings.maxTokens).toBe(64_000);
    expect(resolve({ modelId: 'anthropic.claude-unlisted-v1:0', maxTokens: '100000' }).settings.maxTokens).toBe(100_000);
  });

  it('checks the dimension against the embedding model it belongs to', () => {
    expect(resolve({ embeddingDimensions: 256 }).settings.embeddingDimensions).toBe(256);
  });
});
