/**
 * Runs the local Bedrock emulator until Ctrl-C.
 *   npx tsx tools/bedrock-emulator/main.ts --port 4010 --latency-ms 400 [--embedding-latency-ms 20] [--chunk-delay-ms 30] [--host 127.0.0.1]
 *   npm run emulator -- --port 4010
 */
import { startBedrockEmulator } from './server';

function parseArgs(argv: readonly string[]): { port: number; host: string; latencyMs: number; embeddingLatencyMs: number; chunkDelayMs: number } {
  const values: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      console.log('usage: main.ts [--port 4010] [--host 127.0.0.1] [--latency-ms 0] [--embedding-latency-ms 0] [--chunk-delay-ms 0]');
      process.exit(0);
    }
    if (!arg.startsWith('--')) throw new Error(`unexpected argument: ${arg}`);
    const [name, inline] = arg.slice(2).split('=', 2);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`--${name} needs a value`);
    values[name] = value;
  }
  const known = new Set(['port', 'host', 'latency-ms', 'embedding-latency-ms', 'chunk-delay-ms']);
  for (const name of Object.keys(values)) if (!known.has(name)) throw new Error(`unknown option --${name}`);
  const num = (name: string, fallback: number): number => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got ${raw}`);
    return n;
  };
  return { port: num('port', 4010), host: values.host ?? '127.0.0.1', latencyMs: num('latency-ms', 0), embeddingLatencyMs: num('embedding-latency-ms', 0), chunkDelayMs: num('chunk-delay-ms', 0) };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const emulator = await startBedrockEmulator(options);
  console.log(`Bedrock emulator (not a language model) listening on ${emulator.url} (HTTP/1.1 and h2c)`);
  console.log(`  converse latency ${emulator.latencyMs} ms, embedding latency ${emulator.embeddingLatencyMs} ms, stream chunk delay ${emulator.chunkDelayMs} ms`);
  console.log(`  point the runtime at it: BEDROCK_ENDPOINT=${emulator.url}`);
  const stop = (): void => {
    console.log(`\nstopping; served ${emulator.calls.converse} converse and ${emulator.calls.embed} embedding calls`);
    emulator.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
