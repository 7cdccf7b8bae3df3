import { SYNTH_SETTINGS } from '../lambda/settings/table';
import { RUNTIME_SETTINGS } from '../lambda/settings/runtime-settings';
import { startBedrockEmulator } from '../tools/bedrock-emulator/server';
import { notMeasured, runColdCase, type ColdContainerRow, type ColdContainersResult } from './cold-containers';
import { bundleHandler } from './cold-start';
import { startColdTargets } from './cold-targets';
import { cpuShareOf, createCpuQuota } from './cpu-quota';

/** Variables each case sets for itself. */
const CASE_OWNED = ['CACHE_BACKEND', 'CACHE_URL', 'CACHE_USERNAME', 'CACHE_PASSWORD', 'CACHE_TLS_CA_FILE', 'CACHE_SECRET_ARN', 'SEMANTIC_INDEX', 'CACHE_CONNECT_TIMEOUT_MS'] as const;

export interface ColdSectionOptions {
  /** Cold containers per case. */
  readonly containers: number;
  /** The function's memory; the CPU share follows from it. @default the `lambdaMemoryMb` setting's default */
  readonly memoryMb?: number;
  /** Environment every child gets (the Bedrock emulator's endpoint, region, log level). */
  readonly base: NodeJS.ProcessEnv;
  readonly log?: (text: string) => void;
}

/**
 * The cold-container section: the deployed bundle in fresh processes under the CPU share of the
 * configured memory, against each backend with the answer stored by another process first, and
 * against two dead caches. Without a quota nothing is measured (rows say why): at full speed the
 * figures would not say what a Lambda of that size does.
 */
export async function runColdSection(options: ColdSectionOptions): Promise<ColdContainersResult> {
  const memoryMb = options.memoryMb ?? SYNTH_SETTINGS.lambdaMemoryMb.default;
  const share = cpuShareOf(memoryMb);
  const connectTimeoutMs = RUNTIME_SETTINGS.cacheConnectTimeoutMs.default;
  // Each case names its own server and credentials; none of the caller's may leak into another case.
  const base: NodeJS.ProcessEnv = { ...options.base, POWERTOOLS_METRICS_DISABLED: 'false' };
  for (const name of CASE_OWNED) delete base[name];
  const targets = await startColdTargets(base, connectTimeoutMs);
  const created = createCpuQuota(`llmcache-bench-${process.pid}`, share);
  const bundle = await bundleHandler();
  try {
    const rows: ColdContainerRow[] = [];
    for (const cold of targets.cases) {
      if (!created.ok) {
        rows.push(notMeasured(cold, created.reason));
        continue;
      }
      options.log?.(`cold containers: ${cold.label}`);
      rows.push(await runColdCase(bundle, cold, created.quota, options.containers));
    }
    rows.push(...targets.missing.map((gone) => notMeasured(gone, gone.reason)));
    return { ...(created.ok ? { share } : {}), memoryMb, rows };
  } finally {
    bundle.remove();
    if (created.ok) created.quota.remove();
    await targets.stop();
  }
}

/** `npx tsx bench/cold-section.ts [containers]`: this section alone, printed as JSON. */
async function main(): Promise<void> {
  const emulator = await startBedrockEmulator({ latencyMs: 0 });
  try {
    const base = { ...process.env, BEDROCK_ENDPOINT: emulator.url, AWS_REGION: 'us-east-1', AWS_MAX_ATTEMPTS: '1', POWERTOOLS_LOG_LEVEL: 'WARN', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
    const result = await runColdSection({ containers: Number(process.argv[2] ?? 10), base, log: (text) => process.stderr.write(`${text}\n`) });
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await emulator.close();
  }
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
