import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { promisify } from 'node:util';
import { getFreePort, releasePort, startCluster, startStandalone, type RedisTestCluster, type RedisTestServer } from '../tools/redis-servers';
import { DEFAULT_CLIENT_MAX_ENTRIES } from '../lambda/settings/runtime-settings';
import type { ColdCase } from './cold-containers';
import { fillWriterScope } from './cold-scope-filler';

const exec = promisify(execFile);

/** The real search engine (RediSearch 2.6.37) built for this machine kind; absent elsewhere. */
export const SEARCH_ENGINE_SCRIPT = '/work/shared/engines/start-search-server.sh';

/** Stored by the writer; the exact cases ask it again, the semantic ones ask `SEMANTIC_ASK` (cosine >= 0.9 with the emulator's embedding). */
const STORED_PROMPT = 'Where is Las Vegas?';
/** Entries of the large-scope case: the client-side index's default bound per scope. */
const LARGE_SCOPE_ENTRIES = DEFAULT_CLIENT_MAX_ENTRIES;
const STANDALONE_PASSWORD = 'bench-cold';
const SEMANTIC_ASK = 'Where is Vegas?';

/** The servers the cold-container cases run against, and what to stop afterwards. */
export interface ColdTargets {
  readonly cases: readonly ColdCase[];
  /** Cases that could not be set up, with the reason (e.g. the search engine is absent). */
  readonly missing: readonly { readonly id: string; readonly label: string; readonly expect: ColdCase['expect']; readonly reason: string }[];
  stop(): Promise<void>;
}

/** The cases of one backend: the stored prompt asked again (exact), and a paraphrase (semantic). */
function backendCases(id: string, label: string, env: NodeJS.ProcessEnv, index: 'client' | 'search', exact = true): ColdCase[] {
  const semanticEnv = { ...env, SEMANTIC_INDEX: index };
  const cases: ColdCase[] = [];
  if (exact) {
    cases.push({ id: `${id}-exact`, label: `${label}, exact`, env: semanticEnv, expect: 'exact', store: { prompt: `${STORED_PROMPT} (exact)`, mode: 'standard' }, ask: { prompt: `${STORED_PROMPT} (exact)`, mode: 'standard' } });
  }
  cases.push({ id: `${id}-semantic`, label: `${label}, semantic (${index} index)`, env: semanticEnv, expect: 'semantic', store: { prompt: STORED_PROMPT, mode: 'semantic' }, ask: { prompt: SEMANTIC_ASK, mode: 'semantic' } });
  return cases;
}

/** A TCP server that accepts connections and never answers: a cache that hangs (see README "Cold start"). */
export async function silentServer(port: number): Promise<Server> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  server.on('close', () => sockets.forEach((socket) => socket.destroy()));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

/** Starts the search engine on `port`; its pid, or the reason it cannot run. */
async function startSearchEngine(port: number): Promise<{ pid: number } | { reason: string }> {
  if (!existsSync(SEARCH_ENGINE_SCRIPT)) return { reason: `no search engine at ${SEARCH_ENGINE_SCRIPT}` };
  try {
    const { stdout } = await exec(SEARCH_ENGINE_SCRIPT, [String(port)]);
    return { pid: Number(stdout.trim()) };
  } catch (error) {
    return { reason: `the search engine did not start: ${(error as Error).message.split('\n')[0]}` };
  }
}

/**
 * Starts a standalone Redis, a 3-master TLS + ACL cluster (the ElastiCache Serverless / MemoryDB
 * shape) and, where present, RediSearch; builds the cases over them, plus two dead caches: a closed
 * port and a server that accepts and never answers. `base` carries the emulator and the quiet logs.
 */
export async function startColdTargets(base: NodeJS.ProcessEnv, connectTimeoutMs: number): Promise<ColdTargets> {
  const stops: (() => Promise<void> | void)[] = [];
  const missing: { id: string; label: string; expect: ColdCase['expect']; reason: string }[] = [];
  const cases: ColdCase[] = [];
  const env = (extra: Record<string, string>): NodeJS.ProcessEnv => ({ ...base, CACHE_CONNECT_TIMEOUT_MS: String(connectTimeoutMs), ...extra });
  try {
    const standalone: RedisTestServer = await startStandalone({ password: STANDALONE_PASSWORD });
    stops.push(() => standalone.stop());
    cases.push(...backendCases('standalone', 'standalone Redis', env(standalone.env()), 'client'));
    // Its own server, so the filler documents share the scope of no other case.
    const large: RedisTestServer = await startStandalone({ password: STANDALONE_PASSWORD });
    stops.push(() => large.stop());
    const [largeCase] = backendCases('large-scope', `standalone Redis, ${LARGE_SCOPE_ENTRIES.toLocaleString('en-US')}-entry scope`, env(large.env()), 'client', false);
    cases.push({ ...largeCase!, prepare: () => fillWriterScope(large.port, STANDALONE_PASSWORD, LARGE_SCOPE_ENTRIES) });

    const cluster: RedisTestCluster = await startCluster();
    stops.push(() => cluster.stop());
    cases.push(...backendCases('cluster', '3-master TLS + ACL cluster', env(cluster.env()), 'client'));

    const searchPort = await getFreePort();
    const engine = await startSearchEngine(searchPort);
    if ('pid' in engine) {
      stops.push(() => {
        process.kill(engine.pid);
        releasePort(searchPort);
      });
      cases.push(...backendCases('search', 'RediSearch 2.6.37', env({ CACHE_BACKEND: 'redis', CACHE_URL: `redis://127.0.0.1:${searchPort}` }), 'search', false));
    } else {
      releasePort(searchPort);
      missing.push({ id: 'search-semantic', label: 'RediSearch 2.6.37, semantic (search index)', expect: 'semantic', reason: engine.reason });
    }

    const closedPort = await getFreePort();
    stops.push(() => releasePort(closedPort));
    const ask = { prompt: 'Cold start, dead cache: where is Reno?', mode: 'standard' };
    cases.push({ id: 'dead-closed', label: 'dead cache: nothing listening', env: env({ CACHE_BACKEND: 'redis', CACHE_URL: `redis://127.0.0.1:${closedPort}`, SEMANTIC_INDEX: 'none' }), expect: 'fail-open', ask, connectDeadlineMs: connectTimeoutMs });
    const silentPort = await getFreePort();
    const silent = await silentServer(silentPort);
    stops.push(() => {
      silent.close();
      releasePort(silentPort);
    });
    cases.push({ id: 'dead-silent', label: 'dead cache: accepts, never answers', env: env({ CACHE_BACKEND: 'redis', CACHE_URL: `redis://127.0.0.1:${silentPort}`, SEMANTIC_INDEX: 'none' }), expect: 'fail-open', ask, connectDeadlineMs: connectTimeoutMs });
  } catch (error) {
    for (const stop of stops.reverse()) await stop();
    throw error;
  }
  return {
    cases,
    missing,
    async stop() {
      for (const stop of stops.reverse()) await stop();
    },
  };
}
