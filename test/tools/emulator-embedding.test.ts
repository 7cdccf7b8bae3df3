import { cosineSimilarity, lexicalEmbedding, tokenize } from '../../tools/bedrock-emulator/embedding';

const VEGAS = 'Where is Las Vegas?';
const DIMENSIONS = [256, 512, 1024] as const;

function cos(a: string, b: string, dimensions: number): number {
  return cosineSimilarity(lexicalEmbedding(a, dimensions), lexicalEmbedding(b, dimensions));
}

describe('the emulator lexical embedding', () => {
  it.each(DIMENSIONS)('rates "Where is Vegas?" at least 0.90 similar to "Where is Las Vegas?" at %i dimensions', (d) => {
    expect(cos(VEGAS, 'Where is Vegas?', d)).toBeGreaterThanOrEqual(0.9);
  });

  it.each(DIMENSIONS)('rates "Where is Paris?" below 0.90 similar to "Where is Las Vegas?" at %i dimensions', (d) => {
    expect(cos(VEGAS, 'Where is Paris?', d)).toBeLessThan(0.9);
  });

  it.each(DIMENSIONS)('rates an unrelated prompt at most 0.5 similar at %i dimensions', (d) => {
    expect(cos(VEGAS, 'How do I bake bread?', d)).toBeLessThanOrEqual(0.5);
  });

  it.each(DIMENSIONS)('returns unit-length vectors of exactly %i dimensions', (d) => {
    const v = lexicalEmbedding('Explain quantum computing in simple terms', d);
    expect(v).toHaveLength(d);
    expect(Math.hypot(...v)).toBeCloseTo(1, 10);
  });

  it('returns an identical vector for identical text', () => {
    expect(lexicalEmbedding(VEGAS, 1024)).toEqual(lexicalEmbedding(VEGAS, 1024));
  });

  it('ignores case and punctuation', () => {
    expect(cos(VEGAS, 'where is las vegas', 512)).toBeCloseTo(1, 10);
  });

  it('returns a zero vector for text without letters or digits', () => {
    expect(lexicalEmbedding('?!', 256).every((x) => x === 0)).toBe(true);
  });

  it('splits text into lower-cased words', () => {
    expect(tokenize("Where's LAS-Vegas?")).toEqual(['wheres', 'las', 'vegas']);
  });
});
