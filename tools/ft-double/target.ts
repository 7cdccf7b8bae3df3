import { startStandalone, type RedisTestServer } from '../redis-servers';
import { startFtDouble } from './double';
import type { FtEngineOptions } from './engine';

/** A search-capable Redis for integration suites: the double over a fresh redis-server, or `SEARCH_REDIS_URL`. */
export interface SearchTarget {
  /** `double`: the FT test double; `external`: a real search-capable server from SEARCH_REDIS_URL. */
  readonly kind: 'double' | 'external';
  /** What clients connect to (for `external`, exactly SEARCH_REDIS_URL, credentials included). */
  readonly url: string;
  /** The redis-server behind the double (undefined for `external`). */
  readonly server?: RedisTestServer;
  /** Runtime environment for this target: CACHE_BACKEND=redis and CACHE_URL (credentials in the URL are the runtime's to read). */
  env(): Record<string, string>;
  /** Stops the double and its redis-server; a no-op for `external`. Idempotent. */
  stop(): Promise<void>;
}

/**
 * The same suite runs against a real server whenever `SEARCH_REDIS_URL` is set (Redis 8, Redis
 * Stack, MemoryDB with vector search); otherwise against the double over a fresh redis-server.
 * `options` shape the double only (a real server behaves as it does).
 */
export async function startSearchTarget(options: FtEngineOptions = {}): Promise<SearchTarget> {
  const external = process.env.SEARCH_REDIS_URL;
  if (external !== undefined && external !== '') {
    return { kind: 'external', url: external, env: () => ({ CACHE_BACKEND: 'redis', CACHE_URL: external }), stop: async () => undefined };
  }
  const server = await startStandalone();
  try {
    const double = await startFtDouble({ host: server.host, port: server.port, username: server.admin.username, password: server.admin.password }, options);
    let stopped: Promise<void> | undefined;
    return {
      kind: 'double',
      url: double.url,
      server,
      env: () => ({ CACHE_BACKEND: 'redis', CACHE_URL: double.url }),
      stop: () => (stopped ??= double.stop().finally(() => server.stop())),
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
