import { rmSync } from 'node:fs';

/**
 * Process-wide registry of what the harness started: redis-server pids to kill and temp dirs to
 * delete if the process exits without the tests stopping them (a failed beforeAll, a crash).
 * Kept on globalThis so every jest module registry in one worker shares a single exit hook.
 * Processes also die when this process dies hard (SIGKILL): see the stdin watcher in
 * server-process.ts.
 */
interface Registry {
  pids: Set<number>;
  dirs: Set<string>;
}

const KEY = Symbol.for('llmcache.test.redis.cleanup');

function registry(): Registry {
  const holder = globalThis as unknown as Record<symbol, Registry | undefined>;
  let found = holder[KEY];
  if (found === undefined) {
    const created: Registry = { pids: new Set(), dirs: new Set() };
    holder[KEY] = created;
    found = created;
    process.once('exit', () => {
      for (const pid of created.pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      for (const dir of created.dirs) rmSync(dir, { recursive: true, force: true });
    });
  }
  return found;
}

export function trackPid(pid: number): void {
  registry().pids.add(pid);
}
export function untrackPid(pid: number): void {
  registry().pids.delete(pid);
}
export function trackDir(dir: string): void {
  registry().dirs.add(dir);
}
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  registry().dirs.delete(dir);
}
