import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { createBedrockRuntimeClient, EMULATOR_DUMMY_CREDENTIALS } from '../../../lambda/bedrock/clients';
import { BedrockChatModel } from '../../../lambda/bedrock/converse-model';
import { BedrockStreamingChatModel } from '../../../lambda/bedrock/converse-stream-model';
import { resetBedrockRuntimeClients } from '../../../lambda/bedrock/clients';
import { lazyStreamingChatModel } from '../../../lambda/bedrock/lazy';
import type { ModelStreamChunk, StreamingChatModel } from '../../../lambda/cache/stream-types';
import { ModelError } from '../../../lambda/core/errors';
import type { ConverseRequest } from '../../../lambda/core/types';
import { CUT_AFTER_DELTAS } from '../../../tools/bedrock-emulator/converse-stream';
import { startBedrockEmulator, type BedrockEmulator } from '../../../tools/bedrock-emulator/server';

const MODEL = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';

function request(prompt: string): ConverseRequest {
  return {
    modelId: MODEL,
    system: [{ text: 'Be brief.' }],
    messages: [{ role: 'user', content: [{ text: prompt }] }],
    inferenceConfig: { maxTokens: 512, temperature: 0 },
  };
}

let emulator: BedrockEmulator;
let client: BedrockRuntimeClient;
let model: BedrockStreamingChatModel;

beforeAll(async () => {
  emulator = await startBedrockEmulator();
  client = createBedrockRuntimeClient({ endpoint: emulator.url, credentials: EMULATOR_DUMMY_CREDENTIALS, maxAttempts: 1 });
  model = new BedrockStreamingChatModel(client);
});

afterEach(() => emulator.reset());

afterAll(async () => {
  client.destroy();
  resetBedrockRuntimeClients();
  await emulator.close();
});

async function drain(source: StreamingChatModel, prompt: string, seen: ModelStreamChunk[] = []): Promise<ModelStreamChunk[]> {
  for await (const chunk of source.converseStream(request(prompt))) seen.push(chunk);
  return seen;
}

async function failure(source: StreamingChatModel, prompt: string, seen: ModelStreamChunk[] = []): Promise<ModelError> {
  try {
    await drain(source, prompt, seen);
  } catch (error) {
    if (error instanceof ModelError) return error;
    throw error;
  }
  throw new Error('expected the stream to fail');
}

describe('BedrockStreamingChatModel (ConverseStream through the real SDK against the emulator)', () => {
  it('yields the answer in several deltas, then one end with stop reason, usage and latency', async () => {
    const chunks = await drain(model, 'Where is Las Vegas?');
    const whole = await new BedrockChatModel(client).converse(request('Where is Las Vegas?'));
    const deltas = chunks.filter((chunk) => chunk.type === 'delta');
    expect(deltas.length).toBeGreaterThan(2);
    expect(deltas.map((chunk) => chunk.text).join('')).toBe(whole.text);
    const end = chunks.at(-1)!;
    expect(end).toEqual({ type: 'end', stopReason: 'end_turn', usage: whole.usage, latencyMs: expect.any(Number) });
    expect(chunks.filter((chunk) => chunk.type === 'end')).toHaveLength(1);
    expect(emulator.calls.converseStream).toBe(1);
    expect(emulator.calls.byHttpVersion).toEqual({ '1.1': 2 });
  });

  it('reports the stop reason of a truncated answer', async () => {
    const chunks = await drain(model, 'long [[max_tokens]]');
    expect(chunks.at(-1)).toMatchObject({ type: 'end', stopReason: 'max_tokens' });
  });

  it('maps an error before the stream to a typed ModelError', async () => {
    const error = await failure(model, 'busy [[error:ThrottlingException]]');
    expect(error.code).toBe('ModelThrottled');
    expect(error.retryable).toBe(true);
  });

  it('throws a ModelError when the connection drops mid-stream, after the deltas already received, and never yields end', async () => {
    const seen: ModelStreamChunk[] = [];
    const error = await failure(model, 'cut [[cut]]', seen);
    expect(error.code).toBe('ModelUnavailable');
    expect(seen.map((chunk) => chunk.type)).toEqual(Array<string>(CUT_AFTER_DELTAS).fill('delta'));
  });

  it('throws a ModelError on a modelStreamErrorException event', async () => {
    const seen: ModelStreamChunk[] = [];
    const error = await failure(model, 'fail [[stream_error]]', seen);
    expect(error.code).toBe('ModelError');
    expect(error.logDetail).toContain('ModelStreamErrorException');
    expect(seen.some((chunk) => chunk.type === 'end')).toBe(false);
  });

  it('lazyStreamingChatModel streams through the shared client once loaded', async () => {
    const lazy = lazyStreamingChatModel({ bedrockEndpoint: emulator.url, region: 'us-east-1' });
    const chunks = await drain(lazy, 'Where is Las Vegas?');
    expect(chunks.at(-1)).toMatchObject({ type: 'end', stopReason: 'end_turn' });
  });
});
