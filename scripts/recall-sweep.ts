/**
 * `npm run recall:sweep -- <redis-url> [<redis-url> ...]`: the EF_RUNTIME x K sweep behind the
 * chosen search settings (README, "Semantic recall"). For each server (a real search engine: see
 * /work/shared/engines or any Redis 8 / valkey-search), for each EF_RUNTIME, loads the committed
 * 10,000-sentence corpus into one scope through the runtime's `SearchIndex` (FT.CREATE with that
 * EF_RUNTIME), then runs every query with each K and prints agreement with brute force at 0.8 and
 * 0.9 and the FT.SEARCH latency. Writes the rows to bench/results/recall-sweep.json.
 * Optional: RECALL_EF="10,20,50" RECALL_K="4,8" RECALL_SIZE=10000.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import type { RedisCommands } from '../lambda/backends/redis/connection/redis-commands';
import { loadRecallSet } from '../tools/recall-data/dataset';
import { agreementAt, bruteForceTruth, loadRecallIndex, runRawQueries } from '../bench/recall';

const list = (text: string | undefined, fallback: number[]): number[] => (text ? text.split(',').map(Number) : fallback);

async function engineName(redis: Redis): Promise<string> {
  const info = await redis.info('server');
  const server = /valkey_version:(\S+)/.exec(info)?.[1] ? `valkey ${/valkey_version:(\S+)/.exec(info)![1]}` : `redis ${/redis_version:(\S+)/.exec(info)?.[1] ?? '?'}`;
  const modules = (await redis.call('MODULE', 'LIST').catch(() => [])) as unknown[][];
  const names = modules.map((module) => `${String(module[1])} ${String(module[3])}`);
  return `${server} (${names.join(', ')})`;
}

async function main(): Promise<void> {
  const urls = process.argv.slice(2);
  if (urls.length === 0) throw new Error('usage: npm run recall:sweep -- <redis-url> [<redis-url> ...]');
  const efs = list(process.env.RECALL_EF, [10, 20, 50, 100, 200]);
  const ks = list(process.env.RECALL_K, [4, 8, 10, 16]);
  const set = loadRecallSet();
  const size = Number(process.env.RECALL_SIZE ?? set.corpus.length);
  const truth = bruteForceTruth(set, size);
  const rows: object[] = [];
  console.log('| engine | EF_RUNTIME | K | agree 0.8 | agree 0.9 | no hit / worse 0.8 | no hit / worse 0.9 | p50 ms | p99 ms |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const url of urls) {
    const client = new Redis(url);
    const redis = client as unknown as RedisCommands;
    try {
      const engine = await engineName(client);
      for (const ef of efs) {
        const loaded = await loadRecallIndex(redis, set, { size, modelId: `recall-sweep-ef${ef}`, efRuntime: ef });
        process.stderr.write(`${engine}: EF_RUNTIME ${ef}: ${size} loaded and indexed in ${(loaded.loadMs / 1000).toFixed(1)} s\n`);
        try {
          for (const k of ks) {
            const run = await runRawQueries(redis, loaded, set, truth, k);
            const [a8, a9] = [agreementAt(run.outcomes, 0.8), agreementAt(run.outcomes, 0.9)];
            rows.push({ engine, size, efRuntime: ef, k, agreement08: a8, agreement09: a9, latency: run.latency, loadMs: loaded.loadMs });
            const pct = (value: number): string => `${(100 * value).toFixed(2)} %`;
            console.log(`| ${engine} | ${ef} | ${k} | ${pct(a8.ratio)} (${a8.agree}/${a8.eligible}) | ${pct(a9.ratio)} (${a9.agree}/${a9.eligible}) | ${a8.noHit} / ${a8.worse} | ${a9.noHit} / ${a9.worse} | ${run.latency.p50Ms.toFixed(2)} | ${run.latency.p99Ms.toFixed(2)} |`);
          }
        } finally {
          await loaded.drop();
        }
      }
    } finally {
      client.disconnect();
    }
  }
  const dir = join(__dirname, '..', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'recall-sweep.json'), `${JSON.stringify({ date: new Date().toISOString(), rows }, null, 2)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
