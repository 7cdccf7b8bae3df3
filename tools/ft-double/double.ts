import type { BackendAddress } from './backend-client';
import { FtEngine } from './engine';
import { listen, type FtDouble } from './proxy';
import { releasePort } from '../redis-servers/free-port';

/** Starts the double in front of `backend`; resolves once it listens on a free 127.0.0.1 port. */
export async function startFtDouble(backend: BackendAddress): Promise<FtDouble> {
  const engine = new FtEngine(backend);
  await engine.start();
  const { server, port, connections } = await listen(backend, engine).catch((error: unknown) => {
    engine.stop();
    throw error;
  });
  let stopped: Promise<void> | undefined;
  return {
    host: '127.0.0.1',
    port,
    url: `redis://127.0.0.1:${port}`,
    backend,
    indexNames: () => engine.indexNames(),
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        for (const connection of connections) connection.close();
        engine.stop();
        server.close(() => {
          releasePort(port);
          resolve();
        });
      })),
  };
}
