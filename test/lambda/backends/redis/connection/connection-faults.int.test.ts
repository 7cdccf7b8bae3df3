import { Logger } from '@aws-lambda-powertools/logger';
import { loadConfig } from '../../../../../lambda/core/config';
import { CacheUnavailableError, ConfigurationError } from '../../../../../lambda/core/errors';
import { parseRequest } from '../../../../../lambda/core/request';
import type { ChatModel } from '../../../../../lambda/core/types';
import { connectionFaultReason, connectRedisClient, createRedisClient, type RedisClient } from '../../../../../lambda/backends/redis/connection';
import { createRuntime } from '../../../../../lambda/runtime';
import { getFreePort, releasePort, startStandalone, type RedisTestServer } from '../../../../../tools/redis-servers';
import { eventually } from '../../../../support/reliability';

const CONNECT_TIMEOUT_MS = 1000;
const SERVER_PASSWORD = 'Zq9-server-password-4417';
const WRONG_PASSWORD = 'Zq9-wrong-password-8812';
const APP_USER = { username: 'llmcache-app', password: 'Zq9-app-password-2290' };
const SECRETS = [SERVER_PASSWORD, WRONG_PASSWORD, APP_USER.password];

function configFor(env: Record<string, string>) {
  return loadConfig({ CACHE_TIMEOUT_MS: '250', CACHE_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS), ...env });
}

/** A URL with credentials, percent-encoded as a user would write it. */
function urlWith(server: RedisTestServer, username: string, password: string): string {
  return server.url.replace('://', `://${encodeURIComponent(username)}:${encodeURIComponent(password)}@`);
}

const clients: RedisClient[] = [];
afterEach(() => {
  clients.splice(0).forEach((client) => client.disconnect());
});

/** Connects a client for `env` and returns how it failed, plus every error its hooks saw. */
async function failedConnect(env: Record<string, string>): Promise<{ error: Error; seen: Error[] }> {
  const config = configFor(env);
  const seen: Error[] = [];
  const client = createRedisClient(config, { username: config.username, password: config.password }, { onError: (e) => seen.push(e) });
  clients.push(client);
  const error = await connectRedisClient(client, CONNECT_TIMEOUT_MS).then(
    () => new Error('expected the connection to fail'),
    (e: unknown) => e as Error,
  );
  return { error, seen };
}

/** Everything a log line could print of an error: Powertools' own formatting, cause and fields included. */
function printed(errors: readonly Error[]): string {
  const formatter = (new Logger() as unknown as { getLogFormatter(): { formatError(e: Error): unknown } }).getLogFormatter();
  return JSON.stringify(errors.map((e) => formatter.formatError(e)));
}

describe('connection failures say why', () => {
  let withPassword: RedisTestServer;
  let withAclUser: RedisTestServer;
  beforeAll(async () => {
    [withPassword, withAclUser] = await Promise.all([startStandalone({ password: SERVER_PASSWORD }), startStandalone({ tls: true, aclUser: APP_USER })]);
  });
  afterAll(async () => {
    await Promise.all([withPassword?.stop(), withAclUser?.stop()]);
  });

  it('a wrong password is an authentication failure, and no password reaches what a log prints', async () => {
    const { error, seen } = await failedConnect({ ...withPassword.env(), CACHE_PASSWORD: WRONG_PASSWORD });

    expect(error).toBeInstanceOf(CacheUnavailableError);
    expect(error.message).toMatch(/authentication failed/);
    expect(connectionFaultReason(error)).toBe('auth-failed');
    expect(seen.map(connectionFaultReason)).toContain('auth-failed');
    const text = printed([error, ...seen]);
    expect(text).toMatch(/WRONGPASS/);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  });

  it('no credentials for a server that needs them is an authentication failure (NOAUTH)', async () => {
    const { error } = await failedConnect({ CACHE_BACKEND: 'redis', CACHE_URL: withAclUser.url, CACHE_TLS_CA_FILE: withAclUser.caFile ?? '' });

    expect(connectionFaultReason(error)).toBe('auth-failed');
    expect(String(error.cause)).toMatch(/NOAUTH/);
  });

  it('a closed port is a network failure', async () => {
    const port = await getFreePort();
    try {
      const { error } = await failedConnect({ CACHE_BACKEND: 'redis', CACHE_URL: `redis://127.0.0.1:${port}` });

      expect(error).toBeInstanceOf(CacheUnavailableError);
      expect(connectionFaultReason(error)).toBe('network');
      expect(error.message).toMatch(/network failure/);
    } finally {
      releasePort(port);
    }
  });

  it('an untrusted server certificate is a TLS failure', async () => {
    const { error } = await failedConnect({ ...withAclUser.env(), CACHE_TLS_CA_FILE: withAclUser.wrongCaFile ?? '' });

    expect(connectionFaultReason(error)).toBe('tls-failed');
  });

  it('uses credentials given in CACHE_URL for the default user', async () => {
    const config = configFor({ CACHE_BACKEND: 'redis', CACHE_URL: urlWith(withPassword, '', SERVER_PASSWORD) });
    const client = createRedisClient(config, { username: config.username, password: config.password });
    clients.push(client);

    await connectRedisClient(client, CONNECT_TIMEOUT_MS);

    await expect(client.ping()).resolves.toBe('PONG');
  });

  it('uses an ACL user and password given in CACHE_URL, over TLS', async () => {
    const config = configFor({ CACHE_BACKEND: 'redis', CACHE_URL: urlWith(withAclUser, APP_USER.username, APP_USER.password), CACHE_TLS_CA_FILE: withAclUser.caFile ?? '' });
    const client = createRedisClient(config, { username: config.username, password: config.password });
    clients.push(client);

    await connectRedisClient(client, CONNECT_TIMEOUT_MS);

    await client.set('llmcache:test:url-credentials', 'ok', 'PX', 60_000);
    await expect(client.get('llmcache:test:url-credentials')).resolves.toBe('ok');
  });

  it('refuses credentials in CACHE_URL beside CACHE_PASSWORD at start, naming neither value', () => {
    const start = (): unknown => configFor({ CACHE_BACKEND: 'redis', CACHE_URL: urlWith(withPassword, '', SERVER_PASSWORD), CACHE_PASSWORD: WRONG_PASSWORD });

    expect(start).toThrow(ConfigurationError);
    expect(start).toThrow(/CACHE_URL carries credentials and CACHE_PASSWORD/);
    expect(start).not.toThrow(new RegExp(`${SERVER_PASSWORD}|${WRONG_PASSWORD}`));
  });
});

describe('the runtime reports connection failures by reason', () => {
  let server: RedisTestServer;
  const captured: string[] = [];
  const restore: (() => void)[] = [];
  const model: ChatModel = {
    converse: async () => ({ text: 'answer', stopReason: 'end_turn', usage: { inputTokens: 1, outputTokens: 1 }, modelId: 'test-model', latencyMs: 1 }),
  };

  const savedLevel = process.env.POWERTOOLS_LOG_LEVEL;
  beforeAll(async () => {
    server = await startStandalone({ password: SERVER_PASSWORD });
    process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
    for (const stream of [process.stdout, process.stderr]) {
      const original = stream.write.bind(stream);
      // Captured, not passed on: the test reads every line, and the run's output stays quiet.
      stream.write = ((chunk: unknown) => {
        captured.push(String(chunk));
        return true;
      }) as typeof stream.write;
      restore.push(() => (stream.write = original as typeof stream.write));
    }
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      const spy = jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        captured.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
      });
      restore.push(() => spy.mockRestore());
    }
  });
  afterAll(async () => {
    restore.forEach((undo) => undo());
    process.env.POWERTOOLS_LOG_LEVEL = savedLevel;
    await server?.stop();
  });

  async function logsOf(env: Record<string, string>): Promise<string[]> {
    captured.length = 0;
    const config = configFor({ ...env, SEMANTIC_INDEX: 'none', CACHE_MODE: 'standard' });
    const runtime = createRuntime(config, { model });
    try {
      runtime.warmUp();
      const response = await runtime.cache.answer(parseRequest({ prompt: 'hello' }, config));
      expect(response.text).toBe('answer');
      await eventually(async () => expect(captured.join('\n')).toMatch(/"operation":"connect"/), 3000);
      return captured.filter((line) => line.includes('"level"'));
    } finally {
      await runtime.close();
    }
  }

  it('logs a wrong password in CACHE_URL as auth-failed, never the password, and still answers', async () => {
    const lines = await logsOf({ CACHE_BACKEND: 'redis', CACHE_URL: urlWith(server, '', WRONG_PASSWORD) });

    const connect = lines.filter((line) => line.includes('"operation":"connect"'));
    expect(connect.length).toBeGreaterThan(0);
    for (const line of connect) expect(line).toContain('"reason":"auth-failed"');
    for (const secret of SECRETS) expect(captured.join('\n')).not.toContain(secret);
  });

  it('logs a closed port as network', async () => {
    const port = await getFreePort();
    try {
      const lines = await logsOf({ CACHE_BACKEND: 'redis', CACHE_URL: `redis://127.0.0.1:${port}` });

      const connect = lines.filter((line) => line.includes('"operation":"connect"'));
      expect(connect.length).toBeGreaterThan(0);
      for (const line of connect) expect(line).toContain('"reason":"network"');
    } finally {
      releasePort(port);
    }
  });
});
