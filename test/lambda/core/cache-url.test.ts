import { loadConfig } from '../../../lambda/core/config';
import { ConfigurationError } from '../../../lambda/core/errors';

const SECRET = 'p@ss:w/rd%s3cret';
const ENCODED = encodeURIComponent(SECRET);

function rejection(env: Record<string, string>): ConfigurationError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected the environment to be rejected');
}

describe('credentials in CACHE_URL', () => {
  it('are used, percent-decoded, when they are the only credentials given', () => {
    const config = loadConfig({ CACHE_BACKEND: 'redis', CACHE_URL: `rediss://app%2Duser:${ENCODED}@cache.example:6380` });

    expect(config.username).toBe('app-user');
    expect(config.password).toBe(SECRET);
  });

  it('leave the configured URL, so nothing that logs the URL can print them', () => {
    const config = loadConfig({ CACHE_BACKEND: 'redis', CACHE_URL: `rediss://app:${ENCODED}@cache.example:6380` });

    expect(config.cacheUrl).toBe('rediss://cache.example:6380');
  });

  it('log in the default user when only a password is given', () => {
    const config = loadConfig({ CACHE_BACKEND: 'redis', CACHE_URL: `redis://:${ENCODED}@localhost:6379` });

    expect(config.username).toBeUndefined();
    expect(config.password).toBe(SECRET);
  });

  it('leave a URL without credentials and the credential variables as they are', () => {
    const config = loadConfig({ CACHE_BACKEND: 'redis', CACHE_URL: 'redis://localhost:6379', CACHE_USERNAME: 'u', CACHE_PASSWORD: 'p' });

    expect(config).toMatchObject({ cacheUrl: 'redis://localhost:6379', username: 'u', password: 'p' });
  });

  it.each([
    ['CACHE_SECRET_ARN', { CACHE_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:cache' }],
    ['CACHE_USERNAME', { CACHE_USERNAME: 'other' }],
    ['CACHE_PASSWORD', { CACHE_PASSWORD: 'other' }],
  ])('are refused beside %s, naming both sources and no secret', (name, extra) => {
    const error = rejection({ CACHE_BACKEND: 'redis', CACHE_URL: `rediss://app:${ENCODED}@cache.example`, ...extra });

    expect(error.message).toContain('CACHE_URL');
    expect(error.message).toContain(name);
    expect(error.message).not.toContain(ENCODED);
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toContain('other');
  });

  it('are refused when they name a user but no password', () => {
    const error = rejection({ CACHE_BACKEND: 'redis', CACHE_URL: 'rediss://app@cache.example' });

    expect(error.message).toMatch(/no password/);
  });

  it('are refused, without echoing them, when the percent-encoding is broken', () => {
    const error = rejection({ CACHE_BACKEND: 'redis', CACHE_URL: 'rediss://app:bad%zzsecret@cache.example' });

    expect(error.message).toMatch(/percent-encoding/);
    expect(error.message).not.toContain('bad%zzsecret');
  });
});

describe('embedded backend bounds', () => {
  it('default to 10,000 entries and 64 MiB', () => {
    expect(loadConfig({})).toMatchObject({ memoryMaxEntries: 10_000, memoryMaxBytes: 64 * 1024 * 1024 });
  });

  it('are read from MEMORY_MAX_ENTRIES and MEMORY_MAX_BYTES', () => {
    expect(loadConfig({ MEMORY_MAX_ENTRIES: '500', MEMORY_MAX_BYTES: '8388608' })).toMatchObject({ memoryMaxEntries: 500, memoryMaxBytes: 8_388_608 });
  });

  it.each([
    ['MEMORY_MAX_ENTRIES', '0'],
    ['MEMORY_MAX_ENTRIES', '1.5'],
    ['MEMORY_MAX_BYTES', '1000'],
  ])('refuse %s=%s', (name, value) => {
    expect(rejection({ [name]: value }).message).toContain(name);
  });
});
