import { parseNamespaceSource, NAMESPACE_SOURCE_FORMS } from '../core/namespace-source';
import { bool, int, list, num, oneOf, str } from './parse';
import {
  CACHE_MODES,
  DEFAULT_EMBEDDING_MODEL_ID,
  DEFAULT_MODEL_ID,
  LOG_RETENTION_DAYS,
  MAX_TOKENS_LIMIT,
  MAX_TTL_SECONDS,
  NAMESPACE_PATTERN,
  NAMESPACE_RULE,
  SEMANTIC_CHECK_LEVELS,
  THRESHOLD_RANGE,
} from './values';

/** Default similarity threshold; also the default floor (`semanticMinThreshold`). */
const DEFAULT_THRESHOLD = 0.9;

/**
 * The settings a deployment chooses: each is a CDK context key at synth and, when the function
 * needs it, the environment variable the stack sets from it. One row, one validator: synth
 * (`resolveConfig`) and run time (`loadConfig`) parse it with the same rule.
 */
export const SHARED_SETTINGS = {
  cacheMode: oneOf({ env: 'CACHE_MODE', context: 'cacheMode', default: 'semantic', doc: 'default mode of a request (a request may also name `refresh`, which is never a default)' }, CACHE_MODES),
  ttlSeconds: int(
    { env: 'CACHE_TTL_SECONDS', context: 'ttlSeconds', default: 86_400, doc: 'default TTL in seconds; at most one year, the same limit as a request\'s `ttlSeconds`' },
    { min: 1, max: MAX_TTL_SECONDS },
  ),
  semanticThreshold: num(
    { env: 'SEMANTIC_THRESHOLD', context: 'semanticThreshold', default: DEFAULT_THRESHOLD, doc: 'cosine similarity needed for a semantic hit, in (0, 1]: 0 would match any prompt in the scope' },
    THRESHOLD_RANGE,
  ),
  semanticMinThreshold: num(
    {
      env: 'SEMANTIC_MIN_THRESHOLD',
      context: 'semanticMinThreshold',
      default: DEFAULT_THRESHOLD,
      defaultDoc: { env: '`SEMANTIC_THRESHOLD`', context: '`semanticThreshold`' },
      doc: 'floor of a request\'s `threshold` (a request may raise the threshold, never lower it below this); in (0, 1], at most the threshold',
    },
    THRESHOLD_RANGE,
  ),
  semanticCheck: oneOf(
    {
      env: 'SEMANTIC_CHECK',
      context: 'semanticCheck',
      default: 'on',
      doc: 'the same-question check between "nearest neighbour above the threshold" and a semantic hit (README "Same-question check"): `on`, `strict` (no substituted content word at all) or `off`; a request\'s `semanticCheck` may make it stricter, never looser',
    },
    SEMANTIC_CHECK_LEVELS,
  ),
  namespace: str(
    { env: 'CACHE_NAMESPACE', context: 'namespace', default: 'default', doc: `default namespace: ${NAMESPACE_RULE}, the rule a request's \`namespace\` follows` },
    { pattern: NAMESPACE_PATTERN, expected: NAMESPACE_RULE },
  ),
  namespaceFrom: str(
    { env: 'NAMESPACE_FROM', context: 'namespaceFrom', default: 'body', doc: `where an HTTP event's namespace comes from: ${NAMESPACE_SOURCE_FORMS} (see the contract)` },
    { expected: NAMESPACE_SOURCE_FORMS, check: (value) => namespaceSourceProblem(value) },
  ),
  allowPurge: bool({
    env: 'CACHE_ALLOW_PURGE',
    context: 'allowPurge',
    default: false,
    doc: 'whether the `purge` action may empty a namespace (README "Taking an answer back"); off, a purge is refused with `PurgeDisabled` (403)',
  }),
  modelId: str({
    env: 'LLM_MODEL_ID',
    context: 'modelId',
    default: DEFAULT_MODEL_ID,
    doc: 'default model or inference profile; synth also requires a foundation-model id or a `us.` profile (it grants IAM on each)',
  }),
  allowedModelIds: list({
    env: 'LLM_ALLOWED_MODEL_IDS',
    context: 'allowedModelIds',
    default: [],
    defaultDoc: { env: '`LLM_MODEL_ID` only', context: '`modelId` only' },
    doc: 'comma list of the models a request\'s `modelId` may name (the default model always may); synth checks each like `modelId`',
  }),
  maxTokens: int(
    {
      env: 'LLM_MAX_TOKENS',
      context: 'maxTokens',
      default: 512,
      doc: 'default `maxTokens` of a request; at most the max output tokens of every allowed model (synth and start refuse more)',
    },
    { min: 1, max: MAX_TOKENS_LIMIT },
  ),
  embeddingModelId: str({
    env: 'EMBEDDING_MODEL_ID',
    context: 'embeddingModelId',
    default: DEFAULT_EMBEDDING_MODEL_ID,
    doc: 'embedding model of the semantic cache; synth accepts only models whose sizes it knows (Titan V2)',
  }),
  embeddingDimensions: int(
    { env: 'EMBEDDING_DIMENSIONS', context: 'embeddingDimensions', default: 1024, doc: 'embedding size; Titan V2: 256, 512 or 1024' },
    { min: 1 },
  ),
} as const;

/** Settings only synth reads: the function's and the stack's shape. */
export const SYNTH_SETTINGS = {
  lambdaMemoryMb: int({ context: 'lambdaMemoryMb', default: 512, doc: 'function memory in MB' }, { min: 128, max: 10_240 }),
  lambdaTimeoutSeconds: int(
    { context: 'lambdaTimeoutSeconds', default: 60, doc: 'function timeout in seconds; an LLM call can take tens of seconds' },
    { min: 10, max: 900 },
  ),
  logRetentionDays: int({ context: 'logRetentionDays', default: 14, doc: 'retention of the function\'s and the VPC flow logs, in days' }, { allowed: LOG_RETENTION_DAYS }),
  verifyDeployment: bool({ context: 'verifyDeployment', default: true, doc: 'run the post-deploy check in every deploy that changes the function (see "Post-deploy check")' }),
  alarmEmail: str<string | undefined>(
    { context: 'alarmEmail', default: undefined, defaultDoc: 'none', doc: 'alarm notifications through an encrypted SNS topic with one email subscription (see "Dashboard and alarms")' },
    { pattern: /^[^\s@]+@[^\s@]+\.[^\s@]+$/, expected: 'an email address such as ops@example.com' },
  ),
  streaming: bool({ context: 'streaming', default: false, doc: 'a second function behind a Function URL for streamed answers (see "Streaming")' }),
} as const;

function namespaceSourceProblem(value: string): string | undefined {
  const parsed = parseNamespaceSource(value);
  return 'problem' in parsed ? parsed.problem : undefined;
}
