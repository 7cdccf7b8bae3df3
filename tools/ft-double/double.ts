import type { BackendAddress } from './backend-client';
import { FtEngine, type FtEngineOptions } from './engine';
import { listen, type FtDouble } from './proxy';

/** Starts the double in front of `backend`; resolves once it listens on a free 127.0.0.1 port. */
export async function startFtDouble(backend: BackendAddress, options: FtEngineOptions = {}): Promise<FtDouble> {
  const engine = new FtEngine(backend, undefined, options);
  await engine.start();
  const { port, close } = await listen(backend, engine).catch((error: unknown) => {
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
    stop: () => {
      if (stopped === undefined) {
        engine.stop();
        stopped = close();
      }
      return stopped;
    },
  };
}
