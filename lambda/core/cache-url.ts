import { ConfigurationError } from './errors';
import { envSetting, type Env } from './env';
import { RUNTIME_SETTINGS } from '../settings/runtime-settings';

/** `CACHE_URL` with any credentials moved out of it, and the credentials the cache client uses. */
export interface CacheUrlSettings {
  /** The URL without user or password: safe to log. */
  readonly cacheUrl?: string;
  readonly username?: string;
  readonly password?: string;
}

/** Rows that name credentials besides the URL; only their variables' names are ever printed. */
const OTHER_SOURCES = [RUNTIME_SETTINGS.secretArn, RUNTIME_SETTINGS.username, RUNTIME_SETTINGS.password];

/**
 * Reads `CACHE_URL` and the credential variables. Credentials in the URL
 * (`rediss://user:pass@host`, `redis://:pass@host` for the default user; percent-encoded as URLs
 * require) are used, as every Redis client does, when they are the only credentials given. Beside
 * `CACHE_SECRET_ARN`, `CACHE_USERNAME` or `CACHE_PASSWORD` they are refused: no source silently
 * wins over another. A user without a password is refused too (AUTH needs one). The stacks never
 * put credentials in the URL (a Lambda environment is readable by anyone who can read the
 * function's configuration); they pass `CACHE_SECRET_ARN`. Messages name variables, never values.
 */
export function readCacheUrl(env: Env, cacheUrl: string | undefined): CacheUrlSettings {
  const username = envSetting(env, RUNTIME_SETTINGS.username);
  const password = envSetting(env, RUNTIME_SETTINGS.password);
  if (cacheUrl === undefined) return { cacheUrl, username, password };
  let url: URL;
  try {
    url = new URL(cacheUrl);
  } catch {
    throw new ConfigurationError('CACHE_URL is not a valid URL: expected redis:// or rediss://[user:password@]host:port');
  }
  if (url.username === '' && url.password === '') return { cacheUrl, username, password };
  const others = OTHER_SOURCES.filter((row) => envSetting(env, row) !== undefined).map((row) => row.env);
  if (others.length > 0) {
    throw new ConfigurationError(`CACHE_URL carries credentials and ${others.join(', ')} ${others.length === 1 ? 'is' : 'are'} also set: give the cache credentials in one place`);
  }
  const fromUrl = { username: decode(url.username, 'user name'), password: decode(url.password, 'password') };
  if (fromUrl.password === '') throw new ConfigurationError('CACHE_URL names a user but no password: expected rediss://user:password@host:port');
  url.username = '';
  url.password = '';
  return { cacheUrl: url.toString(), username: fromUrl.username === '' ? undefined : fromUrl.username, password: fromUrl.password };
}

function decode(value: string, what: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new ConfigurationError(`CACHE_URL has a ${what} that is not valid percent-encoding`);
  }
}
