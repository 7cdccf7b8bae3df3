import type { Embedder } from '../../lambda/core/types';
import { evaluate, memoized } from '../../tools/semantic-eval/evaluate';
import type { EvalPair } from '../../tools/semantic-eval/pairs';

/** Unit vectors chosen per text: "near" is at cosine 0.92 to "base", "far" at 0.6. */
class TableEmbedder implements Embedder {
  readonly modelId = 'table';
  readonly dimensions = 3;
  calls: string[] = [];
  failNext = false;
  private readonly table: Record<string, number[]> = { base: [1, 0, 0], near: [0.92, Math.sqrt(1 - 0.92 ** 2), 0], far: [0.6, 0.8, 0] };

  async embed(text: string): Promise<Float32Array> {
    this.calls.push(text);
    if (this.failNext) {
      this.failNext = false;
      throw new Error('throttled');
    }
    return Float32Array.from(this.table[text] ?? [0, 0, 1]);
  }
}

const pair = (id: string, b: string, label: EvalPair['label']): EvalPair => ({ id, a: 'base', b, label, category: label, split: 'dev' });

describe('evaluate', () => {
  it('stores a, asks b through the runtime and records what b got at each threshold', async () => {
    const runs = await evaluate({
      pairs: [pair('p1', 'near', 'near-miss'), pair('p2', 'far', 'rewording')],
      env: { CACHE_BACKEND: 'memory', EMBEDDING_DIMENSIONS: '256' },
      embedder: new TableEmbedder(),
      thresholds: [0.9, 0.95],
      checks: ['off'],
    });

    expect(runs.map((run) => [run.check, run.threshold, run.outcomes.map((o) => [o.pair.id, o.cache, o.served])])).toEqual([
      ['off', 0.9, [['p1', 'semantic', true], ['p2', 'miss', false]]],
      ['off', 0.95, [['p1', 'miss', false], ['p2', 'miss', false]]],
    ]);
    expect(runs[0]!.outcomes[0]!.similarity).toBeCloseTo(0.92, 5);
  });
});

describe('memoized', () => {
  it('embeds each text once, and again after a failure', async () => {
    const inner = new TableEmbedder();
    const embedder = memoized(inner);
    inner.failNext = true;

    await expect(embedder.embed('base')).rejects.toThrow('throttled');
    await embedder.embed('base');
    await embedder.embed('base');
    await embedder.embed('near');

    expect(inner.calls).toEqual(['base', 'base', 'near']);
  });
});
