import { BACKEND_IDS, isBackendId, type BackendId } from './backends';
import { EMBEDDING_MODELS } from '../../lambda/settings/values';
import { parseModelId } from './bedrock-models';
import { ContextSettings, type ContextReader } from '../../lambda/settings/context';
import { dimensionsProblem, floorProblem, maxTokensProblems } from '../../lambda/settings/checks';
import { BACKEND_SETTINGS, type BackendSettings } from '../../lambda/settings/backend-settings';
import type { Setting } from '../../lambda/settings/parse';
import { SHARED_SETTINGS, SYNTH_SETTINGS } from '../../lambda/settings/table';
import type { CacheMode } from '../../lambda/core/types';
import type { SemanticCheckLevel } from '../../lambda/settings/values';


/**
 * Every tunable of the app, typed and validated in one place. Values come from CDK context
 * (`-c key=value` on the command line, or `context` in cdk.json / `new App({ context })`). Each
 * flat field's context key is its name; its default, valid values and meaning are one row of the
 * settings table (`lambda/settings`), the same row the runtime parses its environment variable by.
 */
export interface LlmCacheConfig {
  readonly modelId: string;
  /** Always includes `modelId`. */
  readonly allowedModelIds: readonly string[];
  /** Default `maxTokens` of a request; at most every allowed model's max output tokens. */
  readonly maxTokens: number;
  readonly embeddingModelId: string;
  readonly embeddingDimensions: number;
  readonly ttlSeconds: number;
  readonly semanticThreshold: number;
  /** At most `semanticThreshold`; defaults to it. */
  readonly semanticMinThreshold: number;
  /** The same-question check's level; a request may raise it, never lower it. */
  readonly semanticCheck: SemanticCheckLevel;
  readonly namespace: string;
  readonly namespaceFrom: string;
  /** Whether the `purge` action may run (`CACHE_ALLOW_PURGE`). */
  readonly allowPurge: boolean;
  readonly cacheMode: CacheMode;
  readonly lambdaMemoryMb: number;
  readonly lambdaTimeoutSeconds: number;
  readonly logRetentionDays: number;
  readonly verifyDeployment: boolean;
  readonly streaming: boolean;
  /** Absent: alarms without notifications. */
  readonly alarmEmail?: string;
  /** Per-backend sizes, by backend id; context keys as in `lambda/settings/backend-settings.ts`. */
  readonly backends: BackendSettings;
}

const S = SHARED_SETTINGS;
const Y = SYNTH_SETTINGS;

/** Defaults of every setting: the table's. */
export const DEFAULT_CONFIG: LlmCacheConfig = {
  modelId: S.modelId.default,
  allowedModelIds: [S.modelId.default],
  maxTokens: S.maxTokens.default,
  embeddingModelId: S.embeddingModelId.default,
  embeddingDimensions: S.embeddingDimensions.default,
  ttlSeconds: S.ttlSeconds.default,
  semanticThreshold: S.semanticThreshold.default,
  semanticMinThreshold: S.semanticThreshold.default,
  semanticCheck: S.semanticCheck.default,
  namespace: S.namespace.default,
  namespaceFrom: S.namespaceFrom.default,
  allowPurge: S.allowPurge.default,
  cacheMode: S.cacheMode.default,
  lambdaMemoryMb: Y.lambdaMemoryMb.default,
  lambdaTimeoutSeconds: Y.lambdaTimeoutSeconds.default,
  logRetentionDays: Y.logRetentionDays.default,
  verifyDeployment: Y.verifyDeployment.default,
  streaming: Y.streaming.default,
  backends: mapBackends((setting) => setting.default),
};

/** Thrown when the context holds an invalid value; the message lists every problem. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid bedrock-llm-cache configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** What `resolveConfig` returns: the backends to build and the validated settings. */
export interface ResolvedConfig {
  /** The backends to synthesize: the one named by `-c backend=`, or all of them. */
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
  const backendRaw = read('backend');
  let backends: readonly BackendId[] = BACKEND_IDS;
  if (backendRaw !== undefined) {
    const id = String(backendRaw);
    if (isBackendId(id)) backends = [id];
    else problems.push(`backend=${id} is not a backend; valid values: ${BACKEND_IDS.join(', ')}`);
  }
  const p = new ContextSettings(read, problems);

  // Synth grants IAM on each model, so it needs ids it can turn into ARNs (the runtime does not).
  const modelId = p.get(S.modelId);
  const parsedModel = parseModelId(modelId);
  if (typeof parsedModel === 'string') problems.push(`modelId=${modelId}: ${parsedModel}`);
  const allowedExtra = p.get(S.allowedModelIds);
  for (const extra of allowedExtra) {
    const parsed = parseModelId(extra);
    if (typeof parsed === 'string') problems.push(`allowedModelIds contains ${extra}: ${parsed}`);
  }
  const allowedModelIds = [...new Set([modelId, ...allowedExtra])];
  const maxTokens = p.get(S.maxTokens);
  problems.push(...maxTokensProblems(maxTokens, allowedModelIds, 'maxTokens'));
  // Synth deploys only embedding models whose sizes it knows; the runtime trusts others.
  let embeddingModelId = p.get(S.embeddingModelId);
  if (!(embeddingModelId in EMBEDDING_MODELS)) {
    problems.push(`embeddingModelId=${embeddingModelId} is invalid; valid values: ${Object.keys(EMBEDDING_MODELS).join(', ')}`);
    embeddingModelId = S.embeddingModelId.default;
  }
  const embeddingDimensions = p.get(S.embeddingDimensions);
  push(problems, dimensionsProblem(embeddingModelId, embeddingDimensions, 'embeddingDimensions'));
  const semanticThreshold = p.get(S.semanticThreshold);
  const semanticMinThreshold = p.get(S.semanticMinThreshold, semanticThreshold);
  push(problems, floorProblem(semanticThreshold, semanticMinThreshold, { threshold: 'semanticThreshold', floor: 'semanticMinThreshold' }));

  const alarmEmail = p.get(Y.alarmEmail);
  const settings: LlmCacheConfig = {
    modelId,
    allowedModelIds,
    maxTokens,
    embeddingModelId,
    embeddingDimensions,
    ttlSeconds: p.get(S.ttlSeconds),
    semanticThreshold,
    semanticMinThreshold,
    semanticCheck: p.get(S.semanticCheck),
    namespace: p.get(S.namespace),
    namespaceFrom: p.get(S.namespaceFrom),
    allowPurge: p.get(S.allowPurge),
    cacheMode: p.get(S.cacheMode),
    lambdaMemoryMb: p.get(Y.lambdaMemoryMb),
    lambdaTimeoutSeconds: p.get(Y.lambdaTimeoutSeconds),
    logRetentionDays: p.get(Y.logRetentionDays),
    backends: mapBackends(memoized((setting) => p.get(setting))),
    verifyDeployment: p.get(Y.verifyDeployment),
    streaming: p.get(Y.streaming),
    ...(alarmEmail === undefined ? {} : { alarmEmail }),
  };

  if (problems.length > 0) throw new ConfigError(problems);
  return { backends, settings };
}

function push(problems: string[], problem: string | undefined): void {
  if (problem !== undefined) problems.push(problem);
}

type Reader = <T>(setting: Setting<T>) => T;

/** The `backends` object, each field read from its row by `value`. */
function mapBackends(value: Reader): BackendSettings {
  const entries = Object.entries(BACKEND_SETTINGS).map(([id, rows]) => [
    id,
    Object.fromEntries(Object.entries(rows).map(([field, setting]) => [field, value(setting as Setting<unknown>)])),
  ]);
  return Object.fromEntries(entries) as unknown as BackendSettings;
}

/** Reads a row shared by two backends once, so a bad value is reported once. */
function memoized(read: Reader): Reader {
  const seen = new Map<Setting<unknown>, unknown>();
  return <T>(setting: Setting<T>): T => {
    if (!seen.has(setting)) seen.set(setting, read(setting));
    return seen.get(setting) as T;
  };
}
