import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { loadConfig, type RuntimeConfig } from '../../../lambda/core/config';
import { connectRedisClient, createRedisClient, type RedisClient } from '../../../lambda/backends/redis/connection';
import { createRuntime, type Runtime } from '../../../lambda/runtime';
import type { CacheResponse } from '../../../lambda/core/types';
import { parseRequest } from '../../../lambda/core/request';
import type Redis from 'ioredis';

/** A runtime as one container would build it, with its own Redis client (not the process-wide one). */
export interface TestContainer {
  readonly runtime: Runtime;
  readonly config: RuntimeConfig;
  readonly client: RedisClient | undefined;
  ask(input: Record<string, unknown>): Promise<CacheResponse>;
  close(): void;
}

export function startContainer(env: Record<string, string>): TestContainer {
  const config = loadConfig({ AWS_REGION: 'us-east-1', AWS_MAX_ATTEMPTS: '1', ...env });
  const client = config.backend === 'memory' ? undefined : createRedisClient(config, { username: config.username, password: config.password });
  const runtime = createRuntime(config, client ? { redis: () => connectRedisClient(client, config.cacheConnectTimeoutMs) } : {});
  return {
    runtime,
    config,
    client,
    ask: (input) => runtime.cache.answer(parseRequest(input, config)),
    close: () => client?.disconnect(),
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function eventually<T>(attempt: () => Promise<T>, timeoutMs = 10_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(intervalMs);
    }
  }
}

export interface FireResult {
  readonly results: readonly { cache?: string; coalesced?: boolean; cacheSkipped?: string; error?: unknown; at: number }[];
  readonly elapsedMs: number;
}

/** A child process running `fire.ts`: another Lambda container firing identical requests. */
export interface Firer {
  readonly child: ChildProcessWithoutNullStreams;
  readonly ready: Promise<void>;
  readonly done: Promise<FireResult | null>;
  go(): void;
  kill(): void;
}

export function spawnFirer(env: Record<string, string>): Firer {
  // `node --import tsx` (what `npx tsx` runs) as one process, so killing it kills the container.
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'fire.ts')], {
    env: { ...process.env, AWS_REGION: 'us-east-1', AWS_MAX_ATTEMPTS: '1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const lines = createInterface({ input: child.stdout });
  let resolveReady: () => void = () => undefined;
  let rejectReady: (error: Error) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  let result: FireResult | null = null;
  lines.on('line', (line) => {
    if (line === 'ready') resolveReady();
    else if (line.startsWith('{')) result = JSON.parse(line) as FireResult;
  });
  const done = new Promise<FireResult | null>((resolve) => {
    child.once('exit', (code) => {
      rejectReady(new Error(`firer exited (${String(code)}) before ready: ${stderr}`));
      resolve(result);
    });
  });
  return {
    child,
    ready,
    done,
    go: () => child.stdin.write('go\n'),
    kill: () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** Resolves with the key once a lock marker sits at an entry key matching `pattern`. */
export async function lockAt(admin: Redis, pattern: string): Promise<string> {
  return eventually(async () => {
    const keys = await admin.keys(pattern);
    const values = await Promise.all(keys.map((k) => admin.get(k)));
    const index = values.findIndex((v) => v !== null && v.includes('"lock"'));
    if (index < 0) throw new Error('no lock yet');
    return keys[index]!;
  }, 10_000, 20);
}

/**
 * Two containers on one entry: both ready, the leader goes and takes the lock, then the follower
 * goes and finds it. Resolves with the lock's key.
 */
export async function leaderThenFollower(leader: Firer, follower: Firer, admin: Redis, lockPattern: string): Promise<string> {
  await Promise.all([leader.ready, follower.ready]);
  leader.go();
  const lockKey = await lockAt(admin, lockPattern);
  follower.go();
  return lockKey;
}

/**
 * Resolves once the model has been called: on a busy machine taking the lock and reaching the
 * model can be far apart, and a leader killed in between never called it.
 */
export async function modelCallUnderWay(emulator: { readonly calls: { readonly converse: number } }): Promise<void> {
  await eventually(async () => {
    if (emulator.calls.converse < 1) throw new Error('the leader has not called the model yet');
  }, 10_000, 10);
}
