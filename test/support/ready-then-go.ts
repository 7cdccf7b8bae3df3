import { createInterface } from 'node:readline';

/**
 * A child process's start signal: writes `ready` and resolves on the parent's first line on stdin,
 * so children start their work together. Exits with 2 when the parent goes away before saying go.
 */
export async function readyThenGo(): Promise<void> {
  const lines = createInterface({ input: process.stdin });
  const go = new Promise<void>((resolve) => lines.once('line', () => resolve()));
  lines.once('close', () => process.exit(2));
  process.stdout.write('ready\n');
  await go;
  lines.removeAllListeners('close');
  lines.close();
}
