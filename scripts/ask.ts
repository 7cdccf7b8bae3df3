/**
 * One request through the runtime:  npm run ask -- "Where is Las Vegas?" [--stream] [options]
 * Prints the response JSON; with `--stream`, goes through the streaming handler and prints the
 * tokens as they arrive, then the `end` event. See `npm run ask -- --help` for the options.
 */
import { LOCAL_USAGE, parseLocalArgs, setUpLocal } from './local-setup';
import { eventPrinter, ndjsonEvents } from './stream-events';

/** Pause between the emulator's streamed pieces with `--stream`, so they visibly arrive one by one (ms). */
const EMULATOR_CHUNK_DELAY_MS = 40;

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const stream = argv.includes('--stream');
  const { values, positionals } = parseLocalArgs(argv.filter((arg) => arg !== '--stream'));
  if (values.help === true || positionals.length !== 1) {
    console.log(`usage: npm run ask -- "prompt" [--stream] [options]\n  --stream                   stream the answer (lambda/stream-handler.ts) as it arrives\n${LOCAL_USAGE}`);
    process.exit(values.help === true ? 0 : 2);
  }
  const local = await setUpLocal(values);
  try {
    const namespace = values.namespace as string | undefined;
    const request = { prompt: positionals[0], ...(namespace ? { namespace } : {}) };
    if (stream) {
      if (local.emulator) local.emulator.chunkDelayMs = EMULATOR_CHUNK_DELAY_MS;
      process.exitCode = await askStreaming(request);
    } else {
      const { handler } = await import('../lambda/handler');
      const result = await handler(request);
      console.log(JSON.stringify(result, null, 2));
      process.exitCode = 'error' in (result as object) ? 1 : 0;
    }
  } finally {
    await local.close();
  }
  process.exit(process.exitCode ?? 0);
}

/** Runs the streaming handler with stdout as its response stream: deltas as text, the other events as JSON lines. */
async function askStreaming(request: Record<string, unknown>): Promise<number> {
  const { handler } = await import('../lambda/stream-handler');
  const printer = eventPrinter();
  const feed = ndjsonEvents(printer.print);
  await handler(request, {
    write: (chunk: string) => {
      feed(chunk);
      return true;
    },
    end: () => undefined,
  });
  return printer.failed ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
