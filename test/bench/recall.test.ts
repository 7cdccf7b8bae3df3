import { agreementAt, corpusIndexOf, infoFields, type QueryOutcome } from '../../bench/recall';
import { formatRecall, type RecallBenchResult } from '../../bench/recall-bench';
import { ratioSummary, summarize } from '../../bench/stats';

const outcome = (truth: [number, number], found: [number, number] | null): QueryOutcome => ({
  truth: { index: truth[0], similarity: truth[1] },
  found: found === null ? null : { index: found[0], similarity: found[1] },
});

describe('agreementAt', () => {
  const outcomes = [
    outcome([1, 0.95], [1, 0.95]), // agrees
    outcome([2, 0.91], [7, 0.91 - 5e-5]), // another sentence exactly as similar: agrees
    outcome([3, 0.92], null), // the engine found nothing: no hit
    outcome([4, 0.93], [8, 0.85]), // found one, but below 0.9: no hit at 0.9, worse at 0.8
    outcome([5, 0.85], [9, 0.82]), // eligible at 0.8 only: worse
    outcome([6, 0.7], null), // nearest neighbour below both thresholds: not counted
  ];

  it('counts only queries whose true nearest neighbour clears the threshold', () => {
    expect(agreementAt(outcomes, 0.9).eligible).toBe(4);
    expect(agreementAt(outcomes, 0.8).eligible).toBe(5);
  });

  it('splits the disagreements into lost hits and less similar answers', () => {
    expect(agreementAt(outcomes, 0.9)).toEqual({ threshold: 0.9, eligible: 4, agree: 2, noHit: 2, worse: 0, ratio: 0.5 });
    expect(agreementAt(outcomes, 0.8)).toEqual({ threshold: 0.8, eligible: 5, agree: 2, noHit: 1, worse: 2, ratio: 0.4 });
  });

  it('does not take a clearly less similar answer for a tie', () => {
    expect(agreementAt([outcome([1, 0.9], [2, 0.899])], 0.8).worse).toBe(1);
  });

  it('is 1 when no query is eligible', () => {
    expect(agreementAt([outcome([1, 0.5], null)], 0.8)).toEqual({ threshold: 0.8, eligible: 0, agree: 0, noHit: 0, worse: 0, ratio: 1 });
  });
});

describe('corpusIndexOf', () => {
  it('reads the corpus index after the document prefix', () => {
    expect(corpusIndexOf('llmcache:sem:v1:s2:m:512:1234', 'llmcache:sem:v1:s2:m:512:')).toBe(1234);
  });

  it.each(['other:1', 'llmcache:sem:v1:s2:m:512:x', 'llmcache:sem:v1:s2:m:512:1.5'])('is -1 for %s', (key) => {
    expect(corpusIndexOf(key, 'llmcache:sem:v1:s2:m:512:')).toBe(-1);
  });
});

describe('infoFields', () => {
  it('reads FT.INFO top-level pairs (valkey-search and RediSearch fields)', () => {
    const fields = infoFields(['index_name', 'i', 'num_docs', '10', 'backfill_in_progress', '0', 'mutation_queue_size', '0', 'indexing', '0']);

    expect(fields.get('num_docs')).toBe('10');
    expect(fields.get('backfill_in_progress')).toBe('0');
    expect(fields.get('indexing')).toBe('0');
  });

  it('is empty for a reply that is not a list', () => {
    expect(infoFields('OK').size).toBe(0);
  });
});

describe('formatRecall', () => {
  it('says why the section was skipped', () => {
    const text = formatRecall({ efRuntime: 50, candidates: 4, rows: [], skipped: 'SEARCH_REDIS_URL is not set' });

    expect(text).toContain('EF_RUNTIME 50, KNN 4');
    expect(text).toContain('skipped: SEARCH_REDIS_URL is not set');
  });

  it('prints agreement, the disagreement split, the ratio to the floor and the latencies per size and threshold', () => {
    const result: RecallBenchResult = {
      server: 'valkey 8.1.1',
      efRuntime: 50,
      candidates: 4,
      rows: [
        {
          entries: 10_000,
          threshold: 0.8,
          agreement: { threshold: 0.8, eligible: 996, agree: 995, noHit: 1, worse: 0, ratio: 995 / 996 },
          latency: summarize([700_000, 800_000]),
          floor: summarize([50_000, 50_000]),
          vsFloor: ratioSummary([14, 16, 15]),
        },
      ],
    };

    const lines = formatRecall(result).split('\n');

    expect(lines[0]).toContain('on valkey 8.1.1');
    expect(lines[2]).toMatch(/^\s+10000 \|\s+0\.80 \| 99\.90 % \(995\/996\) \| 1 \/ 0 \| 15\.00 x \(IQR 14\.00-16\.00, 13\.3 %\) \| 0\.700 \| 0\.800 \| 0\.050$/);
  });
});
