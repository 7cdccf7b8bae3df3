import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { createBedrockRuntimeClient, EMULATOR_DUMMY_CREDENTIALS } from '../../../lambda/bedrock/clients';
import { BedrockChatModel, toConverseInput } from '../../../lambda/bedrock/converse-model';
import { ModelError } from '../../../lambda/core/errors';
import type { ConverseRequest } from '../../../lambda/core/types';
import { startBedrockEmulator, type BedrockEmulator } from '../../../tools/bedrock-emulator/server';
import { rejectionOf } from '../../support/rejection';

const execFileAsync = promisify(execFile);
const TSX_CLI = require.resolve('tsx/cli');
const DEAD_ENDPOINT_FIXTURE = path.join(__dirname, 'fixtures', 'dead-endpoint.ts');
const MODEL = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';

function request(prompt: string, overrides: Partial<ConverseRequest> = {}): ConverseRequest {
  return {
    modelId: MODEL,
    system: [{ text: 'Be brief.' }],
    messages: [{ role: 'user', content: [{ text: prompt }] }],
    inferenceConfig: { maxTokens: 512, temperature: 0 },
    ...overrides,
  };
}

let emulator: BedrockEmulator;
let client: BedrockRuntimeClient;
let model: BedrockChatModel;

beforeAll(async () => {
  emulator = await startBedrockEmulator();
  client = createBedrockRuntimeClient({ endpoint: emulator.url, credentials: EMULATOR_DUMMY_CREDENTIALS, maxAttempts: 1 });
  model = new BedrockChatModel(client);
});

afterEach(() => {
  emulator.reset();
  emulator.latencyMs = 0;
});

afterAll(async () => {
  client.destroy();
  await emulator.close();
});

describe('BedrockChatModel', () => {
  it('returns the concatenated answer text', async () => {
    expect((await model.converse(request('Where is Las Vegas?'))).text).toMatch(/^\[emulated answer\] .*Where is Las Vegas\?/);
  });

  it('returns the stop reason', async () => {
    expect((await model.converse(request('Where is Las Vegas?'))).stopReason).toBe('end_turn');
  });

  it('returns input and output token usage', async () => {
    const { usage } = await model.converse(request('Where is Las Vegas?'));
    expect(usage.inputTokens).toBeGreaterThan(0);
    expect(usage.outputTokens).toBeGreaterThan(0);
  });

  it('returns the requested model id', async () => {
    expect((await model.converse(request('hi'))).modelId).toBe(MODEL);
  });

  it('passes a truncated answer through with stopReason max_tokens', async () => {
    expect((await model.converse(request('long [[max_tokens]]'))).stopReason).toBe('max_tokens');
  });

  it('passes a filtered answer through with stopReason content_filtered', async () => {
    expect((await model.converse(request('bad [[content_filtered]]'))).stopReason).toBe('content_filtered');
  });

  it('measures latency around the call', async () => {
    emulator.latencyMs = 120;
    expect((await model.converse(request('slow'))).latencyMs).toBeGreaterThanOrEqual(115);
  });

  it('sends the request to the model id it names', async () => {
    await model.converse(request('hi', { modelId: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0' }));
    expect(emulator.calls.byModel).toEqual({ 'global.anthropic.claude-sonnet-4-5-20250929-v1:0': 1 });
  });

  it('raises a retryable ModelThrottled for a throttled call', async () => {
    emulator.failNext(1, 'ThrottlingException');
    const error = await rejectionOf<ModelError>(model.converse(request('hi')));
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ code: 'ModelThrottled', retryable: true });
    expect((error.cause as Error).name).toBe('ThrottlingException');
  });

  it('raises a non-retryable ModelValidation for a rejected request', async () => {
    emulator.failNext(1, 'ValidationException');
    expect(await rejectionOf(model.converse(request('hi')))).toMatchObject({ code: 'ModelValidation', retryable: false });
  });

  it.each(['2', '1.1'])('raises a retryable ModelUnavailable when nothing listens at the endpoint (HTTP %s)', async (httpVersion) => {
    // In a plain Node process: see the fixture's comment on jest's realm.
    const { stdout } = await execFileAsync(process.execPath, [TSX_CLI, DEAD_ENDPOINT_FIXTURE, httpVersion], { timeout: 30_000 });
    expect(JSON.parse(stdout.trim().split('\n').pop() ?? '{}')).toEqual({ isModelError: true, code: 'ModelUnavailable', retryable: true });
  });

  it('answers an IAM AccessDenied with ModelAccessDenied whose message names no account or role, and logs the original', async () => {
    const denial =
      'User: arn:aws:sts::123456789012:assumed-role/LlmCache-Function-Role/LlmCache-Function is not authorized to perform: ' +
      'bedrock:InvokeModel on resource: arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0';
    emulator.failNext(1, 'AccessDeniedException', { operation: 'converse', message: denial });
    const error = await rejectionOf<ModelError>(model.converse(request('hi')));
    expect(error).toMatchObject({ code: 'ModelAccessDenied', retryable: false });
    expect(error.message).not.toMatch(/arn:aws|123456789012|LlmCache-Function/);
    expect(error.logDetail).toContain(denial);
  });

  it('names an application inference profile ARN without its account id when the reply has no message', async () => {
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123';
    const empty = { send: async () => ({ output: {} }) } as unknown as BedrockRuntimeClient;
    const error = await rejectionOf<ModelError>(new BedrockChatModel(empty).converse(request('hi', { modelId: arn })));
    expect(error).toBeInstanceOf(ModelError);
    expect(error.message).not.toContain('123456789012');
    expect(error.logDetail).toContain(arn);
  });

  it('builds the client only on first use when given a getter', async () => {
    const getter = jest.fn(() => client);
    const lazy = new BedrockChatModel(getter);
    expect(getter).not.toHaveBeenCalled();
    await lazy.converse(request('hi'));
    expect(getter).toHaveBeenCalledTimes(1);
  });
});

describe('toConverseInput', () => {
  it('copies every ConverseRequest field into the command input', () => {
    const req = request('hi', { additionalModelRequestFields: { top_k: 5 } });
    expect(toConverseInput(req)).toEqual({
      modelId: MODEL,
      system: [{ text: 'Be brief.' }],
      messages: [{ role: 'user', content: [{ text: 'hi' }] }],
      inferenceConfig: { maxTokens: 512, temperature: 0 },
      additionalModelRequestFields: { top_k: 5 },
    });
  });

  it('omits system and additional fields when the request has none', () => {
    const input = toConverseInput({ modelId: 'm', messages: [], inferenceConfig: { maxTokens: 1, temperature: 0 } });
    expect(Object.keys(input).sort()).toEqual(['inferenceConfig', 'messages', 'modelId']);
  });
});
