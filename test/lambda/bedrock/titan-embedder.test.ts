import { InvokeModelCommand, type BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { createBedrockRuntimeClient, EMULATOR_DUMMY_CREDENTIALS } from '../../../lambda/bedrock/clients';
import { createEmbedder } from '../../../lambda/bedrock';
import { TITAN_MAX_INPUT_CHARS, TitanEmbedder } from '../../../lambda/bedrock/titan-embedder';
import { ConfigurationError, EmbeddingInputTooLongError, ModelError } from '../../../lambda/core/errors';
import { startBedrockEmulator, type BedrockEmulator } from '../../../tools/bedrock-emulator/server';
import { rejectionOf } from '../../support/rejection';

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


  it('raises a ModelError when the reply has the wrong length', async () => {
    const embedder = new TitanEmbedder(replying(JSON.stringify({ embedding: [0.6, 0.8], inputTextTokenCount: 1 })), { dimensions: 256 });
    expect(await rejectionOf(embedder.embed('hi'))).toMatchObject({ code: 'ModelError' });
  });

  it('raises a ModelError when the reply is not JSON', async () => {
    const embedder = new TitanEmbedder(replying('<html>'), { dimensions: 256 });
    expect(await rejectionOf(embedder.embed('hi'))).toBeInstanceOf(ModelError);
  });

  it('raises a retryable ModelThrottled for a throttled call', async () => {
    emulator.failNext(1, 'ThrottlingException', { operation: 'embed' });
    expect(await rejectionOf(new TitanEmbedder(client, { dimensions: 256 }).embed('hi'))).toMatchObject({ code: 'ModelThrottled', retryable: true });
  });

  it('raises ModelValidation for input Bedrock rejects', async () => {
    expect(await rejectionOf(new TitanEmbedder(client, { dimensions: 256 }).embed(''))).toMatchObject({ code: 'ModelValidation', retryable: false });
  });
});

/** A text of `length` characters: a shared context, then a question of its own. */
function longPrompt(context: string, question: string, length: number): string {
  return `${context}${question}`.padEnd(length, ' ?');
}

describe('TitanEmbedder deadline', () => {
  it('gives up on a stalled embedding after its own timeout, as a retryable ModelTimeout', async () => {
    emulator.embeddingLatencyMs = 3_000;
    const started = performance.now();

    const error = await rejectionOf<ModelError>(new TitanEmbedder(client, { dimensions: 256, timeoutMs: 200 }).embed('Where is Las Vegas?')).finally(() => {
      emulator.embeddingLatencyMs = 0;
    });

    expect(error).toBeInstanceOf(ModelError);
    expect(error.code).toBe('ModelTimeout');
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('TitanEmbedder never embeds a prefix', () => {
  const context = 'Background: the quarterly report, section by section. '.repeat(1_100).slice(0, 55_000);

  it('refuses two 60,000-character prompts that share a 55,000-character prefix, before any call', async () => {
    const embedder = new TitanEmbedder(client, { dimensions: 256 });
    const a = longPrompt(context, 'Question A: what was the revenue?', 60_000);
    const b = longPrompt(context, 'Question B: who is the auditor?', 60_000);
    expect(await rejectionOf(embedder.embed(a))).toBeInstanceOf(EmbeddingInputTooLongError);
    expect(await rejectionOf(embedder.embed(b))).toMatchObject({ code: 'EmbeddingInputTooLong' });
    expect(emulator.calls.embed).toBe(0);
  });

  it(`embeds text of exactly ${TITAN_MAX_INPUT_CHARS.toLocaleString('en-US')} characters when Bedrock accepts it`, async () => {
    const embedder = new TitanEmbedder(replying(JSON.stringify({ embedding: Array.from({ length: 256 }, () => 1 / 16) })), { dimensions: 256 });
    expect(await embedder.embed('a'.repeat(TITAN_MAX_INPUT_CHARS))).toHaveLength(256);
  });

  it('refuses one character more than the limit', async () => {
    const embedder = new TitanEmbedder(replying('{}'), { dimensions: 256 });
    expect(await rejectionOf(embedder.embed('a'.repeat(TITAN_MAX_INPUT_CHARS + 1)))).toBeInstanceOf(EmbeddingInputTooLongError);
  });

  it("turns Bedrock's too-many-tokens ValidationException into EmbeddingInputTooLongError", async () => {
    emulator.failNext(1, 'ValidationException', {
      operation: 'embed',
      message: '400 Bad Request: Too many input tokens. Max input tokens: 8192, request input token count: 9875 ',
    });
    const error = await rejectionOf<ModelError>(new TitanEmbedder(client, { dimensions: 256 }).embed('short enough in characters'));
    expect(error).toBeInstanceOf(EmbeddingInputTooLongError);
    expect((error.cause as Error).name).toBe('ValidationException');
  });

  it('turns the emulated token limit (text under 50,000 characters, over 8,192 tokens) into EmbeddingInputTooLongError', async () => {
    const error = await rejectionOf<ModelError>(new TitanEmbedder(client, { dimensions: 256 }).embed('word '.repeat(9_000)));
    expect(error).toBeInstanceOf(EmbeddingInputTooLongError);
    expect(emulator.calls.embed).toBe(1);
  });

  it('keeps other ValidationExceptions as ModelValidation', async () => {
    emulator.failNext(1, 'ValidationException', { operation: 'embed', message: 'Malformed input request: #/dimensions: 300 is not a valid enum value' });
    expect(await rejectionOf(new TitanEmbedder(client, { dimensions: 256 }).embed('hi'))).toMatchObject({ code: 'ModelValidation' });
  });
});

describe('createEmbedder', () => {
  it('validates the configured dimensions at startup', () => {
    expect(() => createEmbedder({ embeddingModelId: 'amazon.titan-embed-text-v2:0', embeddingDimensions: 768 })).toThrow(ConfigurationError);
  });
});
