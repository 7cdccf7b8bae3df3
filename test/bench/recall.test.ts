import { agreementAt, bruteForceCheckedTruth, checkEffectAt, corpusIndexOf, infoFields, type CheckedTruth, type QueryOutcome } from '../../bench/recall';
import type { RecallSet } from '../../tools/recall-data/dataset';
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
    expect(agreementAt(outcomes, 0.9)).toEqual({ threshold: 0.9, eligible: 4, agree: 2, noHit: 2, worse: 0, unexpected: 0, ratio: 0.5 });
    expect(agreementAt(outcomes, 0.8)).toEqual({ threshold: 0.8, eligible: 5, agree: 2, noHit: 1, worse: 2, unexpected: 0, ratio: 0.4 });
  });

  it('does not take a clearly less similar answer for a tie', () => {
    expect(agreementAt([outcome([1, 0.9], [2, 0.899])], 0.8).worse).toBe(1);
  });

  it('counts an answer above the threshold where the truth has none as unexpected, outside the ratio', () => {
    const none = { index: -1, similarity: -Infinity };
    const agreement = agreementAt([{ truth: none, found: { index: 3, similarity: 0.85 } }, { truth: none, found: { index: 4, similarity: 0.75 } }, outcome([1, 0.9], [1, 0.9])], 0.8);

    expect(agreement).toEqual({ threshold: 0.8, eligible: 1, agree: 1, noHit: 0, worse: 0, unexpected: 1, ratio: 1 });
  });

  it('is 1 when no query is eligible', () => {
    expect(agreementAt([outcome([1, 0.5], null)], 0.8)).toEqual({ threshold: 0.8, eligible: 0, agree: 0, noHit: 0, worse: 0, unexpected: 0, ratio: 1 });
  });
});

/** A unit vector in the plane at `degrees` from the x axis (cosine similarity of two: cos of the angle between). */
const unit = (degrees: number): Float32Array => new Float32Array([Math.cos((degrees * Math.PI) / 180), Math.sin((degrees * Math.PI) / 180)]);

describe('bruteForceCheckedTruth', () => {
  // cos 10 deg = 0.985, cos 20 deg = 0.940, cos 30 deg = 0.866, cos 60 deg = 0.5
  const set: RecallSet = {
    model: 'test',
    dimensions: 2,
    seed: 0,
    source: 'test',
    corpus: ['Set the timeout to 30 seconds', 'Set the timeout to 60 seconds', 'Set the timeout to 90 seconds', 'How do I list files?'],
    queries: [
      { text: 'Set the timeout to 60 seconds.', from: 1 }, // nearest has another number: the check moves it
      { text: 'Set the timeout to 45 seconds', from: 0 }, // no stored number matches: no answer
      { text: 'How can I list files?', from: 3 }, // the nearest is the same question
    ],
    corpusVectors: [unit(0), unit(20), unit(60), unit(90)],
    queryVectors: [unit(5), unit(2), unit(85)],
  };

  it('answers the nearest neighbour above the floor that the check accepts, beside the plain nearest', () => {
    const [moved, rejected, same] = bruteForceCheckedTruth(set, 4, 0.8);

    expect(moved!.plain.index).toBe(0);
    expect(moved!.checked.index).toBe(1);
    expect(moved!.checked.similarity).toBeCloseTo(Math.cos((15 * Math.PI) / 180), 6);
    expect(rejected!.plain.index).toBe(0);
    expect(rejected!.checked).toEqual({ index: -1, similarity: -Infinity });
    expect(same!.checked).toEqual(same!.plain);
    expect(same!.plain.index).toBe(3);
  });

  it('considers only the first `size` sentences and neighbours at or above the floor', () => {
    const [moved] = bruteForceCheckedTruth(set, 1, 0.8);
    expect(moved!.checked.index).toBe(-1);

    const [far] = bruteForceCheckedTruth(set, 4, 0.97); // the 60 is at cos 15 deg = 0.966
    expect(far!.checked.index).toBe(-1);
  });
});

describe('checkEffectAt', () => {
  const truth = (plain: [number, number], checked: [number, number]): CheckedTruth => ({
    plain: { index: plain[0], similarity: plain[1] },
    checked: { index: checked[0], similarity: checked[1] },
  });
  const truths = [
    truth([1, 0.95], [1, 0.95]), // accepted
    truth([2, 0.95], [7, 0.95 - 5e-5]), // an equally similar one accepted: not a change
    truth([3, 0.93], [8, 0.91]), // moved to another above 0.9
    truth([4, 0.92], [-1, -Infinity]), // rejected, nothing else: a miss
    truth([5, 0.85], [9, 0.81]), // eligible at 0.8 only: moved
    truth([6, 0.7], [-1, -Infinity]), // below both thresholds: not counted
  ];

  it('counts the plain nearest neighbours above the threshold the check rejected, and how many moved to another', () => {
    expect(checkEffectAt(truths, 0.9)).toEqual({ threshold: 0.9, eligible: 4, changed: 2, moved: 1 });
    expect(checkEffectAt(truths, 0.8)).toEqual({ threshold: 0.8, eligible: 5, changed: 3, moved: 2 });
  });
});

describe('corpusIndexOf', () => {
  it('reads the corpus index after the document prefix and the recall namespace', () => {
    expect(corpusIndexOf('llmcache:sem:v1:s3:m:512:default:1234', 'llmcache:sem:v1:s3:m:512:')).toBe(1234);
  });

  it.each(['other:1', 'llmcache:sem:v1:s3:m:512:1234', 'llmcache:sem:v1:s3:m:512:default:x', 'llmcache:sem:v1:s3:m:512:default:1.5', 'llmcache:sem:v1:s3:m:512:default:'])('is -1 for %s', (key) => {
    expect(corpusIndexOf(key, 'llmcache:sem:v1:s3:m:512:')).toBe(-1);
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
          agreement: { threshold: 0.8, eligible: 996, agree: 995, noHit: 1, worse: 0, unexpected: 0, ratio: 995 / 996 },
          latency: summarize([700_000, 800_000]),
          floor: summarize([50_000, 50_000]),
          vsFloor: ratioSummary([14, 16, 15]),
        },
        {
          entries: 10_000,
          threshold: 0.8,
          check: 'on',
          agreement: { threshold: 0.8, eligible: 840, agree: 839, noHit: 0, worse: 1, unexpected: 0, ratio: 839 / 840 },
          effect: { threshold: 0.8, eligible: 996, changed: 161, moved: 5 },
          latency: summarize([900_000, 1_000_000]),
          floor: summarize([50_000, 50_000]),
          vsFloor: ratioSummary([18, 20, 19]),
        },
      ],
    };

    const lines = formatRecall(result).split('\n');

    expect(lines[0]).toContain('on valkey 8.1.1');
    // a row written before the check was measured reads as check off
    expect(lines[2]).toMatch(/^\s+10000 \|\s+0\.80 \| off\s+\| 99\.90 % \(995\/996\) \| 1 \/ 0 \/ 0 \| - \| 15\.00 x \(IQR 14\.00-16\.00, 13\.3 %\) \| 0\.700 \| 0\.800 \| 0\.050$/);
    expect(lines[3]).toMatch(/^\s+10000 \|\s+0\.80 \| on\s+\| 99\.88 % \(839\/840\) \| 0 \/ 1 \/ 0 \| 161 of 996 \(5\) \| 19\.00 x \(IQR 18\.00-20\.00, 10\.5 %\) \| 0\.900 \| 1\.000 \| 0\.050$/);
  });
});
