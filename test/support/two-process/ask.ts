/**
 * One Lambda-like process for the two-process test: builds the runtime from its environment
 * (exactly as a container does), answers one prompt per argument in order, prints each response
 * as one JSON line, and exits.
 */
import { loadConfig } from '../../../lambda/core/config';
import { parseRequest } from '../../../lambda/core/request';
import { createRuntime } from '../../../lambda/runtime';

async function main(): Promise<void> {
  const runtime = createRuntime(loadConfig(process.env));
  try {
    for (const prompt of process.argv.slice(2)) {
      const response = await runtime.cache.answer(parseRequest({ prompt, mode: 'semantic' }, runtime.config));
      process.stdout.write(`${JSON.stringify(response)}\n`);
    }
  } finally {
    await runtime.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
