/**
 * What the same-question check adds to one semantic lookup (README "Same-question check"), for a
 * prompt of 500 characters: the asked prompt's facts (once per request), then the verdict on the
 * neighbours above the threshold, with their stored facts already decoded (memory index) or in
 * their stored form (client-side index and FT search read them with the answer). No I/O: the
 * check adds no round trip; this is its CPU time.
 */
import { performance } from 'node:perf_hooks';
import { CandidateCheck } from '../lambda/semantic/same-question/candidate-check';
import { encodeFacts, questionFacts } from '../lambda/semantic/same-question/facts';
import { summarize, type LatencySummary } from './stats';

/** A 500-character prompt with the literals the check looks for: numbers, a path, an identifier, quoted text, an address. */
export const BENCH_PROMPT = (
  'I am migrating our billing service from Python 3.11 to 3.12 and the nightly job that reads /var/data/invoices-2024.csv ' +
  'started failing with "KeyError: customer_id" in parse_rows() after 3 retries. The config sets max_workers to 8 and ' +
  'the timeout to 45 seconds; alerts go to ops@example.com. Why would the job not find the column, and how do I make ' +
  'it skip malformed lines instead of stopping? Please explain what changed between the two versions and give me a ' +
  'minimal fix I can deploy today.'
).padEnd(500, ' ').slice(0, 500);

/** A 500-character prompt of plain words (no number, quote, address, path or identifier): every word through the word loop. */
export const PLAIN_BENCH_PROMPT = (
  'I am moving our billing service to a newer runtime and the nightly job that reads the invoice export started failing ' +
  'with a missing column error after a few retries. The settings give it several workers and a short timeout, and the ' +
  'alerts go to the operations team. Why would the job not find the column, and how can I make it skip malformed lines ' +
  'instead of stopping? Please explain what changed between the old and new runtimes and suggest a small fix that I could deploy ' +
  'later today without a long review.'
).padEnd(500, ' ').slice(0, 500);

/** A neighbour that differs in one number (rejected on the first rule) and one that is a rewording (every rule runs). */
const NEIGHBOURS = [BENCH_PROMPT.replace('3 retries', '4 retries'), BENCH_PROMPT.replace('Please explain', 'Could you explain')];

const BATCH = 200;

export interface SameQuestionBench {
  /** Facts and TAG of the asked prompt: once per semantic request. */
  readonly facts: LatencySummary;
  /** The same for a prompt of plain words (PLAIN_BENCH_PROMPT). */
  readonly plainFacts: LatencySummary;
  /** One verdict on a neighbour whose facts are decoded (memory index). */
  readonly verdictDecoded: LatencySummary;
  /** One verdict on a neighbour whose facts are in their stored form (client-side index, FT search). */
  readonly verdictStored: LatencySummary;
}

/** Per-operation time of `op`, from batches of BATCH calls (the clock's resolution is too coarse for one call). */
function perOperation(batches: number, op: (i: number) => unknown): LatencySummary {
  const samples: number[] = [];
  let sink = 0;
  for (let b = 0; b < batches; b++) {
    const started = performance.now();
    for (let i = 0; i < BATCH; i++) if (op(i)) sink++;
    samples.push(((performance.now() - started) * 1e6) / BATCH);
  }
  if (sink < 0) throw new Error('unreachable');
  return summarize(samples);
}

export function runSameQuestionBench(batches = 200): SameQuestionBench {
  const stored = NEIGHBOURS.map(questionFacts);
  const encoded = stored.map(encodeFacts);
  // Warm-up, so the figures are the optimised code's.
  perOperation(20, (i) => new CandidateCheck(BENCH_PROMPT, 'on').accepts(encoded[i % 2]!, 0.97));
  const check = new CandidateCheck(BENCH_PROMPT, 'on');
  return {
    facts: perOperation(batches, () => new CandidateCheck(BENCH_PROMPT, 'on')),
    plainFacts: perOperation(batches, () => new CandidateCheck(PLAIN_BENCH_PROMPT, 'on')),
    verdictDecoded: perOperation(batches, (i) => check.accepts(stored[i % 2]!, 0.97)),
    verdictStored: perOperation(batches, (i) => check.accepts(encoded[i % 2]!, 0.97)),
  };
}

if (require.main === module) {
  const result = runSameQuestionBench();
  const us = (summary: LatencySummary): string => `p50 ${(summary.p50Ms * 1000).toFixed(2)} µs, p99 ${(summary.p99Ms * 1000).toFixed(2)} µs`;
  process.stdout.write(`same-question check, 500-character prompt:\n  asked prompt's facts: ${us(result.facts)}\n  asked prompt's facts, plain words: ${us(result.plainFacts)}\n  verdict (decoded facts): ${us(result.verdictDecoded)}\n  verdict (stored facts): ${us(result.verdictStored)}\n`);
}
