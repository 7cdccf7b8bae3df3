import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const SERVE = join(__dirname, 'serve.ts');
const ROOT = join(__dirname, '..', '..', '..');

/**
 * A warm "container" (`serve.ts` in its own Node process): commands go one at a time, each answer
 * is the next line it prints. `stop` ends its stdin and waits for it to exit.
 */
export class WarmProcess {
  private readonly lines: string[] = [];
  private waiting: ((line: string) => void) | undefined;
  private stderr = '';

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const waiter = this.waiting;
      this.waiting = undefined;
      if (waiter !== undefined) waiter(line);
      else this.lines.push(line);
    });
    child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
  }

  static start(env: Record<string, string>): WarmProcess {
    return new WarmProcess(spawn(process.execPath, ['--import', 'tsx', SERVE], { env: { ...process.env, ...env }, cwd: ROOT, stdio: 'pipe' }));
  }

  /** Sends one command and resolves with its answer; rejects after `timeoutMs` with what the process wrote to stderr. */
  send<T>(command: Record<string, unknown>, timeoutMs = 30_000): Promise<T> {
    this.child.stdin.write(`${JSON.stringify(command)}\n`);
    const queued = this.lines.shift();
    if (queued !== undefined) return Promise.resolve(JSON.parse(queued) as T);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${JSON.stringify(command)} in ${timeoutMs} ms; stderr: ${this.stderr}`)), timeoutMs);
      this.waiting = (line) => {
        clearTimeout(timer);
        resolve(JSON.parse(line) as T);
      };
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
