import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Redis from 'ioredis';
import { baseConfig, newAdmin, type AclUserOption } from './config';
import { removeDir, trackDir } from './cleanup';
import { getFreePort } from './free-port';
import { LOCALHOST, ManagedRedis, withPortRetry, type AclCredentials } from './server-process';
import { getTestCa } from './tls-certs';

/** A real redis-server started by the harness (a standalone server or one cluster node). */
export interface RedisTestServer {
  readonly host: string;
  readonly port: number;
  /** `redis://127.0.0.1:port`, or `rediss://` when TLS is on. */
  readonly url: string;
  readonly tls: boolean;
  /** PEM of the CA that signed the server certificate (TLS only). */
  readonly caFile?: string;
  /** PEM of an unrelated CA, for "wrong CA is refused" tests (TLS only). */
  readonly wrongCaFile?: string;
  /** Credentials the application uses; undefined for an open server. */
  readonly username?: string;
  readonly password?: string;
  /** The harness's own all-powerful ACL user (DEBUG SLEEP, FLUSHALL, CLUSTER setup). */
  readonly admin: AclCredentials;
  /** pid of the running redis-server (changes on restart). */
  readonly pid: number;
  /** Temp dir with redis.conf and redis.log. */
  readonly dir: string;
  /** Stops the server and deletes its dir. Idempotent. */
  stop(): Promise<void>;
  /** Signals redis-server (default SIGKILL; resolves after it exits). SIGSTOP/SIGCONT pause/resume it. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Kills it if running and starts it again on the same port with the same config (data is lost). */
  restart(): Promise<void>;
  /** A new connected ioredis client logged in as the admin user; the caller quits it. */
  adminClient(): Redis;
  /** Runtime environment for this server: CACHE_BACKEND, CACHE_URL, credentials, CA file. */
  env(): Record<string, string>;
}

export interface StandaloneOptions {
  /** Serve TLS only, with a certificate from the per-file test CA. */
  readonly tls?: boolean;
  /** Password of the `default` user (AUTH <password>). */
  readonly password?: string;
  /** An application ACL user; the `default` user is then disabled. */
  readonly aclUser?: AclUserOption;
}

export class ServerHandle implements RedisTestServer {
  readonly host = LOCALHOST;
  private stopped = false;

  constructor(
    readonly process: ManagedRedis,
    readonly dir: string,
    readonly admin: AclCredentials,
    readonly tls: boolean,
    readonly backend: 'redis' | 'redis-cluster',
    readonly caFile: string | undefined,
    readonly wrongCaFile: string | undefined,
    readonly username: string | undefined,
    readonly password: string | undefined,
  ) {}

  get port(): number {
    return this.process.port;
  }
  get url(): string {
    return `${this.tls ? 'rediss' : 'redis'}://${this.host}:${this.port}`;
  }
  get pid(): number {
    return this.process.pid;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.process.stop();
    removeDir(this.dir);
  }
  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    return this.process.kill(signal);
  }
  restart(): Promise<void> {
    if (this.stopped) throw new Error('server was stopped');
    return this.process.restart();
  }
  adminClient(): Redis {
    return this.process.adminClient();
  }
  env(): Record<string, string> {
    return runtimeEnv(this.backend, this.url, this);
  }
}

export function runtimeEnv(
  backend: 'redis' | 'redis-cluster',
  url: string,
  creds: { username?: string; password?: string; caFile?: string },
): Record<string, string> {
  const env: Record<string, string> = { CACHE_BACKEND: backend, CACHE_URL: url };
  if (creds.username !== undefined) env.CACHE_USERNAME = creds.username;
  if (creds.password !== undefined) env.CACHE_PASSWORD = creds.password;
  if (creds.caFile !== undefined) env.CACHE_TLS_CA_FILE = creds.caFile;
  return env;
}

/** Starts a standalone redis-server on a free 127.0.0.1 port, resolved once it answers PING. */
export async function startStandalone(options: StandaloneOptions = {}): Promise<RedisTestServer> {
  const ca = options.tls ? getTestCa() : undefined;
  const admin = newAdmin();
  const dir = mkdtempSync(join(tmpdir(), 'llmcache-redis-'));
  trackDir(dir);
  try {
    const proc = await withPortRetry(async () => {
      const candidate = new ManagedRedis(
        {
          dir,
          admin,
          tls: ca ? { caFile: ca.caFile } : undefined,
          config: (port) => `${baseConfig({ dir, port, tls: ca, admin, password: options.password, aclUser: options.aclUser }).join('\n')}\n`,
        },
        await getFreePort(),
      );
      try {
        await candidate.start();
      } catch (error) {
        candidate.releasePorts();
        throw error;
      }
      return candidate;
    });
    return new ServerHandle(
      proc,
      dir,
      admin,
      ca !== undefined,
      'redis',
      ca?.caFile,
      ca?.wrongCaFile,
      options.aclUser?.username,
      options.aclUser?.password ?? options.password,
    );
  } catch (error) {
    removeDir(dir);
    throw error;
  }
}
