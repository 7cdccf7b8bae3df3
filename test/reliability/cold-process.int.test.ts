import { cpus, loadavg } from 'node:os';
import type { Server } from 'node:net';
import { QUOTA_TIMER_SLACK_MS } from '../../bench/cold-containers';
import { silentServer } from '../../bench/cold-targets';
import { createCpuQuota, cpuShareOf, type CpuQuota } from '../../bench/cpu-quota';
import { bundleHandler, runChild, type HandlerBundle } from '../../bench/cold-start';
import { SYNTH_SETTINGS } from '../../lambda/settings/table';
import { startBedrockEmulator, type BedrockEmulator } from '../../tools/bedrock-emulator/server';
import { getFreePort, releasePort, startCluster, startStandalone, type RedisTestCluster, type RedisTestServer } from '../../tools/redis-servers';

/**
 * A cold container as Lambda runs it: the deployed bundle (lambda/handler.ts with the stack's
 * bundling) loaded in a fresh Node process, its first request answered from the entry another
 * process stored. Held to the CPU share of the configured memory (a cgroup v1 CPU quota) where
 * this runs as root, outside CI, on a machine whose load is below its core count; elsewhere at
 * full speed: a quota'd process on a busy machine gets less than its share, and the suite's own
 * workers keep it busy. `npm run bench` measures the same under the quota, 10 containers each,
 * with the load beside each figure.
 */
describe('a cold process serves the stored answer from the cache', () => {
  let emulator: BedrockEmulator;
  let standalone: RedisTestServer;
  let cluster: RedisTestCluster;
  let bundle: HandlerBundle;
  let quota: CpuQuota | undefined;

  beforeAll(async () => {
    [emulator, standalone, cluster, bundle] = await Promise.all([
      startBedrockEmulator({ latencyMs: 0 }),
      startStandalone({ password: 'cold-process-pw' }),
      startCluster(),
      bundleHandler(),
    ]);
    if (process.env.CI !== 'true' && loadavg()[0]! < cpus().length) {
      const created = createCpuQuota(`llmcache-test-${process.pid}`, cpuShareOf(SYNTH_SETTINGS.lambdaMemoryMb.default));
      if (created.ok) quota = created.quota;
    }
  }, 60_000);
  afterAll(async () => {
    quota?.remove();
    bundle?.remove();
    await Promise.all([cluster?.stop(), standalone?.stop(), emulator?.close()]);
  });

  const base = (): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    BEDROCK_ENDPOINT: emulator.url,
    AWS_REGION: 'us-east-1',
    AWS_MAX_ATTEMPTS: '1',
    POWERTOOLS_LOG_LEVEL: 'WARN',
    POWERTOOLS_METRICS_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });

  const cases: [string, () => Record<string, string>][] = [
    ['standalone Redis', () => standalone.env()],
    ['the 3-master TLS + ACL cluster', () => cluster.env()],
  ];

  it.each(cases)('on %s: exact, and a paraphrase through the client-side index', async (_name, serverEnv) => {
    // At full speed on a loaded machine (CI's own workers), connecting a fresh process to the TLS
    // cluster can outlast the 1 s default connect deadline: give it 5 s there. The per-operation
    // deadline stays the default 250 ms, which is what a first request spent on connecting before.
    const connect = quota === undefined ? { CACHE_CONNECT_TIMEOUT_MS: '5000' } : {};
    const env = { ...base(), ...serverEnv(), SEMANTIC_INDEX: 'client', ...connect };
    const options = quota === undefined ? {} : { wrap: quota.wrap };
    // Another container answered both first (a miss each, stored). It is not what is tested: it gets
    // generous deadlines, so that a busy machine cannot leave an entry unstored.
    const seeding = { ...env, CACHE_TIMEOUT_MS: '5000', CACHE_CONNECT_TIMEOUT_MS: '10000' };
    const exact = { prompt: 'Where is Carson City?', mode: 'standard' };
    const stored = { prompt: 'Where is Las Vegas?', mode: 'semantic' };
    expect(await runChild(bundle, exact, seeding)).toMatchObject({ firstCache: 'miss' });
    expect(await runChild(bundle, stored, seeding)).toMatchObject({ firstCache: 'miss' });

    // A fresh process starved of CPU (a busy machine, no quota) can still fail to connect in time
    // and fail open, with the fault logged: that cold container is tried again, up to 3 times. A
    // miss without a skipped operation is never retried: that would be a wrong outcome.
    const coldAsk = async (event: object): Promise<Awaited<ReturnType<typeof runChild>>> => {
      let run = await runChild(bundle, event, env, options);
      for (let attempt = 1; attempt < 3 && run.cacheSkipped !== undefined; attempt++) run = await runChild(bundle, event, env, options);
      return run;
    };
    const exactHit = await coldAsk(exact);
    const semanticHit = await coldAsk({ prompt: 'Where is Vegas?', mode: 'semantic' });

    // The outcome with the reason a cache operation was skipped, so a failure says why.
    // (The faults the child logged ride along, equal on both sides, so that a failure prints them.)
    expect({ cache: exactHit.firstCache, skipped: exactHit.cacheSkipped, faults: exactHit.faults }).toEqual({ cache: 'exact', skipped: undefined, faults: exactHit.faults });
    expect({ cache: semanticHit.firstCache, skipped: semanticHit.cacheSkipped, faults: semanticHit.faults }).toEqual({ cache: 'semantic', skipped: undefined, faults: semanticHit.faults });
  }, 60_000);
});

describe('a cold process with a dead cache fails open within the connect deadline', () => {
  const CONNECT_TIMEOUT_MS = 1000;
  let emulator: BedrockEmulator;
  let bundle: HandlerBundle;
  let silent: Server;
  let silentPort: number;
  let closedPort: number;

  beforeAll(async () => {
    [emulator, bundle, silentPort, closedPort] = await Promise.all([startBedrockEmulator({ latencyMs: 0 }), bundleHandler(), getFreePort(), getFreePort()]);
    silent = await silentServer(silentPort);
  }, 60_000);
  afterAll(async () => {
    silent?.close();
    releasePort(silentPort);
    releasePort(closedPort);
    bundle?.remove();
    await emulator?.close();
  });

  const env = (port: number): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    BEDROCK_ENDPOINT: emulator.url,
    AWS_REGION: 'us-east-1',
    AWS_MAX_ATTEMPTS: '1',
    CACHE_BACKEND: 'redis',
    CACHE_URL: `redis://127.0.0.1:${port}`,
    CACHE_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
    SEMANTIC_INDEX: 'none',
    POWERTOOLS_LOG_LEVEL: 'WARN',
    // The EMF document carries the request's CacheLatency: its time in the cache, the model's answer excluded.
    POWERTOOLS_METRICS_DISABLED: 'false',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  const ask = { prompt: 'Where is Reno?', mode: 'standard' };

  it('nothing listening: a miss at once (the refused connection ends the wait)', async () => {
    const first = await runChild(bundle, ask, env(closedPort));

    expect(first).toMatchObject({ firstCache: 'miss', cacheSkipped: 'error' });
    expect(first.cacheMs).toBeLessThan(CONNECT_TIMEOUT_MS / 2);
  }, 30_000);

  it('a server that accepts and never answers: a miss reported as a timeout, at the connect deadline', async () => {
    const first = await runChild(bundle, ask, env(silentPort));

    expect(first).toMatchObject({ firstCache: 'miss', cacheSkipped: 'timeout' });
    expect(first.cacheMs).toBeLessThanOrEqual(CONNECT_TIMEOUT_MS + QUOTA_TIMER_SLACK_MS);
  }, 30_000);
});
