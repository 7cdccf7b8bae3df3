import { comparisonsOf, roundDifferenceRatios, roundRatios, trackedRatios, type Round } from '../../bench/standard-hit';

/** A round where each variant's p50 (µs) and hits/s are given. */
function round(figures: Record<string, [number, number]>): Round {
  return Object.fromEntries(Object.entries(figures).map(([id, [p50Us, perSecond]]) => [id, { p50Ns: p50Us * 1000, perSecond }])) as Round;
}

describe('standard-hit ratios', () => {
  // The floor gets slower in round 2 (machine noise); ours moves with it, so the ratio holds.
  const rounds = [
    round({ floor: [50, 20_000], ours: [60, 16_000], langchain: [120, 8_000] }),
    round({ floor: [100, 10_000], ours: [120, 8_000], langchain: [240, 4_000] }),
    round({ floor: [50, 20_000], ours: [65, 15_000], langchain: [130, 7_500] }),
  ];

  it('takes each ratio within a round, so noise common to both sides cancels', () => {
    expect(roundRatios(rounds, 'ours', 'floor', 'p50Ns')).toEqual([1.2, 1.2, 1.3]);
    expect(roundRatios(rounds, 'floor', 'ours', 'perSecond')).toEqual([1.25, 1.25, 20_000 / 15_000]);
  });

  it('takes what one variant adds over another as a multiple of the floor, round by round', () => {
    const handlerRounds = [round({ floor: [50, 1], handler: [90, 1], 'handler-quiet': [70, 1] }), round({ floor: [100, 1], handler: [180, 1], 'handler-quiet': [140, 1] }), round({ floor: [50, 1], handler: [90, 1] })];
    expect(roundDifferenceRatios(handlerRounds, 'handler', 'handler-quiet', 'floor', 'p50Ns')).toEqual([0.4, 0.4]);
  });

  it('skips rounds where a variant did not run', () => {
    expect(roundRatios([...rounds, round({ floor: [50, 20_000] })], 'ours', 'floor', 'p50Ns')).toHaveLength(3);
  });

  it('compares with LangChain by p50 at concurrency 1 and by hits/s at 64', () => {
    const [serial] = comparisonsOf(1, rounds);
    expect(serial!.id).toBe('langchain-p50-over-ours');
    expect(serial!.ratio.median).toBe(2);
    const [concurrent] = comparisonsOf(64, rounds);
    expect(concurrent!.id).toBe('ours-per-second-over-langchain');
    expect(concurrent!.ratio.median).toBe(2);
    expect(comparisonsOf(1, [round({ floor: [50, 1] })])).toEqual([]);
  });

  it('tracks every variant against the floor plus the comparison, never the floor itself', () => {
    const handlerRounds = rounds.map((r) => ({ ...r, handler: { p50Ns: r.floor!.p50Ns * 1.4, perSecond: 1 } }));
    const tracked = trackedRatios(1, handlerRounds, ['floor', 'ours', 'langchain', 'handler']);
    expect(tracked.map((summary) => summary.median)).toEqual([1.2, 2.4, expect.closeTo(1.4) as number, 2]);
    // At 64 the floor ratio is time per hit (floor hits/s / variant hits/s).
    expect(trackedRatios(64, rounds, ['floor', 'ours']).map((summary) => summary.median)).toEqual([1.25, 2]);
  });
});
