import Redis from 'ioredis';
import { loadConfig } from '../../../../../lambda/core/config';
import { CacheUnavailableError } from '../../../../../lambda/core/errors';
import {
  connectRedisClient,
  createRedisClient,
  isCluster,
  redisProvider,
  resetRedisClient,
  type RedisClient,
} from '../../../../../lambda/backends/redis/connection';
import { startCluster, startStandalone, type RedisTestCluster, type RedisTestServer } from '../../../../../tools/redis-servers';
import { eventually, sleep } from '../../../../support/reliability';

const TIMEOUT_MS = 250;
const CONNECT_TIMEOUT_MS = 1000;
/**
 * "Did not hang" bound for fail-fast checks. Generous on purpose: CI runs two jest workers on two
 * cores, so scheduling alone can add a second; a hung command would take far longer (forever).
 */
const HANG_BOUND_MS = 4000;

/** Runtime config for a harness server, exactly as the stacks would pass it in the environment. */
function configFor(env: Record<string, string>, overrides: Record<string, string> = {}) {
  return loadConfig({ ...env, CACHE_TIMEOUT_MS: String(TIMEOUT_MS), CACHE_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS), ...overrides });
}

const clients: RedisClient[] = [];
function track<T extends RedisClient>(client: T): T {
  clients.push(client);
  return client;
}
afterEach(() => {
  clients.splice(0).forEach((client) => client.disconnect());
});

async function timed<T>(run: () => Promise<T>): Promise<{ error: unknown; elapsedMs: number }> {
  const started = Date.now();
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, elapsedMs: Date.now() - started };
}


describe('standalone', () => {
  let plain: RedisTestServer;
  let secure: RedisTestServer;
  beforeAll(async () => {
    [plain, secure] = await Promise.all([startStandalone({ password: 'plain-pw' }), startStandalone({ tls: true, aclUser: { username: 'llmcache-app', password: 'app-pw' } })]);
  });
  afterAll(async () => {
    await Promise.all([plain?.stop(), secure?.stop()]);
  });

  it('connects with a password and round-trips SET/GET', async () => {
    const config = configFor(plain.env());
    const client = track(createRedisClient(config, { password: config.password }));
    expect(isCluster(client)).toBe(false);
    await connectRedisClient(client, CONNECT_TIMEOUT_MS);
    await client.set('llmcache:test:plain', 'hello', 'PX', 60_000);
    await expect(client.get('llmcache:test:plain')).resolves.toBe('hello');
  });

  it('refuses a wrong password', async () => {
    const errors: Error[] = [];
    const client = track(createRedisClient(configFor(plain.env()), { password: 'wrong' }, { onError: (e) => errors.push(e) }));
    await expect(connectRedisClient(client, CONNECT_TIMEOUT_MS)).rejects.toBeInstanceOf(CacheUnavailableError);
    await eventually(async () => expect(errors.map(String).join('\n')).toMatch(/WRONGPASS|invalid username-password/i), 2000);
  });

  it('connects over TLS trusting the private CA, with an ACL user', async () => {
    const config = configFor(secure.env());
    expect(config.cacheUrl).toMatch(/^rediss:/);
    const client = track(createRedisClient(config, { username: config.username, password: config.password }));
    await connectRedisClient(client, CONNECT_TIMEOUT_MS);
    await client.set('llmcache:test:tls', 'secret-answer', 'PX', 60_000);
    await expect(client.get('llmcache:test:tls')).resolves.toBe('secret-answer');
  });

  it('verifies the host name: rediss://localhost matches the DNS SAN', async () => {
    const config = configFor(secure.env(), { CACHE_URL: `rediss://localhost:${secure.port}` });
    const client = track(createRedisClient(config, { username: config.username, password: config.password }));
    await connectRedisClient(client, CONNECT_TIMEOUT_MS);
    await expect(client.call('PING')).resolves.toBe('PONG');
  });

  it('refuses a server whose certificate is not signed by the trusted CA', async () => {
    const errors: Error[] = [];
    const config = configFor(secure.env(), { CACHE_TLS_CA_FILE: secure.wrongCaFile as string });
    const client = track(createRedisClient(config, { username: config.username, password: config.password }, { onError: (e) => errors.push(e) }));
    await expect(connectRedisClient(client, CONNECT_TIMEOUT_MS)).rejects.toBeInstanceOf(CacheUnavailableError);
    await expect(client.get('llmcache:test:tls')).rejects.toThrow();
    await eventually(
      async () => expect(errors.map((e) => `${(e as NodeJS.ErrnoException).code} ${e.message}`).join('\n')).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|unable to verify|self.signed/i),
      2000,
    );
  });

  it('refuses TLS when the system CAs are trusted instead of the private CA', async () => {
    const config = configFor({ ...secure.env(), CACHE_TLS_CA_FILE: '' });
    expect(config.tlsCaFile).toBeUndefined();
    const client = track(createRedisClient(config, { username: config.username, password: config.password }));
    await expect(connectRedisClient(client, CONNECT_TIMEOUT_MS)).rejects.toBeInstanceOf(CacheUnavailableError);
  });

  it('the memoized runtime provider connects once and serves the cache code', async () => {
    await resetRedisClient();
    const provider = redisProvider(configFor(secure.env()));
    const [a, b] = await Promise.all([provider(), provider()]);
    expect(a).toBe(b);
    await a.set('llmcache:test:provider', 'v', 'PX', 60_000);
    await expect(a.get('llmcache:test:provider')).resolves.toBe('v');
    await resetRedisClient();
  });

  describe('fault injection', () => {
    let victim: RedisTestServer;
    beforeEach(async () => {
      victim = await startStandalone({ password: 'fault-pw' });
    });
    afterEach(async () => {
      await victim.stop();
    });

    it('a command to a stopped server fails fast, then works again after restart', async () => {
      const client = track(createRedisClient(configFor(victim.env()), { password: 'fault-pw' }));
      await connectRedisClient(client, CONNECT_TIMEOUT_MS);
      await client.set('llmcache:test:fault', '1', 'PX', 60_000);
      await victim.kill();
      const { error, elapsedMs } = await timed(() => client.get('llmcache:test:fault'));
      expect(error).toBeInstanceOf(Error);
      expect(elapsedMs).toBeLessThan(HANG_BOUND_MS);
      // While it is down (once the client has seen the connection close: a failed write can
      // reject before the close event), the provider path fails fast too instead of waiting.
      await eventually(async () => expect(client.status).not.toBe('ready'));
      const reconnecting = await timed(() => connectRedisClient(client, CONNECT_TIMEOUT_MS));
      expect(reconnecting.error).toBeInstanceOf(CacheUnavailableError);
      expect(reconnecting.elapsedMs).toBeLessThan(HANG_BOUND_MS);

      await victim.restart();
      await eventually(async () => {
        await connectRedisClient(client, CONNECT_TIMEOUT_MS);
        await client.set('llmcache:test:fault', '2', 'PX', 60_000);
      });
      await expect(client.get('llmcache:test:fault')).resolves.toBe('2');
    });

    it('a hung server (SIGSTOP) makes a command time out at commandTimeout', async () => {
      const client = track(createRedisClient(configFor(victim.env()), { password: 'fault-pw' }));
      await connectRedisClient(client, CONNECT_TIMEOUT_MS);
      await victim.kill('SIGSTOP');
      try {
        const { error, elapsedMs } = await timed(() => client.get('llmcache:test:hung'));
        expect(String(error)).toMatch(/timed out/i);
        expect(elapsedMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
        expect(elapsedMs).toBeLessThan(HANG_BOUND_MS);
      } finally {
        await victim.kill('SIGCONT');
      }
      await eventually(() => client.get('llmcache:test:hung'));
    });

    it('a slow command (DEBUG SLEEP) times out without blocking later commands for long', async () => {
      const client = track(createRedisClient(configFor(victim.env()), { password: 'fault-pw' }));
      await connectRedisClient(client, CONNECT_TIMEOUT_MS);
      const admin = victim.adminClient();
      try {
        const sleeping = admin.call('DEBUG', 'SLEEP', '1.5');
        await sleep(200); // the server is asleep by then, even on a busy machine
        const { error, elapsedMs } = await timed(() => client.get('llmcache:test:slow'));
        expect(String(error)).toMatch(/timed out/i);
        expect(elapsedMs).toBeLessThan(HANG_BOUND_MS);
        await sleeping;
        await expect(client.get('llmcache:test:slow')).resolves.toBeNull();
      } finally {
        admin.disconnect();
      }
    });

    it('a cold client against a dead server gives up within the connect timeout', async () => {
      await victim.kill();
      const client = track(createRedisClient(configFor(victim.env()), { password: 'fault-pw' }));
      const { error, elapsedMs } = await timed(() => connectRedisClient(client, CONNECT_TIMEOUT_MS));
      expect(error).toBeInstanceOf(CacheUnavailableError);
      expect(elapsedMs).toBeLessThan(CONNECT_TIMEOUT_MS + 500);
      await expect(client.get('llmcache:x')).rejects.toThrow();
    });
  });
});

describe('cluster (TLS, ACL user, default user off)', () => {
  let cluster: RedisTestCluster;
  beforeAll(async () => {
    cluster = await startCluster();
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  async function appClient(overrides: Record<string, string> = {}, onError?: (e: Error) => void): Promise<RedisClient> {
    const config = configFor(cluster.env(), overrides);
    return track(createRedisClient(config, { username: config.username, password: config.password }, { onError }));
  }

  /** One key per master: asks the cluster which slot a candidate key falls in. */
  async function keysOnEveryMaster(prefix: string): Promise<string[]> {
    const admin = cluster.nodes[0].adminClient();
    try {
      const keys: string[] = [];
      for (const [first, last] of cluster.slotRanges) {
        for (let i = 0; ; i++) {
          const key = `llmcache:${prefix}:${i}`;
          const slot = Number(await admin.call('CLUSTER', 'KEYSLOT', key));
          if (slot >= first && slot <= last) {
            keys.push(key);
            break;
          }
        }
      }
      return keys;
    } finally {
      admin.disconnect();
    }
  }

  it('discovers the slots with the app user and reads/writes keys on all three masters', async () => {
    const client = await appClient();
    expect(isCluster(client)).toBe(true);
    await connectRedisClient(client, CONNECT_TIMEOUT_MS);
    const keys = await keysOnEveryMaster('spread');
    expect(keys).toHaveLength(3);
    await Promise.all(keys.map((key) => client.set(key, `value-of-${key}`, 'PX', 60_000)));
    await expect(Promise.all(keys.map((key) => client.get(key)))).resolves.toEqual(keys.map((key) => `value-of-${key}`));
    // Each master really holds its key.
    for (const [i, node] of cluster.nodes.entries()) {
      const admin = node.adminClient();
      await expect(admin.get(keys[i])).resolves.toBe(`value-of-${keys[i]}`);
      admin.disconnect();
    }
  });

  it('runs multi-key operations inside one {tag} slot', async () => {
    const client = await appClient();
    await connectRedisClient(client, CONNECT_TIMEOUT_MS);
    await client.mset('llmcache:{scope-1}:a', '1', 'llmcache:{scope-1}:b', '2');
    await expect(client.mget('llmcache:{scope-1}:a', 'llmcache:{scope-1}:b')).resolves.toEqual(['1', '2']);
    await expect(client.eval("return redis.call('GET', KEYS[1]) .. redis.call('GET', KEYS[2])", 2, 'llmcache:{scope-1}:a', 'llmcache:{scope-1}:b')).resolves.toBe('12');
  });

  it('denies the app user keys outside its prefix', async () => {
    const client = await appClient();
    await connectRedisClient(client, CONNECT_TIMEOUT_MS);
    await expect(client.get('other:key')).rejects.toThrow(/NOPERM/);
  });

  it('refuses a wrong password', async () => {
    const errors: Error[] = [];
    const client = await appClient({ CACHE_PASSWORD: 'wrong-password' }, (e) => errors.push(e));
    await expect(connectRedisClient(client, CONNECT_TIMEOUT_MS)).rejects.toBeInstanceOf(CacheUnavailableError);
    await eventually(async () => expect(errors.map(String).join('\n')).toMatch(/WRONGPASS|invalid username-password|Failed to refresh slots cache/i), 2000);
  });

  it('refuses the wrong CA', async () => {
    const client = await appClient({ CACHE_TLS_CA_FILE: cluster.wrongCaFile as string });
    await expect(connectRedisClient(client, CONNECT_TIMEOUT_MS)).rejects.toBeInstanceOf(CacheUnavailableError);
  });

  it('the default user cannot run commands', async () => {
    const node = cluster.nodes[0];
    const anonymous = new Redis({
      host: node.host,
      port: node.port,
      tls: { ca: (await import('node:fs')).readFileSync(cluster.caFile as string) },
      lazyConnect: true,
      enableReadyCheck: false,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
    });
    anonymous.on('error', () => undefined);
    try {
      await anonymous.connect();
      await expect(anonymous.call('GET', 'llmcache:x')).rejects.toThrow(/NOAUTH|NOPERM/);
      await expect(anonymous.call('CLUSTER', 'SLOTS')).rejects.toThrow(/NOAUTH|NOPERM/);
      await expect(anonymous.call('AUTH', 'default', 'anything')).rejects.toThrow(/WRONGPASS|disabled/i);
    } finally {
      anonymous.disconnect();
    }
  });

  it('a command for a killed master fails fast; the node comes back after restart', async () => {
    const client = await appClient();
    await connectRedisClient(client, CONNECT_TIMEOUT_MS);
    const keys = await keysOnEveryMaster('fault');
    await Promise.all(keys.map((key) => client.set(key, 'before', 'PX', 60_000)));
    const victim = cluster.nodes[2];
    await victim.kill();
    const { error, elapsedMs } = await timed(() => client.get(keys[2]));
    console.log(`cluster: command to a killed master failed after ${elapsedMs} ms: ${String(error)}`);
    expect(error).toBeInstanceOf(Error);
    expect(elapsedMs).toBeLessThan(HANG_BOUND_MS);
    // The other masters keep serving.
    await expect(client.get(keys[0])).resolves.toBe('before');

    await victim.restart();
    await cluster.waitUntilHealthy();
    await eventually(() => client.set(keys[2], 'after', 'PX', 60_000));
    await expect(client.get(keys[2])).resolves.toBe('after');
  });
});
