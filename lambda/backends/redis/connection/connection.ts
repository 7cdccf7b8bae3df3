import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import Redis, { Cluster, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { RuntimeConfig } from '../../../core/config';
import { CacheUnavailableError, ConfigurationError } from '../../../core/errors';
import { connectionFaultReason, describeConnectionFault, redactCredentials } from './connection-fault';
import type { RedisCredentials } from './credentials';

/** The client the Redis-backed code receives: a standalone connection or a cluster client. */
export type RedisClient = Redis | Cluster;

export function isCluster(client: RedisClient): client is Cluster {
  return client.isCluster === true;
}

type ConnectionConfig = Pick<RuntimeConfig, 'backend' | 'cacheUrl' | 'tlsCaFile' | 'cacheTimeoutMs' | 'cacheConnectTimeoutMs'>;

export interface CacheEndpoint {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
}

/**
 * `redis://host:port` or `rediss://host:port` (TLS); port defaults to 6379. A URL that still
 * carries credentials is refused rather than connected without them: `loadConfig` moves them out
 * of `CACHE_URL` (see `readCacheUrl`), so only a hand-built configuration gets here with them.
 */
export function parseCacheUrl(url: string | undefined): CacheEndpoint {
  if (url === undefined) throw new ConfigurationError('CACHE_URL is required for a Redis backend');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigurationError('CACHE_URL is not a valid URL: expected redis:// or rediss://host:port');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new ConfigurationError(`CACHE_URL has protocol ${parsed.protocol}: expected redis:// or rediss://`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new ConfigurationError('CACHE_URL carries credentials this client would not use: read the configuration with loadConfig, which passes them on as username and password');
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw new ConfigurationError('CACHE_URL has no host');
  const port = parsed.port === '' ? 6379 : Number(parsed.port);
  return { host, port, tls: parsed.protocol === 'rediss:' };
}

/** Reconnect delay: 50 ms doubling to a 2 s cap; never gives up (a Lambda container outlives outages). */
export function reconnectDelay(attempt: number): number {
  return Math.min(50 * 2 ** Math.max(0, Math.min(attempt - 1, 10)), 2000);
}

const caCache = new Map<string, Buffer>();

/** PEM of a private CA, read once per container. */
function readCa(file: string): Buffer {
  let pem = caCache.get(file);
  if (pem === undefined) {
    try {
      pem = readFileSync(file);
    } catch (error) {
      throw new ConfigurationError(`CACHE_TLS_CA_FILE ${file} cannot be read`, { cause: error });
    }
    caCache.set(file, pem);
  }
  return pem;
}

/**
 * TLS with certificate and hostname verification: the name checked is the URL's host (SNI too,
 * unless it is an IP address, which SNI does not allow; IP SANs are then checked). Trusts
 * `tlsCaFile` when set, the system CAs otherwise. Verification is never turned off.
 */
export function tlsOptions(endpoint: CacheEndpoint, tlsCaFile: string | undefined): ConnectionOptions {
  const options: ConnectionOptions = { rejectUnauthorized: true };
  if (isIP(endpoint.host) === 0) options.servername = endpoint.host;
  if (tlsCaFile !== undefined) options.ca = readCa(tlsCaFile);
  return options;
}

export interface ClientHooks {
  /**
   * Connection errors (they are also what a failing command rejects with), credentials already
   * redacted (see `redactCredentials`). Default: ignored.
   */
  readonly onError?: (error: Error) => void;
  /** The client is connected and passed its ready check. */
  readonly onReady?: () => void;
}

/** The last connection error of each client since it was last ready, to say why it is not. */
const lastErrors = new WeakMap<RedisClient, Error>();

/**
 * Creates (does not connect) the ioredis client for `config.backend`:
 * - `redis`: a standalone `Redis`; `redis-cluster`: a `Cluster` as ElastiCache Serverless and
 *   MemoryDB need it (DNS passthrough so TLS checks the endpoint name, TLS and ACL credentials on
 *   every node connection).
 * - `lazyConnect`: nothing happens until `connectRedisClient` or the first command.
 * - Fail fast: the offline queue is off, so a command issued while disconnected rejects at once,
 *   and `commandTimeout` bounds one that gets no answer. `connectRedisClient` waits (bounded) for
 *   the first connection instead.
 * - Reconnects forever with capped backoff.
 */
export function createRedisClient(config: ConnectionConfig, credentials: RedisCredentials, hooks: ClientHooks = {}): RedisClient {
  if (config.backend !== 'redis' && config.backend !== 'redis-cluster') {
    throw new ConfigurationError(`CACHE_BACKEND=${config.backend} has no Redis client`);
  }
  const endpoint = parseCacheUrl(config.cacheUrl);
  const tls = endpoint.tls ? tlsOptions(endpoint, config.tlsCaFile) : undefined;
  const connection: RedisOptions = {
    username: credentials.username,
    password: credentials.password,
    tls,
    connectTimeout: config.cacheConnectTimeoutMs,
    commandTimeout: config.cacheTimeoutMs,
    maxRetriesPerRequest: 1,
    enableReadyCheck: true,
  };
  let client: RedisClient;
  if (config.backend === 'redis') {
    client = new Redis({
      ...connection,
      host: endpoint.host,
      port: endpoint.port,
      lazyConnect: true,
      enableOfflineQueue: false,
      // Off: auto-pipelining defers every command to a later macrotask. A Lambda container serves
      // one request at a time, and at concurrency 1 that deferral is pure delay (measured: hit
      // p50 vs LangChain 0.89x on, 1.01x off; README "Benchmarks"). Commands of one request
      // issued together (exact lookup and semantic search) are still pipelined on the socket.
      enableAutoPipelining: false,
      retryStrategy: reconnectDelay,
    });
  } else {
    const options: ClusterOptions = {
      // Keep the configured host name: resolving it here would make TLS check an IP address.
      dnsLookup: (address, callback) => callback(null, address),
      redisOptions: connection,
      lazyConnect: true,
      enableOfflineQueue: false,
      enableReadyCheck: true,
      // Off, as on the standalone client: on a 3-master TLS cluster, auto-pipelining made the
      // concurrency-1 GET p50 1.25x slower and hits/s at concurrency 64 no better (1.03x).
      enableAutoPipelining: false,
      scaleReads: 'master',
      slotsRefreshTimeout: config.cacheConnectTimeoutMs,
      clusterRetryStrategy: reconnectDelay,
      // A command that meets a closed node, CLUSTERDOWN or TRYAGAIN is retried a few times after a
      // slots refresh, but only for about one command timeout in total: past that the caller has
      // already failed open, and ioredis' defaults (16 tries, 100 ms apart) would keep it alive ~1.6 s.
      ...clusterRetryBudget(config.cacheTimeoutMs),
    };
    client = new Cluster([{ host: endpoint.host, port: endpoint.port }], options);
    const cluster = client;
    client.on('node error', (error: Error) => onError(cluster, error, hooks));
  }
  const created = client;
  client.on('error', (error: Error) => onError(created, error, hooks));
  client.on('ready', () => {
    lastErrors.delete(created);
    hooks.onReady?.();
  });
  return client;
}

function onError(client: RedisClient, error: Error, hooks: ClientHooks): void {
  redactCredentials(error);
  lastErrors.set(client, error);
  hooks.onError?.(error);
}

/**
 * A `CacheUnavailableError` saying what failed and, when the last connection error tells, why
 * (`connectionFaultReason`: `auth-failed`, `tls-failed` or `network`), that error kept as `cause`.
 */
function unavailable(client: RedisClient, what: string): CacheUnavailableError {
  const cause = lastErrors.get(client);
  const reason = connectionFaultReason(cause);
  const why = reason === undefined ? '' : `: ${describeConnectionFault(reason)}`;
  return new CacheUnavailableError(`${what}${why}`, cause === undefined ? undefined : { cause });
}

/** Retry delays of cluster redirections sized so all retries fit in about `timeoutMs`. */
export function clusterRetryBudget(timeoutMs: number): Pick<ClusterOptions, 'maxRedirections' | 'retryDelayOnFailover' | 'retryDelayOnClusterDown' | 'retryDelayOnTryAgain'> {
  const maxRedirections = 6;
  const delay = Math.max(10, Math.ceil(timeoutMs / (maxRedirections - 1)));
  return { maxRedirections, retryDelayOnFailover: delay, retryDelayOnClusterDown: delay, retryDelayOnTryAgain: delay };
}

const CONNECTING = new Set(['wait', 'connecting', 'connect']);

/**
 * Resolves once `client` is ready. Starts the connection of a lazy client and waits for it, at
 * most `timeoutMs`. A client that lost its connection and is reconnecting, or whose first
 * attempt fails, rejects at once with `CacheUnavailableError`: the cache fails open. Its message
 * says whether authentication, TLS or the network failed (`connectionFaultReason` reads it).
 */
export function connectRedisClient(client: RedisClient, timeoutMs: number): Promise<RedisClient> {
  if (client.status === 'ready') return Promise.resolve(client);
  if (!CONNECTING.has(client.status)) {
    return Promise.reject(unavailable(client, `cache connection is ${client.status}`));
  }
  if (client.status === 'wait') client.connect().catch(() => undefined);
  return new Promise<RedisClient>((resolve, reject) => {
    const done = (error?: Error): void => {
      clearTimeout(timer);
      client.off('ready', onReady);
      client.off('close', onClose);
      client.off('end', onClose);
      if (error) reject(error);
      else resolve(client);
    };
    const onReady = (): void => done();
    const onClose = (): void => done(unavailable(client, 'cache connection failed'));
    const timer = setTimeout(() => done(unavailable(client, `cache not connected within ${timeoutMs} ms`)), timeoutMs);
    client.once('ready', onReady);
    client.once('close', onClose);
    client.once('end', onClose);
  });
}
