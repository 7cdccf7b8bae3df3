import { InvokeModelCommand, type BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { createBedrockRuntimeClient, EMULATOR_DUMMY_CREDENTIALS } from '../../../lambda/bedrock/clients';
import { createEmbedder } from '../../../lambda/bedrock';
import { TITAN_MAX_INPUT_CHARS, TitanEmbedder, truncateForTitan } from '../../../lambda/bedrock/titan-embedder';
import { ConfigurationError, ModelError } from '../../../lambda/core/errors';
import { startBedrockEmulator, type BedrockEmulator } from '../../../tools/bedrock-emulator/server';

let emulator: BedrockEmulator;
let client: BedrockRuntimeClient;

beforeAll(async () => {
  emulator = await startBedrockEmulator();
  client = createBedrockRuntimeClient({ endpoint: emulator.url, credentials: EMULATOR_DUMMY_CREDENTIALS, maxAttempts: 1 });
});

afterEach(() => emulator.reset());

afterAll(async () => {
  client.destroy();
  await emulator.close();
});

async function rejection(promise: Promise<unknown>): Promise<ModelError> {
  try {
    await promise;
  } catch (error) {
    return error as ModelError;
  }
  throw new Error('expected a rejection');
}

/** A client whose InvokeModel returns `reply` as the body. */
function replying(reply: string): BedrockRuntimeClient {
  return { send: async (command: unknown) => (command instanceof InvokeModelCommand ? { body: new TextEncoder().encode(reply) } : undefined) } as unknown as BedrockRuntimeClient;
}

describe('TitanEmbedder', () => {
  it.each([256, 512, 1024])('returns a unit-length Float32Array of %i dimensions', async (dimensions) => {
    const vector = await new TitanEmbedder(client, { dimensions }).embed('Where is Las Vegas?');
    expect(vector).toBeInstanceOf(Float32Array);
    expect(vector).toHaveLength(dimensions);
    expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
  });

  it('returns the same vector for the same text', async () => {
    const embedder = new TitanEmbedder(client, { dimensions: 256 });
    expect(await embedder.embed('Where is Las Vegas?')).toEqual(await embedder.embed('Where is Las Vegas?'));
  });

  it('defaults to amazon.titan-embed-text-v2:0 with 1024 dimensions', () => {
    expect(new TitanEmbedder(client)).toMatchObject({ modelId: 'amazon.titan-embed-text-v2:0', dimensions: 1024 });
  });

  it('calls InvokeModel on the Titan V2 model', async () => {
    await new TitanEmbedder(client, { dimensions: 256 }).embed('hi');
    expect(emulator.calls).toMatchObject({ embed: 1, byModel: { 'amazon.titan-embed-text-v2:0': 1 } });
  });

  it.each([0, 128, 300, 1536])('rejects %i dimensions at construction with a ConfigurationError', (dimensions) => {
    expect(() => new TitanEmbedder(client, { dimensions })).toThrow(ConfigurationError);
  });

  it('rejects a model that is not Titan Text Embeddings V2 at construction', () => {
    expect(() => new TitanEmbedder(client, { modelId: 'cohere.embed-english-v3' })).toThrow(ConfigurationError);
  });

  it('embeds input longer than 50,000 characters by truncating it', async () => {
    const vector = await new TitanEmbedder(client, { dimensions: 256 }).embed('word '.repeat(20_000));
    expect(vector).toHaveLength(256);
  });

  it('raises a ModelError when the reply has the wrong length', async () => {
    const embedder = new TitanEmbedder(replying(JSON.stringify({ embedding: [0.6, 0.8], inputTextTokenCount: 1 })), { dimensions: 256 });
    expect(await rejection(embedder.embed('hi'))).toMatchObject({ code: 'ModelError' });
  });

  it('raises a ModelError when the reply is not JSON', async () => {
    const embedder = new TitanEmbedder(replying('<html>'), { dimensions: 256 });
    expect(await rejection(embedder.embed('hi'))).toBeInstanceOf(ModelError);
  });

  it('raises a retryable ModelThrottled for a throttled call', async () => {
    emulator.failNext(1, 'ThrottlingException', { operation: 'embed' });
    expect(await rejection(new TitanEmbedder(client, { dimensions: 256 }).embed('hi'))).toMatchObject({ code: 'ModelThrottled', retryable: true });
  });

  it('raises ModelValidation for input Bedrock rejects', async () => {
    expect(await rejection(new TitanEmbedder(client, { dimensions: 256 }).embed(''))).toMatchObject({ code: 'ModelValidation', retryable: false });
  });
});

describe('truncateForTitan', () => {
  it('keeps text of up to 50,000 characters unchanged', () => {
    const text = 'a'.repeat(TITAN_MAX_INPUT_CHARS);
    expect(truncateForTitan(text)).toBe(text);
  });

  it('cuts longer text to its first 50,000 characters', () => {
    expect(truncateForTitan('a'.repeat(TITAN_MAX_INPUT_CHARS + 10))).toHaveLength(TITAN_MAX_INPUT_CHARS);
  });

  it('does not split a surrogate pair at the cut', () => {
    const text = `${'a'.repeat(TITAN_MAX_INPUT_CHARS - 1)}😀tail`;
    expect(truncateForTitan(text)).toBe('a'.repeat(TITAN_MAX_INPUT_CHARS - 1));
  });
});

describe('createEmbedder', () => {
  it('validates the configured dimensions at startup', () => {
    expect(() => createEmbedder({ embeddingModelId: 'amazon.titan-embed-text-v2:0', embeddingDimensions: 768 })).toThrow(ConfigurationError);
  });
});
