import * as http from 'node:http';
import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand, type ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { CUT_AFTER_DELTAS, streamChunks } from '../../tools/bedrock-emulator/converse-stream';
import { startBedrockEmulator, type BedrockEmulator } from '../../tools/bedrock-emulator/server';
import { rejectionOf } from '../support/rejection';

const MODEL = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

let emulator: BedrockEmulator;
let h1: BedrockRuntimeClient;
let h2: BedrockRuntimeClient;

beforeAll(async () => {
  emulator = await startBedrockEmulator();
  h1 = new BedrockRuntimeClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpAgent: new http.Agent({ keepAlive: true }) }),
  });
  // The SDK's default handler for this client: HTTP/2 (h2c prior knowledge on http://).
  h2 = new BedrockRuntimeClient({ endpoint: emulator.url, region: 'us-east-1', credentials, maxAttempts: 1 });
});

afterEach(() => emulator.reset());

afterAll(async () => {
  h1.destroy();
  h2.destroy();
  await emulator.close();
});

function input(prompt: string, maxTokens = 512) {
  return { modelId: MODEL, messages: [{ role: 'user' as const, content: [{ text: prompt }] }], inferenceConfig: { maxTokens, temperature: 0 } };
}

async function collect(client: BedrockRuntimeClient, prompt: string, maxTokens?: number): Promise<ConverseStreamOutput[]> {
  const { stream } = await client.send(new ConverseStreamCommand(input(prompt, maxTokens)));
  const events: ConverseStreamOutput[] = [];
  for await (const event of stream!) events.push(event);
  return events;
}

function kinds(events: readonly ConverseStreamOutput[]): string[] {
  return events.map((event) => Object.keys(event).find((key) => (event as unknown as Record<string, unknown>)[key] !== undefined)!);
}

function text(events: readonly ConverseStreamOutput[]): string {
  return events.map((event) => event.contentBlockDelta?.delta?.text ?? '').join('');
}

describe('bedrock emulator: ConverseStream through the real SDK client', () => {
  it.each([
    ['HTTP/1.1', () => h1],
    ['HTTP/2', () => h2],
  ])('streams messageStart, the deltas, contentBlockStop, messageStop and metadata over %s', async (_name, client) => {
    const events = await collect(client(), 'Where is Las Vegas?');
    const answer = await client().send(new ConverseCommand(input('Where is Las Vegas?')));
    const expected = answer.output!.message!.content![0]!.text!;
    const deltas = streamChunks(expected).length;
    expect(deltas).toBeGreaterThan(2);
    expect(kinds(events)).toEqual(['messageStart', ...Array<string>(deltas).fill('contentBlockDelta'), 'contentBlockStop', 'messageStop', 'metadata']);
    expect(text(events)).toBe(expected);
    expect(events.at(-2)!.messageStop!.stopReason).toBe('end_turn');
    expect(events.at(-1)!.metadata!.usage).toEqual(answer.usage);
    expect(emulator.calls.converseStream).toBe(1);
    expect(emulator.calls.converse).toBe(1);
  });

  it('honours the stop-reason markers', async () => {
    const events = await collect(h1, 'long one [[max_tokens]]');
    expect(events.find((event) => event.messageStop)!.messageStop!.stopReason).toBe('max_tokens');
  });

  it('truncates at maxTokens like Converse', async () => {
    const events = await collect(h1, 'Where is Las Vegas?', 3);
    expect(events.find((event) => event.messageStop)!.messageStop!.stopReason).toBe('max_tokens');
    expect(text(events)).toHaveLength(12);
  });

  it('fails before the stream with the named error of an error marker', async () => {
    const error = await rejectionOf(collect(h1, 'busy [[error:ThrottlingException]]'));
    expect(error.name).toBe('ThrottlingException');
  });

  it('closes the connection mid-stream on [[cut]]: the client sees the deltas, then an error, never messageStop', async () => {
    const seen: ConverseStreamOutput[] = [];
    const { stream } = await h1.send(new ConverseStreamCommand(input('cut me [[cut]]')));
    const error = await rejectionOf(
      (async () => {
        for await (const event of stream!) seen.push(event);
      })(),
    );
    expect((error as Error & { code?: string }).code).toBe('ECONNRESET');
    expect(kinds(seen)).toEqual(['messageStart', ...Array<string>(CUT_AFTER_DELTAS).fill('contentBlockDelta')]);
  });

  it('ends with a modelStreamErrorException event on [[stream_error]], which the SDK throws', async () => {
    const error = await rejectionOf(collect(h1, 'fail me [[stream_error]]'));
    expect(error.name).toBe('ModelStreamErrorException');
  });

  it('spaces the deltas by chunkDelayMs', async () => {
    emulator.chunkDelayMs = 20;
    try {
      const started = performance.now();
      const events = await collect(h1, 'Where is Las Vegas?');
      const deltas = events.filter((event) => event.contentBlockDelta).length;
      expect(performance.now() - started).toBeGreaterThanOrEqual((deltas - 1) * 20 - 5);
    } finally {
      emulator.chunkDelayMs = 0;
    }
  });
});
