import Redis from 'ioredis';
import type { RedisCommands, RedisProvider } from '../../lambda/backends/redis/connection/redis-commands';
import { startStandalone, type RedisTestServer } from '../../tools/redis-servers';

/** Calls of the client-side index's two reads, counted (its round trips per catch-up and per search). */
export interface ReadCounts {
  xrange: number;
  mget: number;
}

/**
 * A password-protected redis-server and a client whose XRANGE and MGET calls add to `counts`, as a
 * provider for the client-side index. The caller stops both (`client.disconnect()`, `server.stop()`).
 */
export async function countingRedis(counts: ReadCounts): Promise<{ server: RedisTestServer; client: Redis; redis: RedisProvider }> {
  const server = await startStandalone({ password: 'client-index-password' });
  const client = new Redis({ host: server.host, port: server.port, password: 'client-index-password', enableAutoPipelining: true });
  const counted: RedisCommands = Object.assign(Object.create(client) as RedisCommands, {
    xrangeBuffer: (...args: [string, string, string, 'COUNT', number]) => {
      counts.xrange++;
      return client.xrangeBuffer(...args);
    },
    mgetBuffer: (...keys: string[]) => {
      counts.mget++;
      return client.mgetBuffer(...keys);
    },
  });
  return { server, client, redis: async () => counted };
}
