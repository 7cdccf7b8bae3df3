import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Ports handed out by this harness stay reserved (a file naming the owner pid, shared by all
 * jest workers) until released: a test that kills a server and restarts it on the same port
 * must not find another worker's server there in between.
 */
const RESERVATIONS = join(tmpdir(), 'llmcache-redis-ports');
const reservedHere = new Set<number>();

function ownerAlive(file: string): boolean {
  try {
    const pid = Number(readFileSync(file, 'utf8'));
    if (!Number.isInteger(pid) || pid <= 0) return false;
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function reserve(port: number): boolean {
  mkdirSync(RESERVATIONS, { recursive: true });
  const file = join(RESERVATIONS, String(port));
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      reservedHere.add(port);
      return true;
    } catch {
      if (ownerAlive(file)) return false;
      rmSync(file, { force: true }); // left by a dead process
    }
  }
  return false;
}

/** Frees a port reserved by getFreePort (when its server is stopped for good). */
export function releasePort(port: number): void {
  if (reservedHere.delete(port)) rmSync(join(RESERVATIONS, String(port)), { force: true });
}

process.once('exit', () => {
  for (const port of reservedHere) rmSync(join(RESERVATIONS, String(port)), { force: true });
});

/**
 * A TCP port on 127.0.0.1 that was free a moment ago: listen on port 0, read the port the kernel
 * chose, close. Another process may still take it before the caller binds, so callers retry
 * startup on "address in use" (see server-process.ts).
 */
export async function getFreePort(): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const port = await probePort();
    if (reserve(port)) return port;
    if (attempt > 50) throw new Error('no unreserved free port found');
  }
}

function probePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not read the port of a probe listener'));
        return;
      }
      server.close((err) => (err ? reject(err) : resolve(address.port)));
    });
  });
}

/** `count` distinct free ports (all probe listeners held open together, so they differ). */
export async function getFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await getFreePort());
  return [...ports];
}
