import { fmtRatio, median, percentile, ratioSummary, settled, summarize } from '../../bench/stats';

describe('bench stats', () => {
  it('takes nearest-rank percentiles of unsorted samples', () => {
    const samples = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(samples, 50)).toBe(5);
    expect(percentile(samples, 90)).toBe(9);
    expect(percentile(samples, 99)).toBe(10);
    expect(percentile(samples, 100)).toBe(10);
    expect(percentile(samples, 1)).toBe(1);
  });

  it('p99 of 1000 samples is the 990th smallest', () => {
    const samples = Array.from({ length: 1000 }, (_, i) => 1000 - i);
    expect(percentile(samples, 99)).toBe(990);
    expect(percentile(samples, 50)).toBe(500);
  });

  it('handles one sample, no samples and bad percentiles', () => {
    expect(percentile([7], 50)).toBe(7);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  it('does not reorder the caller array', () => {
    const samples = [3, 1, 2];
    percentile(samples, 50);
    expect(samples).toEqual([3, 1, 2]);
  });

  it('summarises nanoseconds in milliseconds with operations per second of wall time', () => {
    const samplesNs = Array.from({ length: 100 }, (_, i) => (i + 1) * 1_000_000);
    const summary = summarize(samplesNs, 2_000_000_000);
    expect(summary.n).toBe(100);
    expect(summary.p50Ms).toBe(50);
    expect(summary.p99Ms).toBe(99);
    expect(summary.meanMs).toBeCloseTo(50.5);
    expect(summary.maxMs).toBe(100);
    expect(summary.perSecond).toBeCloseTo(50);
    expect(summarize([1]).perSecond).toBeUndefined();
  });

  it('medians a few values', () => {
    expect(median([30, 10, 20])).toBe(20);
  });

  it('summarises per-round ratios by median, quartiles and range', () => {
    const summary = ratioSummary([1.3, 1.0, 1.2, 1.1, 2.0, 1.15, 1.25, 1.05]);
    expect(summary.rounds).toBe(8);
    expect(summary.median).toBe(1.15);
    expect(summary.q1).toBe(1.05);
    expect(summary.q3).toBe(1.25);
    expect(summary.min).toBe(1.0);
    expect(summary.max).toBe(2.0);
    expect(summary.relativeIqr).toBeCloseTo(0.2 / 1.15);
  });

  it('gives NaN figures for no rounds, so nothing reads as measured', () => {
    const summary = ratioSummary([]);
    expect(summary.rounds).toBe(0);
    expect(summary.median).toBeNaN();
    expect(fmtRatio(summary)).toBe('n/a');
  });

  it('calls ratios settled only with enough rounds and every IQR under the limit', () => {
    const tight = ratioSummary([1.0, 1.01, 1.02, 0.99, 1.0]);
    const wide = ratioSummary([1.0, 1.5, 0.7, 1.2, 0.9]);
    expect(settled([tight], 5, 0.1)).toBe(true);
    expect(settled([tight, wide], 5, 0.1)).toBe(false);
    expect(settled([ratioSummary([1, 1, 1, 1])], 5, 0.1)).toBe(false);
  });

  it('prints a ratio with its interquartile range', () => {
    expect(fmtRatio(ratioSummary([1.2, 1.1, 1.3, 1.2]))).toBe('1.20 x (IQR 1.10-1.20, 8.3 %)');
  });
});
