import { EvalArgsError, parseEvalArgs } from '../../tools/semantic-eval/args';
import { DEFAULT_PAIRS_FILE, type EvalPair } from '../../tools/semantic-eval/pairs';
import { formatTable, rewordingRetention, tally, type EvalRun } from '../../tools/semantic-eval/report';
import type { PairOutcome } from '../../tools/semantic-eval/run-pairs';

describe('parseEvalArgs', () => {
  it('defaults to the set, the memory backend, the local model, four thresholds and the check on and off', () => {
    expect(parseEvalArgs([])).toEqual({ pairsFile: DEFAULT_PAIRS_FILE, index: 'auto', dimensions: 1024, thresholds: [0.8, 0.85, 0.9, 0.95], checks: ['off', 'on'], splits: ['dev', 'heldout'] });
  });

  it('takes a user\'s pairs with Titan on AWS, a Redis and its index kind', () => {
    const args = parseEvalArgs(['--pairs', 'my.jsonl', '--bedrock', 'aws', '--dimensions', '512', '--redis-url', 'redis://h:6379', '--index', 'search', '--check', 'on', '--thresholds', '0.9', '--split', 'dev']);

    expect(args).toEqual({ pairsFile: 'my.jsonl', bedrock: 'aws', dimensions: 512, redisUrl: 'redis://h:6379', index: 'search', thresholds: [0.9], checks: ['on'], splits: ['dev'] });
  });

  it.each([
    [['--verbose'], /unknown argument --verbose/],
    [['--pairs'], /--pairs needs a value/],
    [['--bedrock', 'gcp'], /--bedrock takes only "aws"/],
    [['--thresholds', '0.9,0'], /--thresholds must be numbers in \(0, 1\]/],
    [['--check', 'maybe'], /--check must be on, off or both/],
    [['--split', 'test'], /--split must be dev, heldout or both/],
    [['--index', 'client'], /--index needs --redis-url/],
    [['--dimensions', '512'], /--dimensions applies to --bedrock aws only/],
  ])('refuses %j with an EvalArgsError', (argv, message) => {
    expect(() => parseEvalArgs(argv)).toThrow(EvalArgsError);
    expect(() => parseEvalArgs(argv)).toThrow(message);
  });
});

describe('the evaluation table', () => {
  const pair = (id: string, label: EvalPair['label'], category: string, split: EvalPair['split']): EvalPair => ({ id, a: `${id} a`, b: `${id} b`, label, category, split });
  const outcome = (p: EvalPair, served: boolean, rejected = false): PairOutcome => ({
    pair: p, threshold: 0.9, cache: served ? 'semantic' : 'miss', served, ...(rejected ? { rejected: { reason: 'number-mismatch', similarity: 0.99 } } : {}),
  });
  const n1 = pair('n1', 'near-miss', 'numbers-year', 'heldout');
  const n2 = pair('n2', 'near-miss', 'numbers-year', 'heldout');
  const s1 = pair('s1', 'near-miss', 'antonym', 'heldout');
  const r1 = pair('r1', 'rewording', 'rewording-filler', 'heldout');
  const r2 = pair('r2', 'rewording', 'rewording-filler', 'dev');
  const off: EvalRun = { check: 'off', threshold: 0.9, outcomes: [outcome(n1, true), outcome(n2, true), outcome(s1, true), outcome(r1, true), outcome(r2, true)] };
  const on: EvalRun = { check: 'on', threshold: 0.9, outcomes: [outcome(n1, false, true), outcome(n2, true), outcome(s1, false, true), outcome(r1, true), outcome(r2, false, true)] };

  it('shows per category and group the share of near-misses served and of rewordings that hit, for the split only', () => {
    const table = formatTable([on, off], 'heldout');

    expect(table.split('\n')).toEqual([
      '| heldout split | pairs | 0.9 check off | 0.9 check on |',
      '|---|---:|---:|---:|',
      '| numbers-year | 2 | 100.0 % | 50.0 % |',
      '| antonym | 1 | 100.0 % | 0.0 % |',
      '| rewording-filler | 1 | 100.0 % | 100.0 % |',
      '| **near-miss: literal (target 0)** | 2 | 100.0 % | 50.0 % |',
      '| **near-miss: swap (target ≤ 5 %)** | 1 | 100.0 % | 0.0 % |',
      '| **rewording (all)** | 1 | 100.0 % | 100.0 % |',
    ]);
  });

  it('counts rejections and compares rewording hits with the check to those without it', () => {
    expect(tally(on.outcomes)).toEqual({ pairs: 5, served: 2, rejected: 3, faults: 0 });
    expect(rewordingRetention(on, off, 'heldout')).toBe(1);
    expect(rewordingRetention(on, off, 'dev')).toBe(0);
    expect(rewordingRetention(on, off, 'all')).toBe(0.5);
  });
});
