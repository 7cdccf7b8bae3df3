import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { ConfigurationError } from '../../../../../lambda/core/errors';
import { parseSecret, resetCredentialsCache, resolveCredentials, setSecretsManagerClient } from '../../../../../lambda/backends/redis/connection/credentials';

const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:llmcache-redis-AbCdEf';
const sm = mockClient(SecretsManagerClient);

beforeEach(() => {
  sm.reset();
  resetCredentialsCache();
  setSecretsManagerClient(undefined);
});

describe('resolveCredentials', () => {
  it('uses username/password from the config when no secret is set, without calling AWS', async () => {
    await expect(resolveCredentials({ username: 'app', password: 'pw' })).resolves.toEqual({ username: 'app', password: 'pw' });
    await expect(resolveCredentials({ password: 'pw' })).resolves.toEqual({ password: 'pw' });
    await expect(resolveCredentials({})).resolves.toEqual({});
    expect(sm.calls()).toHaveLength(0);
  });

  it('fetches the secret once per container, shared by concurrent callers, and prefers it over config values', async () => {
    sm.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ SecretString: JSON.stringify({ username: 'llmcache-app', password: 's3cr3t' }) });
    const config = { secretArn: ARN, username: 'ignored', password: 'ignored', region: 'us-east-1' };
    const [a, b] = await Promise.all([resolveCredentials(config), resolveCredentials(config)]);
    const c = await resolveCredentials(config);
    expect(a).toEqual({ username: 'llmcache-app', password: 's3cr3t' });
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('does not cache a failed fetch forever: the next call fetches again', async () => {
    sm.on(GetSecretValueCommand)
      .rejectsOnce(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }))
      .resolves({ SecretString: '{"username":"u","password":"p"}' });
    await expect(resolveCredentials({ secretArn: ARN })).rejects.toThrow('throttled');
    await expect(resolveCredentials({ secretArn: ARN })).resolves.toEqual({ username: 'u', password: 'p' });
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('uses an injected client', async () => {
    const injected = new SecretsManagerClient({ region: 'eu-west-1' });
    setSecretsManagerClient(injected);
    sm.on(GetSecretValueCommand).resolves({ SecretString: '{"password":"only-password"}' });
    await expect(resolveCredentials({ secretArn: ARN })).resolves.toEqual({ password: 'only-password' });
    expect(sm.call(0).thisValue).toBe(injected);
  });

  it.each([
    ['not JSON', 'hunter2-not-json'],
    ['a JSON string', JSON.stringify('hunter2-string')],
    ['an array', JSON.stringify(['hunter2-array'])],
    ['no password', JSON.stringify({ username: 'app', pass: 'hunter2-wrong-field' })],
    ['an empty password', JSON.stringify({ username: 'hunter2-user', password: '' })],
    ['a non-string username', JSON.stringify({ username: 42, password: 'hunter2-pw' })],
  ])('rejects a malformed secret (%s) with a ConfigurationError that hides the value', async (_label, secretString) => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: secretString });
    const error: unknown = await resolveCredentials({ secretArn: ARN }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    const err = error as ConfigurationError;
    expect(err.message).toContain(ARN);
    const visible = `${err.message} ${String(err.stack)} ${JSON.stringify(err)} ${String(err.cause)}`;
    expect(visible).not.toContain('hunter2');
    expect(err.cause).toBeUndefined();
  });

  it('rejects a binary secret', () => {
    expect(() => parseSecret(ARN, undefined)).toThrow(ConfigurationError);
  });
});
