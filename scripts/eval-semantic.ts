/**
 * `npm run eval:semantic`: runs the semantic evaluation set (eval/semantic/pairs.jsonl) through the
 * real runtime and prints, per category and split, the share of near-misses served the other
 * question's answer and the share of rewordings that hit, at each threshold, with the
 * same-question check on and off (SEMANTIC_CHECK).
 *
 * Default: the memory backend and the local Universal Sentence Encoder (no network). `--redis-url`
 * runs against a Redis (the client-side index, or FT search when the server has it: `--index`).
 * `--pairs my.jsonl --bedrock aws` measures your own pairs with real Titan embeddings through the
 * runtime's Titan embedder (default AWS credential chain and AWS_REGION). The chat model is always
 * a local stand-in: no model is called. See eval/semantic/README.md.
 */
// The runtime's request logs and EMF metrics would drown the table: off unless asked for.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

import { writeFileSync } from 'node:fs';
import { UseEmbeddings, USE_DIMENSIONS } from '../tools/real-embeddings/use-embeddings';
import { EvalArgsError, parseEvalArgs, type EvalArgs } from '../tools/semantic-eval/args';
import { evaluate, runtimeHasCheck } from '../tools/semantic-eval/evaluate';
import { loadPairs, PairsFileError } from '../tools/semantic-eval/pairs';
import { formatTable, rewordingRetention } from '../tools/semantic-eval/report';

function backendEnv(args: EvalArgs): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { AWS_REGION: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION };
  if (args.redisUrl === undefined) env.CACHE_BACKEND = 'memory';
  else Object.assign(env, { CACHE_BACKEND: 'redis', CACHE_URL: args.redisUrl, SEMANTIC_INDEX: args.index });
  env.EMBEDDING_DIMENSIONS = String(args.bedrock === 'aws' ? args.dimensions : USE_DIMENSIONS);
  return env;
}

async function main(): Promise<void> {
  const args = parseEvalArgs(process.argv.slice(2));
  const pairs = loadPairs(args.pairsFile).filter((pair) => args.splits.includes(pair.split));
  if (pairs.length === 0) throw new PairsFileError(`${args.pairsFile}: no pairs in split ${args.splits.join(' or ')} (pairs without "split" are dev)`);
  let embedder;
  if (args.bedrock !== 'aws') {
    const embeddings = new UseEmbeddings();
    const started = Date.now();
    await embeddings.embedAll(pairs.flatMap((pair) => [pair.a, pair.b]));
    console.error(`embedded ${pairs.length} pairs with the local model in ${Date.now() - started} ms`);
    embedder = embeddings.embedder();
  }
  const hasCheck = runtimeHasCheck();
  const started = Date.now();
  const runs = await evaluate({ pairs, env: backendEnv(args), embedder, thresholds: args.thresholds, checks: args.checks });
  const where = args.redisUrl === undefined ? 'memory backend' : `Redis (SEMANTIC_INDEX=${args.index})`;
  const embedding = args.bedrock === 'aws' ? `Titan (${args.dimensions} dimensions)` : `Universal Sentence Encoder lite (${USE_DIMENSIONS} dimensions)`;
  console.log(`${pairs.length} pairs from ${args.pairsFile}; ${where}; ${embedding}; ${Date.now() - started} ms.`);
  console.log('Near-miss rows: share served the other question\'s answer (wrong answers). Rewording rows: share that hit.');
  if (!hasCheck) console.log('This runtime has no same-question check (SEMANTIC_CHECK is not a setting here): "check on" measures the same as "off".');
  for (const split of args.splits) {
    if (!pairs.some((pair) => pair.split === split)) continue;
    console.log(`\n${formatTable(runs, split)}`);
    if (args.checks.length === 2) {
      const retention = args.thresholds.map((t) => {
        const at = (check: string) => runs.find((run) => run.threshold === t && run.check === check)!;
        return `${t}: ${(100 * rewordingRetention(at('on'), at('off'), split)).toFixed(1)} %`;
      });
      console.log(`\nRewording hits with the check as a share of hits without it (${split}): ${retention.join(', ')}`);
    }
  }
  if (args.jsonFile !== undefined) {
    const rows = runs.flatMap((run) => run.outcomes.map((o) => ({ check: run.check, threshold: run.threshold, id: o.pair.id, category: o.pair.category, label: o.pair.label, split: o.pair.split, cache: o.cache, served: o.served, similarity: o.similarity, rejected: o.rejected, fault: o.fault })));
    writeFileSync(args.jsonFile, `${JSON.stringify(rows, null, 1)}\n`);
  }
}

main().catch((error: unknown) => {
  if (error instanceof EvalArgsError || error instanceof PairsFileError) console.error(error.message);
  else console.error(error);
  process.exitCode = 1;
});
