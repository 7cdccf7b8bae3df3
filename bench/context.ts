import { startStandalone, type RedisTestServer } from '../tools/redis-servers';
import { startBedrockEmulator, type BedrockEmulator } from '../tools/bedrock-emulator/server';
import { loadConfig } from '../lambda/core/config';
import { createRuntime, type Runtime } from '../lambda/runtime';

/** What every section shares: one real redis-server and one Bedrock emulator, started by the bench. */
export interface BenchContext {
  readonly server: RedisTestServer;
  readonly emulator: BedrockEmulator;
  /** Runtime environment over `server` and `emulator` (CACHE_BACKEND=redis). */
  env(extra?: Record<string, string>): NodeJS.ProcessEnv;
  /** A runtime as the Lambda builds it (`createRuntime(loadConfig(env))`) over `server`. */
  runtime(extra?: Record<string, string>): Runtime;
  stop(): Promise<void>;
}

/** Quiet Powertools and SDK notices for the whole run (they would otherwise print per request). */
export function quietProcessEnv(): void {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

export async function startContext(): Promise<BenchContext> {
  const server = await startStandalone();
  const emulator = await startBedrockEmulator({ latencyMs: 0 });
  const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
    ...process.env,
    ...server.env(),
    BEDROCK_ENDPOINT: emulator.url,
    AWS_REGION: 'us-east-1',
    AWS_MAX_ATTEMPTS: '1',
    CACHE_MODE: 'standard',
    SEMANTIC_INDEX: 'none',
    ...extra,
  });
  const runtimes: Runtime[] = [];
  return {
    server,
    emulator,
    env,
    runtime(extra) {
      const runtimeEnv = env(extra);
      const runtime = createRuntime(loadConfig(runtimeEnv));
      runtimes.push(runtime);
      return runtime;
    },
    async stop() {
      // All runtimes share the container's one Redis client; closing one closes it.
      await runtimes[0]?.close();
      await emulator.close();
      await server.stop();
    },
  };
}
