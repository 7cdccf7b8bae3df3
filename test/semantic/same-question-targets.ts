/**
 * The issue's targets for the same-question check, on real embeddings (USE lite, 512 dimensions)
 * and the held-out split of eval/semantic/pairs.jsonl, through the real runtime (config ->
 * backend -> index -> LlmCache) at the default threshold: for each pair, `a`'s answer is stored
 * in a namespace of its own and `b` is asked.
 *
 * Until the runtime has the check (`SEMANTIC_CHECK`), only the check-off measurements run: they
 * show that without it the index serves near-misses exactly as brute-force cosine says.
 *
 * The fresh pairs (eval/semantic/fresh.jsonl, written after the check was tuned) and the pairs of
 * the first blind set (eval/semantic/fresh-heldout.jsonl, used once blind, then to tune the word
 * lists) run beside them: zero literal near-misses and at most 5 % of swaps served on each set; the
 * rewording hits kept on the held-out split and the fresh pairs. On fresh-heldout.jsonl the check
 * keeps 94.3 % of the rewording hits at 0.9 (33 of 35: "pack" / "bring" and "loan" / "borrow" need
 * word knowledge no general list gives), reported by `npm run eval:semantic` and the README, not
 * asserted.
 *
 * The five later blind sets (eval/semantic/blind-2.jsonl to blind-6.jsonl, each run blind once,
 * then used to tune: eval/semantic/FRESH.md) run beside them too, with the same literal and swap
 * targets; their rewording hits kept (95.2 %, 93.4 %, 89.6 %, 90.2 % and 92.5 % at 0.9) are
 * reported, not asserted.
 */
import type { ContractTarget } from '../contract/cache-contract';
import { cosine, realEmbeddings, REAL_EMBEDDING_DIMENSIONS } from '../support/real-embeddings';
import { evaluate, runtimeHasCheck } from '../../tools/semantic-eval/evaluate';
import { join } from 'node:path';
import { isLiteralCategory, loadPairs, type EvalPair } from '../../tools/semantic-eval/pairs';
import { tally, type EvalRun } from '../../tools/semantic-eval/report';
import type { PairOutcome } from '../../tools/semantic-eval/run-pairs';

/** The runtime's default threshold (SEMANTIC_THRESHOLD). */
const THRESHOLD = 0.9;
/** Pairs within this of the threshold are left out of the brute-force comparison (float rounding in the index). */
const ROUNDING = 1e-4;

const HAS_CHECK = runtimeHasCheck();

export function describeSameQuestionTargets(name: string, start: () => Promise<ContractTarget>): void {
  describe(`same-question targets on real embeddings, held-out split: ${name}`, () => {
    const heldout = loadPairs().filter((pair) => pair.split === 'heldout');
    const fresh = loadPairs(join(__dirname, '..', '..', 'eval', 'semantic', 'fresh.jsonl'));
    const freshHeldout = loadPairs(join(__dirname, '..', '..', 'eval', 'semantic', 'fresh-heldout.jsonl'));
    const blind2 = loadPairs(join(__dirname, '..', '..', 'eval', 'semantic', 'blind-2.jsonl'));
    const blind3 = loadPairs(join(__dirname, '..', '..', 'eval', 'semantic', 'blind-3.jsonl'));
    const blind4 = loadPairs(join(__dirname, '..', '..', 'eval', 'semantic', 'blind-4.jsonl'));
    const blind5 = loadPairs(join(__dirname, '..', '..', 'eval', 'semantic', 'blind-5.jsonl'));
    const blind6 = loadPairs(join(__dirname, '..', '..', 'eval', 'semantic', 'blind-6.jsonl'));
    const all: EvalPair[] = [...heldout, ...fresh, ...freshHeldout, ...blind2, ...blind3, ...blind4, ...blind5, ...blind6];
    const inSet = (pairs: readonly EvalPair[]) => {
      const ids = new Set(pairs.map((pair) => pair.id));
      return (o: PairOutcome) => ids.has(o.pair.id);
    };
    const isHeldout = inSet(heldout);
    const isFresh = inSet(fresh);
    const isFreshHeldout = inSet(freshHeldout);
    const isBlind2 = inSet(blind2);
    const isBlind3 = inSet(blind3);
    const isBlind4 = inSet(blind4);
    const isBlind5 = inSet(blind5);
    const isBlind6 = inSet(blind6);
    const embeddings = realEmbeddings();
    const similarity = new Map<string, number>();
    let off: EvalRun;
    let on: EvalRun | undefined;

    beforeAll(async () => {
      const target = await start();
      try {
        const vectors = await embeddings.embedAll(all.flatMap((pair) => [pair.a, pair.b]));
        all.forEach((pair, i) => similarity.set(pair.id, cosine(vectors[2 * i]!, vectors[2 * i + 1]!)));
        const runs = await evaluate({
          pairs: all,
          env: { ...target.env, EMBEDDING_DIMENSIONS: String(REAL_EMBEDDING_DIMENSIONS), CACHE_TIMEOUT_MS: '2000', CACHE_CONNECT_TIMEOUT_MS: '3000' },
          embedder: embeddings.embedder(),
          thresholds: [THRESHOLD],
          checks: HAS_CHECK ? ['off', 'on'] : ['off'],
          concurrency: 4,
        });
        off = runs.find((run) => run.check === 'off')!;
        on = runs.find((run) => run.check === 'on');
      } finally {
        await target.stop();
      }
    }, 180_000);

    const served = (run: EvalRun, filter: (o: PairOutcome) => boolean): PairOutcome[] => run.outcomes.filter((o) => filter(o) && o.served);

    it('measures every pair: no request skipped the cache', () => {
      expect(off.outcomes).toHaveLength(all.length);
      expect(tally(off.outcomes).faults).toBe(0);
      if (on) expect(tally(on.outcomes).faults).toBe(0);
    });

    it('without the check, serves exactly the pairs whose cosine clears the threshold (the index is not the filter)', () => {
      const compared = off.outcomes.filter((o) => Math.abs(similarity.get(o.pair.id)! - THRESHOLD) > ROUNDING);

      const disagreeing = compared.filter((o) => o.served !== similarity.get(o.pair.id)! >= THRESHOLD).map((o) => o.pair.id);

      expect(disagreeing).toEqual([]);
      // The set is hard: without the check most literal near-misses get the other question's answer.
      expect(tally(off.outcomes, (o) => isHeldout(o) && o.pair.label === 'near-miss' && isLiteralCategory(o.pair.category)).served).toBeGreaterThan(40);
    });

    const withCheck = HAS_CHECK ? it : it.skip;

    withCheck('never answers a near-miss that differs in a number, negation, quoted text, address, path or identifier (held-out, fresh, fresh-heldout and the five blind sets)', () => {
      const wrong = served(on!, (o) => o.pair.label === 'near-miss' && isLiteralCategory(o.pair.category)).map((o) => `${o.pair.id}: ${o.pair.b}`);

      expect(wrong).toEqual([]);
    });

    withCheck.each([
      ['held-out', isHeldout],
      ['fresh', isFresh],
      ['fresh-heldout', isFreshHeldout],
      ['blind-2', isBlind2],
      ['blind-3', isBlind3],
      ['blind-4', isBlind4],
      ['blind-5', isBlind5],
      ['blind-6', isBlind6],
    ])('answers at most 5 %% of unit, entity, antonym and order swaps (%s pairs)', (_set, inThisSet) => {
      const swaps = (o: PairOutcome) => inThisSet(o) && o.pair.label === 'near-miss' && !isLiteralCategory(o.pair.category);
      const t = tally(on!.outcomes, swaps);

      expect(t.pairs).toBeGreaterThan(10);
      expect(t.served / t.pairs).toBeLessThanOrEqual(0.05);
    });

    withCheck.each([
      ['held-out', isHeldout],
      ['fresh', isFresh],
    ])('keeps at least 95 %% of the rewording hits (%s pairs)', (_set, inThisSet) => {
      const rewording = (o: PairOutcome) => inThisSet(o) && o.pair.label === 'rewording';

      expect(served(on!, rewording).length).toBeGreaterThanOrEqual(0.95 * served(off, rewording).length);
    });

    withCheck('says why: every near-miss the index found and the check turned away is a miss with semanticRejected', () => {
      const found = off.outcomes.filter((o) => o.pair.label === 'near-miss' && o.served).map((o) => o.pair.id);
      const turnedAway = on!.outcomes.filter((o) => found.includes(o.pair.id) && !o.served);

      for (const o of turnedAway) {
        expect(o.cache).toBe('miss');
        expect(o.rejected).toEqual({ reason: expect.stringMatching(/^[a-z]+(-[a-z]+)*$/), similarity: expect.any(Number) });
        expect(o.rejected!.similarity).toBeGreaterThanOrEqual(THRESHOLD);
      }
      expect(turnedAway.length).toBeGreaterThan(0);
    });
  });
}
