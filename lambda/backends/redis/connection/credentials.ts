import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { RuntimeConfig } from '../../../core/config';
import { ConfigurationError } from '../../../core/errors';

/** What the cache client logs in with. Both absent: an open server. */
export interface RedisCredentials {
  readonly username?: string;
  readonly password?: string;
}

type CredentialConfig = Pick<RuntimeConfig, 'secretArn' | 'username' | 'password' | 'region'>;

let secretsClient: SecretsManagerClient | undefined;
let cached: { key: string; promise: Promise<RedisCredentials> } | undefined;

/** Replaces the Secrets Manager client (tests); `undefined` goes back to the lazily created default. */
export function setSecretsManagerClient(client: SecretsManagerClient | undefined): void {
  secretsClient = client;
}

/** Forgets the container's cached credentials (tests, or after a rotation was detected). */
export function resetCredentialsCache(): void {
  cached = undefined;
}

/**
 * The cache credentials: from the Secrets Manager secret `config.secretArn` (JSON
 * `{ "username": ..., "password": ... }`) when set, else `config.username` / `config.password`
 * (`CACHE_USERNAME` / `CACHE_PASSWORD`, or the credentials `loadConfig` took out of `CACHE_URL`;
 * it refuses the URL's beside any other source, see `readCacheUrl`).
 * The secret is fetched once per container (concurrent callers share the fetch); a failed fetch
 * is forgotten so the next call tries again. Error messages never contain the secret's value.
 */
export function resolveCredentials(config: CredentialConfig): Promise<RedisCredentials> {
  if (config.secretArn === undefined) {
    return Promise.resolve(pickDefined({ username: config.username, password: config.password }));
  }
  const key = config.secretArn;
  if (cached?.key === key) return cached.promise;
  const promise = fetchSecret(config.secretArn, config.region);
  const entry = { key, promise };
  cached = entry;
  promise.catch(() => {
    if (cached === entry) cached = undefined;
  });
  return promise;
}

/**
 * Reads the secret. The Secrets Manager SDK is evaluated here, on the first fetch, not when the
 * bundle loads: only a container with `CACHE_SECRET_ARN` needs it, and it needs it once.
 */
async function fetchSecret(secretArn: string, region: string | undefined): Promise<RedisCredentials> {
  const { GetSecretValueCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
  secretsClient ??= new SecretsManagerClient(region === undefined ? {} : { region });
  const reply = await secretsClient.send(new GetSecretValueCommand({ SecretId: secretArn }));
  return parseSecret(secretArn, reply.SecretString);
}

/** Validates a secret's text; messages name the secret and the problem, never the value. */
export function parseSecret(secretArn: string, secretString: string | undefined): RedisCredentials {
  if (secretString === undefined) {
    throw new ConfigurationError(`cache secret ${secretArn} has no SecretString (binary secrets are not supported)`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    // The parser's message may quote the text, so neither it nor the error is passed on.
    throw new ConfigurationError(`cache secret ${secretArn} is not a JSON object {"username","password"}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigurationError(`cache secret ${secretArn} is not a JSON object {"username","password"}`);
  }
  const { username, password } = parsed as Record<string, unknown>;
  if (typeof password !== 'string' || password === '') {
    throw new ConfigurationError(`cache secret ${secretArn} has no "password" string`);
  }
  if (username !== undefined && (typeof username !== 'string' || username === '')) {
    throw new ConfigurationError(`cache secret ${secretArn} has a "username" that is not a non-empty string`);
  }
  return pickDefined({ username, password });
}

function pickDefined(credentials: { username?: string; password?: string }): RedisCredentials {
  const out: { username?: string; password?: string } = {};
  if (credentials.username !== undefined) out.username = credentials.username;
  if (credentials.password !== undefined) out.password = credentials.password;
  return out;
}
