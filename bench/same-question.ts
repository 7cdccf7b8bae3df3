/**
 * What the same-question check costs one semantic lookup (README "Same-question check"), for a
 * prompt of 500 characters: the asked prompt's facts (once per request), then the verdict on the
 * neighbours above the threshold, with their stored facts already decoded (memory index) or in
 * their stored form (client-side index and FT search read them with the answer). No I/O: the
 * check adds no round trip. Two kinds of figure, both CPU time: the facts' (computed while the
 * embedding request is in flight, InFlightFacts, so not on the lookup's path), and what runs on
 * the lookup's path once the embedding has answered (the verdicts): the latency the check adds.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { CandidateCheck } from '../lambda/semantic/same-question/candidate-check';
import { encodeFacts, listFields, questionFacts } from '../lambda/semantic/same-question/facts';
import { StoredVerdict } from '../lambda/semantic/same-question/stored-verdict';
import { percentile, ratioSummary, summarize, type LatencySummary, type RatioSummary } from './stats';

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

/** The neighbours judged: other words (a synonym and an addition), the same facts (a rewording by politeness), another number. */
const OTHER_WORDS = BENCH_PROMPT.replace('minimal fix', 'small fix').replace('Please explain', 'Please explain briefly');
const SAME_FACTS = BENCH_PROMPT.replace('Please explain', 'Could you explain');
const OTHER_NUMBER = BENCH_PROMPT.replace('3 retries', '4 retries');

/** Rounds of the bench; each times every figure in turn, BATCHES batches of BATCH calls each. */
const ROUNDS = 30;
const BATCHES = 5;
const BATCH = 200;

/** One figure: per-call time from every batch, and the per-round medians (µs) with their spread over rounds. */
export interface CheckFigure {
  readonly latency: LatencySummary;
  readonly roundsUs: RatioSummary;
}

export interface SameQuestionBench {
  /** The asked prompt's facts and TAG (a CandidateCheck): once per semantic request, CPU time; computed while the embedding is in flight. */
  readonly facts: CheckFigure;
  /** The same for a prompt of plain words (PLAIN_BENCH_PROMPT). */
  readonly plainFacts: CheckFigure;
  /** Of the facts' time: the in-place verdict's tables alone (StoredVerdict, from facts already computed), in flight too. */
  readonly tables: CheckFigure;
  /**
   * What the check adds to the lookup's path once the embedding has answered: the verdict on the
   * nearest neighbour, by a check whose facts are already computed (a fresh one per call), per
   * kind of neighbour: stored form (client-side index, FT search) with the asked prompt's own facts
   * (a rewording by politeness: the usual hit), with other content words (read in place by
   * StoredVerdict, every rule runs), and decoded facts (memory index).
   */
  readonly addedSameFacts: CheckFigure;
  readonly addedOtherWords: CheckFigure;
  readonly addedDecoded: CheckFigure;
  /** The check's whole CPU time for one lookup (facts + that verdict), neighbour stored with other words. */
  readonly cpuOtherWords: CheckFigure;
  /** One more verdict on a further neighbour of the same lookup: another number (read in place), stored with other words. */
  readonly verdictOtherNumber: CheckFigure;
  readonly verdictOtherWords: CheckFigure;
  /** 1-minute load average before and after the section (a shared machine). */
  readonly loadAverage: readonly [number, number];
}

/** Per-call nanoseconds of one batch of `op`, each call on its own item made beforehand (untimed). */
function batch<T>(op: (item: T) => unknown, setup: () => T): number {
  const items = Array.from({ length: BATCH }, setup);
  let sink = 0;
  const started = performance.now();
  for (let i = 0; i < BATCH; i++) if (op(items[i]!)) sink++;
  const ns = ((performance.now() - started) * 1e6) / BATCH;
  if (sink < 0) throw new Error('unreachable');
  return ns;
}

interface Op {
  readonly op: (item: CandidateCheck | undefined) => unknown;
  /** A fresh check per call (its facts computed, untimed), or none. */
  readonly fresh: boolean;
}

/**
 * Every figure timed in turn within each round (a busy stretch of the machine slows all of them),
 * BATCHES batches each per round. The clock's resolution is too coarse for one call.
 */
export function runSameQuestionBench(rounds = ROUNDS): SameQuestionBench {
  const otherWords = encodeFacts(questionFacts(OTHER_WORDS));
  const sameFacts = encodeFacts(questionFacts(SAME_FACTS));
  const decoded = questionFacts(SAME_FACTS);
  const otherNumber = encodeFacts(questionFacts(OTHER_NUMBER));
  const check = new CandidateCheck(BENCH_PROMPT, 'on');
  const asked = questionFacts(BENCH_PROMPT);
  const askedFields = listFields(asked);
  const askedForm = encodeFacts(asked);
  const ops: Record<Exclude<keyof SameQuestionBench, 'loadAverage'>, Op> = {
    facts: { op: () => new CandidateCheck(BENCH_PROMPT, 'on'), fresh: false },
    plainFacts: { op: () => new CandidateCheck(PLAIN_BENCH_PROMPT, 'on'), fresh: false },
    tables: { op: () => new StoredVerdict(asked, askedFields, askedForm), fresh: false },
    addedSameFacts: { op: (fresh) => fresh!.accepts(sameFacts, 0.97), fresh: true },
    addedOtherWords: { op: (fresh) => fresh!.accepts(otherWords, 0.97), fresh: true },
    addedDecoded: { op: (fresh) => fresh!.accepts(decoded, 0.97), fresh: true },
    cpuOtherWords: { op: () => new CandidateCheck(BENCH_PROMPT, 'on').accepts(otherWords, 0.97), fresh: false },
    verdictOtherNumber: { op: () => check.accepts(otherNumber, 0.97), fresh: false },
    verdictOtherWords: { op: () => check.accepts(otherWords, 0.97), fresh: false },
  };
  const names = Object.keys(ops) as (keyof typeof ops)[];
  const run = (name: keyof typeof ops): number => batch(ops[name].op, () => (ops[name].fresh ? new CandidateCheck(BENCH_PROMPT, 'on') : undefined));
  const loadBefore = loadavg()[0]!;
  // Warm-up, so the figures are the optimised code's.
  for (let i = 0; i < 20; i++) for (const name of names) run(name);
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<keyof typeof ops, number[]>;
  const perRound = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<keyof typeof ops, number[]>;
  for (let round = 0; round < rounds; round++) {
    for (const name of names) {
      const times = Array.from({ length: BATCHES }, () => run(name));
      samples[name].push(...times);
      perRound[name].push(percentile(times, 50) / 1000);
    }
  }
  const figure = (name: keyof typeof ops): CheckFigure => ({ latency: summarize(samples[name]), roundsUs: ratioSummary(perRound[name]) });
  return {
    facts: figure('facts'),
    plainFacts: figure('plainFacts'),
    tables: figure('tables'),
    addedSameFacts: figure('addedSameFacts'),
    addedOtherWords: figure('addedOtherWords'),
    addedDecoded: figure('addedDecoded'),
    cpuOtherWords: figure('cpuOtherWords'),
    verdictOtherNumber: figure('verdictOtherNumber'),
    verdictOtherWords: figure('verdictOtherWords'),
    loadAverage: [loadBefore, loadavg()[0]!],
  };
}

/** `3.10 µs (IQR 2.90-3.40, 16.1 %, min-max 2.70-4.20, 30 rounds)`. */
export function fmtMicros(figure: CheckFigure): string {
  const r = figure.roundsUs;
  return `${r.median.toFixed(2)} µs (IQR ${r.q1.toFixed(2)}-${r.q3.toFixed(2)}, ${(r.relativeIqr * 100).toFixed(1)} %, min-max ${r.min.toFixed(2)}-${r.max.toFixed(2)}, ${r.rounds} rounds)`;
}

if (require.main === module) {
  const result = runSameQuestionBench();
  const lines = [
    `same-question check, 500-character prompt (median of per-round medians; load average ${result.loadAverage[0].toFixed(2)} -> ${result.loadAverage[1].toFixed(2)}):`,
    `  CPU: asked prompt's facts + TAG (once per request, while the embedding is in flight): ${fmtMicros(result.facts)}`,
    `  CPU: the same, plain words: ${fmtMicros(result.plainFacts)}`,
    `  CPU: of which the in-place verdict's tables (StoredVerdict, in flight too): ${fmtMicros(result.tables)}`,
    `  CPU: facts + the verdict on a neighbour stored with other words: ${fmtMicros(result.cpuOtherWords)}`,
    `  added to the lookup after the embedding, neighbour stored with the same facts (client-side, FT): ${fmtMicros(result.addedSameFacts)}`,
    `  added to the lookup after the embedding, neighbour stored with other words (client-side, FT): ${fmtMicros(result.addedOtherWords)}`,
    `  added to the lookup after the embedding, decoded neighbour (memory): ${fmtMicros(result.addedDecoded)}`,
    `  a further neighbour, another number: ${fmtMicros(result.verdictOtherNumber)}`,
    `  a further neighbour, other words: ${fmtMicros(result.verdictOtherWords)}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
