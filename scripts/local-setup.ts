import { parseArgs } from 'node:util';
import { startBedrockEmulator, type BedrockEmulator } from '../tools/bedrock-emulator/server';

/** Options shared by `npm start` and `npm run ask`. */
export const LOCAL_OPTIONS = {
  'redis-url': { type: 'string' },
  backend: { type: 'string' },
  bedrock: { type: 'string', default: 'emulator' },
  'model-latency-ms': { type: 'string', default: '400' },
  namespace: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const LOCAL_USAGE = `options:
  --redis-url <url>          use a real Redis (redis:// or rediss://) instead of the embedded in-process cache
  --backend <redis|redis-cluster>   client kind for --redis-url (default redis)
  --bedrock <emulator|aws>   emulator (default; no AWS account needed) or real Bedrock with the default AWS credential chain
  --model-latency-ms <ms>    emulated model latency (default 400)
  --namespace <name>         cache namespace (default: a fresh one per run, so each run starts cold)`;

export interface LocalSetup {
  readonly emulator?: BedrockEmulator;
  readonly describe: string;
  close(): Promise<void>;
}

/**
 * Points the runtime's environment at what the flags name, before the runtime is loaded: the
 * embedded backend or a Redis URL, and the Bedrock emulator (started here) or real Bedrock.
 */
export async function setUpLocal(values: { [K in keyof typeof LOCAL_OPTIONS]?: string | boolean }): Promise<LocalSetup> {
  const env = process.env;
  const redisUrl = values['redis-url'] as string | undefined;
  if (redisUrl !== undefined) {
    const backend = (values.backend as string | undefined) ?? 'redis';
    if (backend !== 'redis' && backend !== 'redis-cluster') throw new Error(`--backend must be redis or redis-cluster, got ${backend}`);
    env.CACHE_BACKEND = backend;
    env.CACHE_URL = redisUrl;
  } else {
    env.CACHE_BACKEND ??= 'memory';
  }
  env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  // Local runs may be on Node.js 20; the Lambda itself runs Node.js 22, so the SDK's notice is noise here.
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  const bedrock = values.bedrock as string;
  if (bedrock === 'aws') {
    return { describe: `${env.CACHE_BACKEND} cache, real Amazon Bedrock (default AWS credential chain)`, close: async () => undefined };
  }
  if (bedrock !== 'emulator') throw new Error(`--bedrock must be emulator or aws, got ${bedrock}`);
  const latencyMs = Number(values['model-latency-ms']);
  if (!Number.isInteger(latencyMs) || latencyMs < 0) throw new Error('--model-latency-ms must be a non-negative integer');
  const emulator = await startBedrockEmulator({ latencyMs });
  env.BEDROCK_ENDPOINT = emulator.url;
  env.AWS_REGION ??= 'us-east-1';
  return {
    emulator,
    describe: `${env.CACHE_BACKEND} cache, local Bedrock emulator at ${emulator.url} (not a language model; ${latencyMs} ms per answer)`,
    close: () => emulator.close(),
  };
}

export function parseLocalArgs(argv: string[]): ReturnType<typeof parseArgs<{ options: typeof LOCAL_OPTIONS; allowPositionals: true }>> {
  return parseArgs({ args: argv, options: LOCAL_OPTIONS, allowPositionals: true, strict: true });
}
