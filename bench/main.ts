/** `npm run bench`: starts a redis-server and the Bedrock emulator, runs every section, writes the results. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseRequest } from '../lambda/core/request';
import { runBedrockConnections } from './bedrock-connections';
import { runColdSection } from './cold-section';
import { runColdStart } from './cold-start';
import { quietProcessEnv, startContext } from './context';
import { handlerEnvironment, prepareHandlerHits, prepareQuietHandlerHit } from './handler-hit';
import { measureIdlePenalty } from './idle-penalty';
import { chartOf, checkTargets, formatReport, type BedrockConnectionsFigure, type BenchResults } from './report';
import { runRoundTrips } from './round-trips';
import { formatRecall, runRecallBench } from './recall-bench';
import { runSemantic } from './semantic';
import { runStampede } from './stampede';
import { runStandardHit } from './standard-hit';
import { renderChart } from './svg';
import { HIT_PROMPT, prepareHitVariants } from './variants';

async function main(): Promise<void> {
  quietProcessEnv();
  const startedAt = new Date().toISOString();
  const context = await startContext();
  try {
    const admin = context.server.adminClient();
    const redisServer = /redis_version:(\S+)/.exec(await admin.info('server'))?.[1] ?? 'unknown';
    const log = (text: string): void => void process.stderr.write(`[bench ${((performance.now() / 1000) | 0).toString().padStart(3)} s] ${text}\n`);

    log('standard hit (interleaved floor / ours / LangChain / handler)');
    const variants = await prepareHitVariants(context);
    const handlerHits = await prepareHandlerHits(handlerEnvironment(context.env()), { prompt: HIT_PROMPT, mode: 'standard' });
    const quietHandler = await prepareQuietHandlerHit(context.env(), { prompt: HIT_PROMPT, mode: 'standard' });
    const handlerRows = [handlerHits.direct, handlerHits.functionUrl, quietHandler.variant];
    const standardHit = await runStandardHit(variants, handlerRows);
    log('the hit\'s own CPU work: back to back, after a round trip, after a busy wait');
    const idlePenalty = await measureIdlePenalty(variants);
    log('round trips per hit');
    const roundTrips = await runRoundTrips(variants, admin, handlerRows);
    const handlerOutput = { invocations: handlerHits.invocations, writes: handlerHits.sink.writes, bytes: handlerHits.sink.bytes, quietWrites: quietHandler.sink.writes };
    await Promise.all([handlerHits.close(), quietHandler.close()]);
    await variants.close();


    log('stampede');
    const stampede = await runStampede(context);

    log('Bedrock connections (100 sequential embeddings, then 100 Converse calls)');
    const connections = await runBedrockConnections();
    // The target holds for each kind of call: the worse of the two is judged.
    const bedrockConnections: BedrockConnectionsFigure = {
      calls: Math.min(connections.embedCalls, connections.converseCalls),
      connections: Math.max(connections.embedConnections, connections.converseConnections),
      detail: `embeddings: ${connections.embedCalls} calls, ${connections.embedConnections} connection(s); Converse: ${connections.converseCalls} calls, ${connections.converseConnections} connection(s)`,
    };

    log('semantic lookup (1k, 10k entries)');
    const semantic = await runSemantic();

    log('search recall on real sentence embeddings (1k, 10k entries; SEARCH_REDIS_URL only)');
    const recall = await runRecallBench();

    log('cold start (bundle, fresh Node processes)');
    // The redis-hit scenario reads the entry the standard-hit section stored.
    const childBase: NodeJS.ProcessEnv = { ...context.env(), POWERTOOLS_LOG_LEVEL: 'WARN', POWERTOOLS_METRICS_DISABLED: 'false' };
    delete childBase.CACHE_URL;
    const coldStart = await runColdStart({
      runs: 5,
      memoryEnv: { ...childBase, CACHE_BACKEND: 'memory' },
      redisEnv: context.env({ POWERTOOLS_LOG_LEVEL: 'WARN', POWERTOOLS_METRICS_DISABLED: 'false' }),
      memoryPrompt: 'Cold start: where is Las Vegas?',
      redisPrompt: parseRequest({ prompt: HIT_PROMPT }, variants.runtime.config).prompt,
    });
    await admin.quit();

    log('cold containers (the bundle in fresh processes at the configured memory\'s CPU share; standalone, TLS cluster, search engine, dead caches)');
    const coldContainers = await runColdSection({ containers: 10, base: childBase, log });

    const results: BenchResults = {
      startedAt,
      machine: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model.trim(), platform: `${process.platform}-${process.arch}`, redisServer },
      standardHit,
      handlerOutput,
      idlePenalty,
      roundTrips,
      semantic,
      stampede,
      coldStart,
      coldContainers,
      bedrockConnections,
      recall,
    };
    const checks = checkTargets(results);
    console.log(formatReport(results, checks));
    console.log(`\n${formatRecall(recall)}`);
    const dir = join(__dirname, 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'latest.json'), `${JSON.stringify({ ...results, targets: checks }, null, 2)}\n`);
    writeFileSync(join(dir, 'latest.svg'), renderChart(chartOf(results)));
    console.log(`\nwrote ${join('bench', 'results', 'latest.json')} and ${join('bench', 'results', 'latest.svg')}`);
  } finally {
    await context.stop();
  }
}

// Exit explicitly: a client still retrying a stopped server must not keep the run alive.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
