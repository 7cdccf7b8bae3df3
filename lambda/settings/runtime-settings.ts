import { DEFAULT_MEMORY_MAX_BYTES, DEFAULT_MEMORY_MAX_ENTRIES } from '../core/expiring-lru';
import { METRICS_DEFAULTS } from '../observability/metric-names';
import { DEFAULT_TOKEN_PRICE } from '../observability/pricing';
import { bool, int, num, oneOf, str } from './parse';
import { DEFAULT_MAX_PROMPT_CHARS } from './values';

/** Client-side semantic index: documents per scope, oldest out first. */
export const DEFAULT_CLIENT_MAX_ENTRIES = 10_000;
/** Client-side semantic index: scopes per container, least recently used out first. */
export const DEFAULT_CLIENT_MAX_SCOPES = 16;
/** Client-side semantic index: the budget of a container's first read of a scope (`SEMANTIC_PREPARE_TIMEOUT_MS`). */
export const DEFAULT_SEMANTIC_PREPARE_TIMEOUT_MS = 3000;

/**
 * Settings only the runtime reads (environment variables, no CDK context key). The stacks set the
 * connection rows from the backend (`lib/function/runtime-environment.ts`); the others keep their
 * defaults in Lambda and are there for local runs and tuning.
 */
export const RUNTIME_SETTINGS = {
  backend: oneOf(
    { env: 'CACHE_BACKEND', default: 'memory', doc: '`memory` (embedded, in-process), `redis` (standalone) or `redis-cluster`' },
    ['memory', 'redis', 'redis-cluster'] as const,
  ),
  cacheUrl: str<string | undefined>({
    env: 'CACHE_URL',
    default: undefined,
    defaultDoc: '—',
    doc: '`redis://` or `rediss://host:port`; `rediss://user:password@host:port` (percent-encoded; `:password@` for the default user) is used when no other credentials are set, and refused at start beside `CACHE_SECRET_ARN`, `CACHE_USERNAME` or `CACHE_PASSWORD`. For local runs: in Lambda, use `CACHE_SECRET_ARN` (the stacks do)',
  }),
  secretArn: str<string | undefined>({ env: 'CACHE_SECRET_ARN', default: undefined, defaultDoc: '—', doc: 'Secrets Manager secret `{username,password}`, fetched once per container' }),
  username: str<string | undefined>({ env: 'CACHE_USERNAME', default: undefined, defaultDoc: '—', doc: 'user name for local runs' }),
  password: str<string | undefined>({ env: 'CACHE_PASSWORD', default: undefined, defaultDoc: '—', doc: 'password for local runs' }),
  tlsCaFile: str<string | undefined>({ env: 'CACHE_TLS_CA_FILE', default: undefined, defaultDoc: 'system CAs', doc: 'PEM of a private CA (tests); certificate and host name are always verified' }),
  semanticIndex: oneOf(
    { env: 'SEMANTIC_INDEX', default: 'auto', doc: '`search` (server FT.*), `client` (client-side index), `auto` (FT.* if `FT._LIST` answers, else `client`), `none` (exact-only)' },
    ['auto', 'search', 'client', 'none'] as const,
  ),
  maxPromptChars: int({ env: 'MAX_PROMPT_CHARS', default: DEFAULT_MAX_PROMPT_CHARS, doc: 'longest prompt (UTF-16 code units) a request may carry' }, { min: 1 }),
  cacheTimeoutMs: int({ env: 'CACHE_TIMEOUT_MS', default: 250, doc: 'per-operation deadline of the cache; past it the request fails open' }, { min: 1 }),
  cacheConnectTimeoutMs: int(
    { env: 'CACHE_CONNECT_TIMEOUT_MS', default: 1000, doc: 'connect deadline of the cache client; a new container\'s first request waits for the first connection up to this (counted from init), then fails open' },
    { min: 1 },
  ),
  lockTtlMs: int(
    { env: 'CACHE_LOCK_TTL_MS', default: 20_000, doc: 'cross-container single flight: life of the lock, renewed every third of it while its holder calls the model (frees waiters within it if its holder dies)' },
    { min: 1 },
  ),
  lockWaitMs: int(
    {
      env: 'CACHE_LOCK_WAIT_MS',
      default: 900_000,
      doc: 'cross-container single flight: longest wait for another container\'s answer while its holder is alive, after which the request calls the model itself; in Lambda the invocation\'s end bounds the wait first (the default is Lambda\'s 900 s maximum timeout, so only the invocation does)',
    },
    { min: 0 },
  ),
  breakerCoolDownMs: int({ env: 'CACHE_BREAKER_COOLDOWN_MS', default: 5000, doc: 'how long the circuit breaker skips a failing cache before probing' }, { min: 1 }),
  cacheDisabled: bool({ env: 'CACHE_DISABLED', default: false, doc: 'kill switch: every request goes straight to the model (also 1/0, yes/no, on/off)' }, true),
  memoryMaxEntries: int(
    {
      env: 'MEMORY_MAX_ENTRIES',
      default: DEFAULT_MEMORY_MAX_ENTRIES,
      doc: 'bound of the embedded backend (`memory`), applied to the exact store and to the semantic index across all namespaces and scopes; least recently used out first, expired entries swept as requests go on',
    },
    { min: 1 },
  ),
  memoryMaxBytes: int(
    {
      env: 'MEMORY_MAX_BYTES',
      default: DEFAULT_MEMORY_MAX_BYTES,
      defaultDoc: '`67108864` (64 MiB)',
      doc: 'estimated heap bytes of each of the two embedded structures (an estimate that errs high: strings at 2 bytes a character, vectors\' buffers, 200 bytes per entry); both together stay under a quarter of a 512 MB function',
    },
    { min: 1024 * 1024 },
  ),
  clientIndexMaxEntries: int({ env: 'SEMANTIC_CLIENT_MAX_ENTRIES', default: DEFAULT_CLIENT_MAX_ENTRIES, doc: 'client-side semantic index: documents per scope, oldest out first' }, { min: 1 }),
  semanticPrepareTimeoutMs: int(
    {
      env: 'SEMANTIC_PREPARE_TIMEOUT_MS',
      default: DEFAULT_SEMANTIC_PREPARE_TIMEOUT_MS,
      doc: 'client-side semantic index: how long a request waits for its container\'s first read of a scope (a 10,000-entry scope took 1.5-2 s at a 512 MB function\'s CPU share on a busy 2-core host); past it the request is served exact-only and its answer still indexed',
    },
    { min: 1 },
  ),
  clientIndexMaxScopes: int({ env: 'SEMANTIC_CLIENT_MAX_SCOPES', default: DEFAULT_CLIENT_MAX_SCOPES, doc: 'client-side semantic index: scopes per container' }, { min: 1 }),
  bedrockEndpoint: str<string | undefined>({ env: 'BEDROCK_ENDPOINT', default: undefined, defaultDoc: 'AWS', doc: 'endpoint override (the local emulator)' }),
  region: str<string | undefined>({ env: 'AWS_REGION', default: undefined, defaultDoc: '`AWS_DEFAULT_REGION`', doc: 'region of the Bedrock client; Lambda sets it' }),
  serviceName: str({
    env: 'POWERTOOLS_SERVICE_NAME',
    default: METRICS_DEFAULTS.serviceName,
    doc: '`service` dimension of every metric and log line; the stacks set the stack name, so two stacks never share a dashboard\'s data',
  }),
  metricsNamespace: str({ env: 'POWERTOOLS_METRICS_NAMESPACE', default: METRICS_DEFAULTS.namespace, doc: 'CloudWatch namespace of the metrics' }),
  priceInputPerMTok: num(
    { env: 'LLM_PRICE_INPUT_PER_MTOK', default: DEFAULT_TOKEN_PRICE.inputPerMTok, doc: 'USD per million input tokens, for the cost-saved metric only (Claude Haiku 4.5 list price)' },
    { min: 0 },
  ),
  priceOutputPerMTok: num(
    { env: 'LLM_PRICE_OUTPUT_PER_MTOK', default: DEFAULT_TOKEN_PRICE.outputPerMTok, doc: 'USD per million output tokens, for the cost-saved metric only' },
    { min: 0 },
  ),
} as const;
