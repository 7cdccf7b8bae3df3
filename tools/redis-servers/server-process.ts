import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { trackPid, untrackPid } from './cleanup';
import { releasePort } from './free-port';

export const REDIS_SERVER_BIN = process.env.REDIS_SERVER_BIN ?? 'redis-server';
export const LOCALHOST = '127.0.0.1';

/** Credentials of an ACL user. */
export interface AclCredentials {
  readonly username: string;
  readonly password: string;
}

/** TLS material a probe client needs to reach a TLS-only server. */
export interface ProbeTls {
  readonly caFile: string;
}

/** Raised when redis-server could not bind its port (another process took it). */
export class AddressInUseError extends Error {}

/**
 * Runs redis-server through a small sh wrapper whose stdin is a pipe from this process: when
 * this process dies in any way (even SIGKILL) the pipe closes, the wrapper kills redis-server
 * and deletes the server's temp dir. The wrapper prints redis-server's own pid first, so
 * kill() and pid address redis-server itself.
 */
const WRAPPER = [
  'dir="$1"; conf="$2"; bin="$3"; parent="$4"',
  'exec 3<&0 0</dev/null',
  '"$bin" "$conf" 3<&- &',
  'child=$!',
  'echo "$child"',
  // Orphan watcher: stdin reaches EOF only when the test process is gone.
  '( read _line <&3; : > "$dir/.orphaned"; kill -9 "$child" 2>/dev/null; sleep 0.5; rm -rf "$dir"; [ -z "$parent" ] || rmdir "$parent" 2>/dev/null ) &',
  'watcher=$!',
  'exec 3<&-',
  'wait "$child"; rc=$?',
  '[ -e "$dir/.orphaned" ] || kill "$watcher" 2>/dev/null',
  'exit $rc',
].join('\n');

export interface ManagedRedisOptions {
  readonly dir: string;
  /** Full redis.conf text for a client port (and cluster bus port). */
  readonly config: (port: number, busPort: number | undefined) => string;
  readonly admin: AclCredentials;
  readonly tls?: ProbeTls;
  readonly startTimeoutMs?: number;
  /** A harness-owned dir holding `dir` (a cluster's root), removed if empty after an orphan cleanup. */
  readonly parentDir?: string;
}

/** One redis-server process with a fixed dir and config, restartable on the same port. */
export class ManagedRedis {
  private child: ChildProcessWithoutNullStreams | undefined;
  private exited: Promise<void> = Promise.resolve();
  private redisPid = 0;

  constructor(
    private readonly options: ManagedRedisOptions,
    public port: number,
    public busPort?: number,
  ) {}

  get pid(): number {
    return this.redisPid;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  get logFile(): string {
    return join(this.options.dir, 'redis.log');
  }

  /** Starts redis-server and resolves once it answers PING; rejects AddressInUseError on a taken port. */
  async start(): Promise<void> {
    if (this.child !== undefined) throw new Error(`redis-server on port ${this.port} is already running`);
    const confFile = join(this.options.dir, 'redis.conf');
    writeFileSync(confFile, this.options.config(this.port, this.busPort));
    writeFileSync(this.logFile, '');
    const child = spawn('sh', ['-c', WRAPPER, 'redis-wrapper', this.options.dir, confFile, REDIS_SERVER_BIN, this.options.parentDir ?? ''], {
      stdio: ['pipe', 'pipe', 'pipe'],
      // Own process group: signals aimed at the test runner's group do not skip the cleanup above.
      detached: true,
    });
    this.child = child;
    let exitedFlag = false;
    this.exited = new Promise<void>((resolve) => {
      child.once('exit', () => {
        exitedFlag = true;
        if (this.redisPid !== 0) untrackPid(this.redisPid);
        if (this.child === child) this.child = undefined;
        resolve();
      });
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    this.redisPid = await readPid(child);
    trackPid(this.redisPid);

    const deadline = Date.now() + (this.options.startTimeoutMs ?? 10_000);
    for (;;) {
      if (exitedFlag) {
        const log = existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8') : '';
        if (/address already in use/i.test(log)) {
          throw new AddressInUseError(`port ${this.port}${this.busPort ? `/${this.busPort}` : ''} is in use`);
        }
        throw new Error(`redis-server exited during startup on port ${this.port}:\n${log}${stderr}`);
      }
      if (await this.ping()) return;
      if (Date.now() > deadline) {
        await this.kill('SIGKILL');
        throw new Error(`redis-server on port ${this.port} did not answer PING in time:\n${readFileSync(this.logFile, 'utf8')}`);
      }
      await sleep(25);
    }
  }

  /** A connected client authenticated as the harness admin (all commands, all keys). */
  adminClient(): Redis {
    return new Redis({
      host: LOCALHOST,
      port: this.port,
      username: this.options.admin.username,
      password: this.options.admin.password,
      tls: this.options.tls ? { ca: readFileSync(this.options.tls.caFile) } : undefined,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
    });
  }

  private async ping(): Promise<boolean> {
    const client = new Redis({
      host: LOCALHOST,
      port: this.port,
      username: this.options.admin.username,
      password: this.options.admin.password,
      tls: this.options.tls ? { ca: readFileSync(this.options.tls.caFile) } : undefined,
      lazyConnect: true,
      connectTimeout: 1000,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
      enableReadyCheck: false,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return (await client.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      client.disconnect();
    }
  }

  /**
   * Sends `signal` to redis-server. For signals that end it (KILL, TERM, INT, QUIT) resolves once
   * it has exited; for others (SIGSTOP / SIGCONT: a hung server) right after sending.
   */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.child === undefined) return;
    try {
      process.kill(this.redisPid, signal);
    } catch {
      // already gone
    }
    if (['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGQUIT'].includes(signal)) {
      if (signal !== 'SIGKILL') {
        const timer = setTimeout(() => {
          try {
            process.kill(this.redisPid, 'SIGKILL');
          } catch {
            // already gone
          }
        }, 3000);
        await this.exited;
        clearTimeout(timer);
      } else {
        await this.exited;
      }
    }
  }

  /** Frees the reserved port(s) for other servers; call once this server is gone for good. */
  releasePorts(): void {
    releasePort(this.port);
    if (this.busPort) releasePort(this.busPort);
  }

  /** Stops redis-server (a paused one too), waits for it and releases its ports. */
  async stop(): Promise<void> {
    if (this.child === undefined) {
      this.releasePorts();
      return;
    }
    try {
      process.kill(this.redisPid, 'SIGCONT');
    } catch {
      // already gone
    }
    await this.kill('SIGTERM');
    this.releasePorts();
  }

  /** Kills it if running, then starts it again on the same port(s) with the same config. */
  async restart(): Promise<void> {
    await this.kill('SIGKILL');
    for (let attempt = 0; ; attempt++) {
      try {
        await this.start();
        return;
      } catch (error) {
        // The old socket may linger a moment; the same port must be reused, so wait and retry.
        if (!(error instanceof AddressInUseError) || attempt >= 40) throw error;
        await sleep(100);
      }
    }
  }
}

function readPid(child: ChildProcessWithoutNullStreams): Promise<number> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString('utf8');
      const newline = buffered.indexOf('\n');
      if (newline >= 0) {
        child.stdout.off('data', onData);
        child.off('exit', onExit);
        const pid = Number(buffered.slice(0, newline).trim());
        if (Number.isInteger(pid) && pid > 0) resolve(pid);
        else reject(new Error(`redis wrapper printed no pid: ${buffered}`));
      }
    };
    const onExit = (): void => reject(new Error('redis wrapper exited before starting redis-server'));
    child.stdout.on('data', onData);
    child.once('exit', onExit);
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Calls `attempt` with fresh free ports until it does not fail with AddressInUseError. */
export async function withPortRetry<T>(attempt: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof AddressInUseError) || i >= attempts) throw error;
    }
  }
}
