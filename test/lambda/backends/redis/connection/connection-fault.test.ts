import { connectionFaultHooks, connectionFaultReason, redactCredentials } from '../../../../../lambda/backends/redis/connection';
import { parseCacheUrl } from '../../../../../lambda/backends/redis/connection/connection';
import { ConfigurationError, CacheUnavailableError } from '../../../../../lambda/core/errors';

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('connectionFaultReason', () => {
  it.each([
    ['WRONGPASS invalid username-password pair or user is disabled.'],
    ['Ready check failed: NOAUTH Authentication required.'],
    ["Ready check failed: NOPERM User app has no permissions to run the 'info' command"],
    ['ERR invalid password'],
  ])('calls %j an authentication failure', (message) => {
    expect(connectionFaultReason(new Error(message))).toBe('auth-failed');
  });

  it.each([
    [withCode('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED')],
    [withCode('connect ETIMEDOUT', 'ETIMEDOUT')],
    [withCode('getaddrinfo ENOTFOUND cache.example', 'ENOTFOUND')],
    [withCode('read ECONNRESET', 'ECONNRESET')],
    [new Error('Connection is closed.')],
  ])('calls %s a network failure', (error) => {
    expect(connectionFaultReason(error)).toBe('network');
  });

  it.each([
    [withCode('self-signed certificate in certificate chain', 'SELF_SIGNED_CERT_IN_CHAIN')],
    [withCode("Hostname/IP does not match certificate's altnames", 'ERR_TLS_CERT_ALTNAME_INVALID')],
    [withCode('unable to verify the first certificate', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE')],
  ])('calls %s a TLS failure', (error) => {
    expect(connectionFaultReason(error)).toBe('tls-failed');
  });

  it('reads the cause of a wrapping error, and a cluster error\'s last node error', () => {
    const auth = new Error('WRONGPASS invalid username-password pair');

    expect(connectionFaultReason(new CacheUnavailableError('cache connection failed', { cause: auth }))).toBe('auth-failed');
    expect(connectionFaultReason(Object.assign(new Error('Failed to refresh slots cache.'), { lastNodeError: auth }))).toBe('auth-failed');
  });

  it('leaves anything else unclassified', () => {
    expect(connectionFaultReason(new Error('ERR unknown command'))).toBeUndefined();
    expect(connectionFaultReason(undefined)).toBeUndefined();
    expect(connectionFaultReason('WRONGPASS as a string is not an error')).toBeUndefined();
  });
});

describe('redactCredentials', () => {
  it('blanks the arguments ioredis attaches to a failed AUTH or HELLO', () => {
    const auth = Object.assign(new Error('WRONGPASS'), { command: { name: 'auth', args: ['app', 'Zq9-secret'] } });
    const hello = Object.assign(new Error('WRONGPASS'), { command: { name: 'HELLO', args: ['3', 'AUTH', 'app', 'Zq9-secret'] } });

    redactCredentials(auth);
    redactCredentials(hello);

    expect(JSON.stringify([auth, hello])).not.toContain('Zq9-secret');
  });

  it('keeps the arguments of other commands', () => {
    const get = Object.assign(new Error('NOPERM'), { command: { name: 'get', args: ['llmcache:v1:key'] } });

    redactCredentials(get);

    expect(get.command.args).toEqual(['llmcache:v1:key']);
  });
});

describe('connectionFaultHooks', () => {
  it('reports each reason once while the client keeps failing the same way, again after it was ready', () => {
    const reasons: string[] = [];
    const hooks = connectionFaultHooks((fault) => reasons.push(fault.reason));
    const wrongpass = new Error('WRONGPASS invalid username-password pair');

    hooks.onError?.(wrongpass);
    hooks.onError?.(wrongpass);
    hooks.onError?.(withCode('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED'));
    hooks.onReady?.();
    hooks.onError?.(wrongpass);
    hooks.onError?.(new Error('something else'));

    expect(reasons).toEqual(['auth-failed', 'network', 'auth-failed', 'error']);
  });
});

describe('parseCacheUrl with credentials', () => {
  it('refuses a URL still carrying them instead of connecting without them, and never echoes them', () => {
    let error: unknown;
    try {
      parseCacheUrl('rediss://app:Zq9-secret@cache.example:6379');
    } catch (e) {
      error = e;
    }

    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).not.toContain('Zq9-secret');
  });
});
