import { existsSync } from 'node:fs';
import Redis from 'ioredis';
import { startCluster, startStandalone, type RedisTestCluster, type RedisTestServer } from '../../../../../tools/redis-servers';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('redis test harness', () => {
  const started: { stop(): Promise<void> }[] = [];
  afterAll(async () => {
    await Promise.all(started.map((s) => s.stop()));
  });

  async function standalone(options?: Parameters<typeof startStandalone>[0]): Promise<RedisTestServer> {
    const server = await startStandalone(options);
    started.push(server);
    return server;
  }

  it('starts a plain server that answers PING and reports its runtime env', async () => {
    const server = await standalone();
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    expect(server.env()).toEqual({ CACHE_BACKEND: 'redis', CACHE_URL: server.url });
    const client = new Redis(server.url);
    await expect(client.ping()).resolves.toBe('PONG');
    client.disconnect();
  });

  it('restart() brings a killed server back on the same port', async () => {
    const server = await standalone({ password: 'pw-restart' });
    const port = server.port;
    const firstPid = server.pid;
    await server.kill();
    expect(isAlive(firstPid)).toBe(false);
    await server.restart();
    expect(server.port).toBe(port);
    expect(server.pid).not.toBe(firstPid);
    const client = new Redis({ host: server.host, port, password: 'pw-restart' });
    await expect(client.ping()).resolves.toBe('PONG');
    client.disconnect();
  });

  it('stop() kills the process and deletes its dir', async () => {
    const server = await startStandalone({ tls: true });
    const { pid, dir } = server;
    expect(server.url).toBe(`rediss://127.0.0.1:${server.port}`);
    expect(server.env().CACHE_TLS_CA_FILE).toBe(server.caFile);
    await server.stop();
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(dir)).toBe(false);
  });

  it('admin client can DEBUG SLEEP on a server whose default user is off', async () => {
    const server = await standalone({ aclUser: { username: 'app', password: 'app-pw' } });
    const admin = server.adminClient();
    await expect(admin.call('DEBUG', 'SLEEP', '0')).resolves.toBe('OK');
    admin.disconnect();
  });

  describe('cluster', () => {
    let cluster: RedisTestCluster;
    beforeAll(async () => {
      cluster = await startCluster();
      started.push(cluster);
    });

    it('has three TLS masters covering all slots, healthy in a few seconds', async () => {
      expect(cluster.nodes).toHaveLength(3);
      expect(cluster.url).toMatch(/^rediss:\/\/127\.0\.0\.1:\d+$/);
      expect(cluster.startupMs).toBeLessThan(10_000);
      expect(cluster.env()).toMatchObject({ CACHE_BACKEND: 'redis-cluster', CACHE_URL: cluster.url, CACHE_USERNAME: cluster.username });
      console.log(`cluster startup ${cluster.startupMs} ms`);
    });

    it('a killed node restarts on the same port and the cluster recovers', async () => {
      const node = cluster.nodes[1];
      const port = node.port;
      await node.kill();
      await node.restart();
      expect(node.port).toBe(port);
      await cluster.waitUntilHealthy();
    });
  });
});
