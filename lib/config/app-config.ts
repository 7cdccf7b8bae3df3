import { BACKEND_IDS, isBackendId, type BackendId } from './backends';
import { DEFAULT_EMBEDDING_MODEL_ID, DEFAULT_MODEL_ID, EMBEDDING_MODELS, parseModelId } from './bedrock-models';
import { parseNamespaceSource } from '../../lambda/core/namespace-source';

/**
 * Every tunable of the app, typed and validated in one place. Values come from CDK context
 * (`-c key=value` on the command line, or `context` in cdk.json / `new App({ context })`).
 */
export interface LlmCacheConfig {
  /** Chat model or inference profile the function calls. @default us.anthropic.claude-haiku-4-5-20251001-v1:0 */
  readonly modelId: string;
  /** Models a request's `modelId` may name; always includes `modelId`. @default [modelId] */
  readonly allowedModelIds: readonly string[];
  /** Embedding model for the semantic cache. @default amazon.titan-embed-text-v2:0 */
  readonly embeddingModelId: string;
  /** Embedding size; Titan V2 supports 256, 512 or 1024. @default 1024 */
  readonly embeddingDimensions: number;
  /** Default entry lifetime in seconds. @default 86400 */
  readonly ttlSeconds: number;
  /** Cosine similarity needed for a semantic hit, in (0, 1]. @default 0.9 */
  readonly semanticThreshold: number;
  /**
   * Floor of a request's `threshold` (`SEMANTIC_MIN_THRESHOLD`): a request may raise the
   * threshold, never lower it below this. In (0, 1] and at most `semanticThreshold`.
   * @default semanticThreshold
   */
  readonly semanticMinThreshold: number;
  /** Default cache namespace. @default default */
  readonly namespace: string;
  /**
   * Where an HTTP request's namespace comes from (`NAMESPACE_FROM`): `body`, `iam-principal` or
   * `jwt-claim:<name>`. Only a bound source makes the namespace a tenant boundary. @default body
   */
  readonly namespaceFrom: string;
  /** Default cache mode. @default semantic */
  readonly cacheMode: CacheMode;
  /** Function memory in MB. @default 512 */
  readonly lambdaMemoryMb: number;
  /** Function timeout in seconds; an LLM call can take tens of seconds. @default 60 */
  readonly lambdaTimeoutSeconds: number;
  /** Retention of the function's and the VPC flow logs. @default 14 */
  readonly logRetentionDays: number;
  /** Graviton instance type of the Redis EC2 host. @default t4g.small */
  readonly redisInstanceType: string;
  /** Exact tag of the official Redis image (never `latest`). @default 8.2.2 */
  readonly redisImageTag: string;
  /** Root volume of the Redis EC2 host in GiB. @default 16 */
  readonly redisVolumeGiB: number;
  /** ElastiCache Serverless data storage ceiling in GB (caps cost). @default 5 */
  readonly elastiCacheMaxStorageGb: number;
  /** ElastiCache Serverless ECPU-per-second ceiling (caps cost). @default 5000 */
  readonly elastiCacheMaxEcpuPerSecond: number;
  /** MemoryDB node type. @default db.t4g.small */
  readonly memoryDbNodeType: string;
  /** MemoryDB shard count. @default 1 */
  readonly memoryDbShards: number;
  /** MemoryDB replicas per shard (one gives Multi-AZ failover). @default 1 */
  readonly memoryDbReplicasPerShard: number;
  /** MemoryDB node type of the vector-search cluster (R6g, R7g or T4g). @default db.t4g.small */
  readonly memoryDbVectorNodeType: string;
  /** Shards of the vector-search cluster: MemoryDB vector search supports exactly one. @default 1 */
  readonly memoryDbVectorShards: number;
  /**
   * Run the post-deploy check (a miss, an exact hit and a semantic hit against the deployed
   * function) in every deploy that changes the function; `false` removes it. @default true
   */
  readonly verifyDeployment: boolean;
  /**
   * Deploy a second function for streamed answers (`lambda/stream-handler.ts`) behind a Function
   * URL with IAM auth in RESPONSE_STREAM mode; README "Streaming". @default false
   */
  readonly streaming: boolean;
  /**
   * Email address that receives the stack's alarm notifications (an encrypted SNS topic with one
   * email subscription, confirmed once by the recipient). @default none: alarms, no notifications
   */
  readonly alarmEmail?: string;
}

/** Cache modes the runtime accepts. */
export const CACHE_MODES = ['standard', 'semantic', 'off'] as const;
export type CacheMode = (typeof CACHE_MODES)[number];

/** CloudWatch Logs retention periods accepted here (a subset of what the service allows). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 180, 365] as const;

/** Defaults of every setting. */
export const DEFAULT_CONFIG: LlmCacheConfig = {
  modelId: DEFAULT_MODEL_ID,
  allowedModelIds: [DEFAULT_MODEL_ID],
  embeddingModelId: DEFAULT_EMBEDDING_MODEL_ID,
  embeddingDimensions: 1024,
  ttlSeconds: 86_400,
  semanticThreshold: 0.9,
  semanticMinThreshold: 0.9,
  namespace: 'default',
  namespaceFrom: 'body',
  cacheMode: 'semantic',
  lambdaMemoryMb: 512,
  lambdaTimeoutSeconds: 60,
  logRetentionDays: 14,
  redisInstanceType: 't4g.small',
  redisImageTag: '8.2.2',
  redisVolumeGiB: 16,
  elastiCacheMaxStorageGb: 5,
  elastiCacheMaxEcpuPerSecond: 5000,
  memoryDbNodeType: 'db.t4g.small',
  memoryDbShards: 1,
  memoryDbReplicasPerShard: 1,
  memoryDbVectorNodeType: 'db.t4g.small',
  memoryDbVectorShards: 1,
  verifyDeployment: true,
  streaming: false,
};

/** Thrown when the context holds an invalid value; the message lists every problem. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid bedrock-llm-cache configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Context lookup: `app.node.tryGetContext` or a plain record in tests. */
export type ContextReader = (key: string) => unknown;

/** What `resolveConfig` returns: the backends to build and the validated settings. */
export interface ResolvedConfig {
  /** The backends to synthesize: the one named by `-c backend=`, or all four. */
  readonly backends: readonly BackendId[];
  /** Validated settings shared by every stack. */
  readonly settings: LlmCacheConfig;
}

/**
 * Reads `backend` and every setting from context, applies defaults and validates all of them.
 * Throws one `ConfigError` naming each bad key, its value and the valid values.
 */
export function resolveConfig(read: ContextReader): ResolvedConfig {
  const problems: string[] = [];
  const p = new Parser(read, problems);

  const backendRaw = read('backend');
  let backends: readonly BackendId[] = BACKEND_IDS;
  if (backendRaw !== undefined) {
    const id = String(backendRaw);
    if (isBackendId(id)) backends = [id];
    else problems.push(`backend=${id} is not a backend; valid values: ${BACKEND_IDS.join(', ')}`);
  }

  const d = DEFAULT_CONFIG;
  const modelId = p.string('modelId', d.modelId);
  const parsedModel = parseModelId(modelId);
  if (typeof parsedModel === 'string') problems.push(`modelId=${modelId}: ${parsedModel}`);
  const allowedExtra = p.list('allowedModelIds', []);
  for (const extra of allowedExtra) {
    const parsed = parseModelId(extra);
    if (typeof parsed === 'string') problems.push(`allowedModelIds contains ${extra}: ${parsed}`);
  }
  const embeddingModelId = p.oneOf('embeddingModelId', d.embeddingModelId, Object.keys(EMBEDDING_MODELS));
  const dimensionChoices = EMBEDDING_MODELS[embeddingModelId] ?? [];
  const embeddingDimensions = p.int('embeddingDimensions', d.embeddingDimensions, { allowed: dimensionChoices });

  const semanticThreshold = p.number('semanticThreshold', d.semanticThreshold, { minExclusive: 0, max: 1 });
  const semanticMinThreshold = p.number('semanticMinThreshold', semanticThreshold, { minExclusive: 0, max: 1 });
  if (semanticMinThreshold > semanticThreshold) {
    problems.push(`semanticMinThreshold=${semanticMinThreshold} is above semanticThreshold=${semanticThreshold}; the floor must not exceed the default threshold`);
  }
  const namespaceFrom = p.string('namespaceFrom', d.namespaceFrom);
  const namespaceSource = parseNamespaceSource(namespaceFrom);
  if ('problem' in namespaceSource) problems.push(`namespaceFrom=${namespaceFrom} is invalid; ${namespaceSource.problem}`);

  const settings: LlmCacheConfig = {
    modelId,
    allowedModelIds: [...new Set([modelId, ...allowedExtra])],
    embeddingModelId,
    embeddingDimensions,
    ttlSeconds: p.int('ttlSeconds', d.ttlSeconds, { min: 1, max: 2_592_000 }),
    semanticThreshold,
    semanticMinThreshold,
    namespace: p.pattern('namespace', d.namespace, /^[A-Za-z0-9_-]{1,64}$/, '1-64 letters, digits, _ or -'),
    namespaceFrom,
    cacheMode: p.oneOf('cacheMode', d.cacheMode, CACHE_MODES),
    lambdaMemoryMb: p.int('lambdaMemoryMb', d.lambdaMemoryMb, { min: 128, max: 10_240 }),
    lambdaTimeoutSeconds: p.int('lambdaTimeoutSeconds', d.lambdaTimeoutSeconds, { min: 10, max: 900 }),
    logRetentionDays: p.int('logRetentionDays', d.logRetentionDays, { allowed: LOG_RETENTION_DAYS }),
    redisInstanceType: p.pattern('redisInstanceType', d.redisInstanceType, /^[a-z]+\d+g[a-z]*\.[a-z0-9]+$/, 'a Graviton type such as t4g.small, m7g.large or r7g.large'),
    redisImageTag: p.pattern('redisImageTag', d.redisImageTag, /^\d+\.\d+\.\d+(-[a-z0-9.]+)?$/, 'an exact version tag such as 8.2.2 (never latest)'),
    redisVolumeGiB: p.int('redisVolumeGiB', d.redisVolumeGiB, { min: 8, max: 1024 }),
    elastiCacheMaxStorageGb: p.int('elastiCacheMaxStorageGb', d.elastiCacheMaxStorageGb, { min: 1, max: 5000 }),
    elastiCacheMaxEcpuPerSecond: p.int('elastiCacheMaxEcpuPerSecond', d.elastiCacheMaxEcpuPerSecond, { min: 1000, max: 15_000_000 }),
    memoryDbNodeType: p.pattern('memoryDbNodeType', d.memoryDbNodeType, /^db\.[a-z0-9]+\.[a-z0-9]+$/, 'a MemoryDB node type such as db.t4g.small or db.r7g.large'),
    memoryDbShards: p.int('memoryDbShards', d.memoryDbShards, { min: 1, max: 500 }),
    memoryDbReplicasPerShard: p.int('memoryDbReplicasPerShard', d.memoryDbReplicasPerShard, { min: 0, max: 5 }),
    memoryDbVectorNodeType: p.pattern('memoryDbVectorNodeType', d.memoryDbVectorNodeType, /^db\.(r6g|r7g|t4g)\.[a-z0-9]+$/, 'an R6g, R7g or T4g node type (the ones MemoryDB vector search supports)'),
    memoryDbVectorShards: p.int('memoryDbVectorShards', d.memoryDbVectorShards, { allowed: [1] }, 'MemoryDB vector search supports exactly one shard'),
    verifyDeployment: p.bool('verifyDeployment', d.verifyDeployment),
    streaming: p.bool('streaming', d.streaming),
    ...optional('alarmEmail', p.optionalPattern('alarmEmail', EMAIL, 'an email address such as ops@example.com')),
  };

  if (problems.length > 0) throw new ConfigError(problems);
  return { backends, settings };
}

/** A plausible email address: one `@`, a dot in the domain, no spaces (SNS confirms the rest). */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** `{ key: value }` when a value is set, `{}` otherwise (optional settings stay absent, not undefined). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

interface NumberCheck {
  readonly min?: number;
  readonly max?: number;
  readonly minExclusive?: number;
  readonly allowed?: readonly number[];
}

/** Reads one context key at a time, recording a problem (not throwing) for each bad value. */
class Parser {
  constructor(
    private readonly read: ContextReader,
    private readonly problems: string[],
  ) {}

  string(key: string, fallback: string): string {
    const raw = this.read(key);
    if (raw === undefined) return fallback;
    const value = String(raw).trim();
    if (value === '') this.problems.push(`${key} is empty; expected a value (default ${fallback})`);
    return value === '' ? fallback : value;
  }

  /** `true`/`false` as booleans or as the strings `-c key=value` gives. */
  bool(key: string, fallback: boolean): boolean {
    const raw = this.read(key);
    if (raw === undefined) return fallback;
    if (raw === true || raw === false) return raw;
    const value = String(raw).trim().toLowerCase();
    if (value === 'true' || value === 'false') return value === 'true';
    this.problems.push(`${key}=${String(raw)} is invalid; valid values: true, false`);
    return fallback;
  }

  list(key: string, fallback: readonly string[]): string[] {
    const raw = this.read(key);
    if (raw === undefined) return [...fallback];
    const items = Array.isArray(raw) ? raw.map(String) : String(raw).split(',');
    return items.map((item) => item.trim()).filter((item) => item !== '');
  }

  oneOf<T extends string>(key: string, fallback: T, allowed: readonly T[] | readonly string[]): T {
    const value = this.string(key, fallback);
    if (!(allowed as readonly string[]).includes(value)) {
      this.problems.push(`${key}=${value} is invalid; valid values: ${allowed.join(', ')}`);
      return fallback;
    }
    return value as T;
  }

  /** An optional value that must match `re`; undefined when the key is absent. */
  optionalPattern(key: string, re: RegExp, expected: string): string | undefined {
    const raw = this.read(key);
    if (raw === undefined) return undefined;
    const value = String(raw).trim();
    if (!re.test(value)) {
      this.problems.push(`${key}=${String(raw)} is invalid; expected ${expected}`);
      return undefined;
    }
    return value;
  }

  pattern(key: string, fallback: string, re: RegExp, expected: string): string {
    const value = this.string(key, fallback);
    if (!re.test(value)) this.problems.push(`${key}=${value} is invalid; expected ${expected}`);
    return value;
  }

  number(key: string, fallback: number, check: NumberCheck, why?: string): number {
    const raw = this.read(key);
    if (raw === undefined) return fallback;
    const value = typeof raw === 'number' ? raw : Number(String(raw).trim());
    const bad =
      String(raw).trim() === '' ||
      !Number.isFinite(value) ||
      (check.min !== undefined && value < check.min) ||
      (check.max !== undefined && value > check.max) ||
      (check.minExclusive !== undefined && value <= check.minExclusive) ||
      (check.allowed !== undefined && !check.allowed.includes(value));
    if (bad) {
      this.problems.push(`${key}=${String(raw)} is invalid; valid values: ${describe(check)}${why ? ` (${why})` : ''}`);
      return fallback;
    }
    return value;
  }

  int(key: string, fallback: number, check: NumberCheck, why?: string): number {
    const value = this.number(key, fallback, check, why);
    if (!Number.isInteger(value)) {
      this.problems.push(`${key}=${value} is invalid; valid values: an integer, ${describe(check)}`);
      return fallback;
    }
    return value;
  }
}

function describe(check: NumberCheck): string {
  if (check.allowed !== undefined) return check.allowed.join(', ');
  const low = check.minExclusive !== undefined ? `> ${check.minExclusive}` : `>= ${check.min ?? '-inf'}`;
  return `a number ${low} and <= ${check.max ?? 'inf'}`;
}
