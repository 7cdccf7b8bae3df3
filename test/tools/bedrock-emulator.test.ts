import * as http from 'node:http';
import * as http2 from 'node:http2';
import {
  BedrockRuntimeClient,
  ConverseCommand,
  InvokeModelCommand,
  type ConverseCommandOutput,
} from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startBedrockEmulator, type BedrockEmulator } from '../../tools/bedrock-emulator/server';
import { rejectionOf } from '../support/rejection';

const MODEL = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';
const TITAN = 'amazon.titan-embed-text-v2:0';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
/** An SDK error, with the HTTP status the SDK read. */
type SdkError = Error & { $metadata?: { httpStatusCode?: number } };

let emulator: BedrockEmulator;
let client: BedrockRuntimeClient;

function h1Client(): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpAgent: new http.Agent({ keepAlive: true }) }),
  });
}

function converse(prompt: string, c: BedrockRuntimeClient = client, maxTokens = 512): Promise<ConverseCommandOutput> {
  return c.send(
    new ConverseCommand({
      modelId: MODEL,
      system: [{ text: 'Be brief.' }],
      messages: [{ role: 'user', content: [{ text: prompt }] }],
      inferenceConfig: { maxTokens, temperature: 0 },
    }),
  );
}

async function embed(body: unknown, modelId = TITAN): Promise<{ embedding: number[]; embeddingsByType: { float: number[] }; inputTextTokenCount: number }> {
  const out = await client.send(new InvokeModelCommand({ modelId, contentType: 'application/json', body: new TextEncoder().encode(JSON.stringify(body)) }));
  return JSON.parse(new TextDecoder().decode(out.body));
}

beforeAll(async () => {
  emulator = await startBedrockEmulator();
  // The SDK's default handler for this client: HTTP/2 (h2c prior knowledge on http://).
  client = new BedrockRuntimeClient({ endpoint: emulator.url, region: 'us-east-1', credentials, maxAttempts: 1 });
});

afterEach(() => {
  emulator.reset();
  emulator.latencyMs = 0;
  emulator.embeddingLatencyMs = 0;
});

afterAll(async () => {
  client.destroy();
  await emulator.close();
});

describe('Bedrock emulator: Converse', () => {
  it('answers a Converse call with an emulated assistant message', async () => {
    const out = await converse('Where is Las Vegas?');
    expect(out.output?.message?.role).toBe('assistant');
    expect(out.output?.message?.content?.[0].text).toMatch(/^\[emulated answer\] .*Where is Las Vegas\?/);
  });

  it('ends a normal answer with stopReason end_turn', async () => {
    expect((await converse('Where is Las Vegas?')).stopReason).toBe('end_turn');
  });

  it('reports usage with totalTokens equal to input plus output', async () => {
    const { usage } = await converse('Where is Las Vegas?');
    expect(usage?.inputTokens).toBeGreaterThan(0);
    expect(usage?.outputTokens).toBeGreaterThan(0);
    expect(usage?.totalTokens).toBe((usage?.inputTokens ?? 0) + (usage?.outputTokens ?? 0));
  });

  it('answers the same prompt with the same text', async () => {
    const a = await converse('Where is Las Vegas?');
    const b = await converse('Where is Las Vegas?');
    expect(a.output?.message?.content?.[0].text).toBe(b.output?.message?.content?.[0].text);
  });

  it('returns stopReason max_tokens for a prompt with the [[max_tokens]] marker', async () => {
    expect((await converse('Tell me everything [[max_tokens]]')).stopReason).toBe('max_tokens');
  });

  it('returns stopReason content_filtered for a prompt with the [[content_filtered]] marker', async () => {
    expect((await converse('Something bad [[content_filtered]]')).stopReason).toBe('content_filtered');
  });

  it('cuts an answer longer than maxTokens and returns stopReason max_tokens', async () => {
    const out = await converse('Where is Las Vegas?', client, 3);
    expect(out.stopReason).toBe('max_tokens');
    expect(out.usage?.outputTokens).toBeLessThanOrEqual(3);
  });

  it('lets a test choose the stop reason through stopReasonFor', async () => {
    emulator.stopReasonFor = (prompt) => (prompt.includes('sequence') ? 'stop_sequence' : undefined);
    expect((await converse('a stop sequence please')).stopReason).toBe('stop_sequence');
  });

  it('lets a test choose the answer text through answerFor, until reset', async () => {
    let calls = 0;
    emulator.answerFor = (prompt) => `answer ${++calls} to ${prompt}`;
    const first = await converse('Where is Las Vegas?');
    const second = await converse('Where is Las Vegas?');
    emulator.reset();
    const echoed = await converse('Where is Las Vegas?');

    expect(first.output?.message?.content?.[0]?.text).toBe('answer 1 to Where is Las Vegas?');
    expect(second.output?.message?.content?.[0]?.text).toBe('answer 2 to Where is Las Vegas?');
    expect(echoed.output?.message?.content?.[0]?.text).toContain('[emulated answer]');
  });

  it('accepts a model ARN with slashes in the model id', async () => {
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0';
    await client.send(new ConverseCommand({ modelId: arn, messages: [{ role: 'user', content: [{ text: 'hi' }] }] }));
    expect(emulator.calls.byModel[arn]).toBe(1);
  });
});

describe('Bedrock emulator: protocols', () => {
  it('serves the SDK default HTTP/2 handler over h2c', async () => {
    await converse('over h2');
    expect(emulator.calls.byHttpVersion).toEqual({ '2.0': 1 });
  });

  it('serves the SDK HTTP/1.1 handler on the same port', async () => {
    const c = h1Client();
    try {
      await converse('over http/1.1', c);
    } finally {
      c.destroy();
    }
    expect(emulator.calls.byHttpVersion).toEqual({ '1.1': 1 });
  });

  it('receives a 200 kB prompt intact over HTTP/2', async () => {
    const prompt = `start ${'x'.repeat(200_000)} end`;
    const out = await converse(prompt);
    expect(out.usage?.inputTokens).toBe(Math.ceil(`Be brief.\n${prompt}`.length / 4));
  });

  it('receives a 200 kB prompt intact over HTTP/1.1', async () => {
    const c = h1Client();
    const prompt = `start ${'x'.repeat(200_000)} end`;
    try {
      const out = await converse(prompt, c);
      expect(out.usage?.inputTokens).toBe(Math.ceil(`Be brief.\n${prompt}`.length / 4));
    } finally {
      c.destroy();
    }
  });

  it('answers a raw node:http2 client with prior knowledge', async () => {
    const session = http2.connect(emulator.url);
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const req = session.request({ ':method': 'POST', ':path': `/model/${encodeURIComponent(MODEL)}/converse`, 'content-type': 'application/json' });
        req.on('response', (headers) => resolve(Number(headers[':status'])));
        req.on('error', reject);
        req.end(JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'raw' }] }] }));
        req.resume();
      });
      expect(status).toBe(200);
    } finally {
      session.close();
    }
  });
});

describe('Bedrock emulator: connection counter', () => {
  it('counts one connection per call when the HTTP/1.1 client does not keep connections alive', async () => {
    const c = new BedrockRuntimeClient({
      endpoint: emulator.url,
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
      requestHandler: new NodeHttpHandler({ httpAgent: new http.Agent({ keepAlive: false }) }),
    });
    try {
      for (let i = 0; i < 3; i++) await converse(`close ${i}`, c);
    } finally {
      c.destroy();
    }
    expect(emulator.connections).toBe(3);
  });

  it('counts one connection for calls over one kept-alive HTTP/1.1 socket', async () => {
    const c = h1Client();
    try {
      for (let i = 0; i < 3; i++) await converse(`keep ${i}`, c);
    } finally {
      c.destroy();
    }
    expect(emulator.calls.converse).toBe(3);
    expect(emulator.connections).toBe(1);
  });

  it('counts one connection for streams over one h2c session', async () => {
    const session = http2.connect(emulator.url);
    try {
      for (let i = 0; i < 3; i++) {
        await new Promise<void>((resolve, reject) => {
          const req = session.request({ ':method': 'POST', ':path': `/model/${encodeURIComponent(MODEL)}/converse`, 'content-type': 'application/json' });
          req.on('error', reject);
          req.on('end', resolve);
          req.end(JSON.stringify({ messages: [{ role: 'user', content: [{ text: `h2 ${i}` }] }] }));
          req.resume();
        });
      }
    } finally {
      session.close();
    }
    expect(emulator.calls.converse).toBe(3);
    expect(emulator.connections).toBe(1);
  });

  it('zeroes the connection count on reset', async () => {
    await converse('before reset');
    expect(emulator.connections).toBeGreaterThan(0);
    emulator.reset();
    expect(emulator.connections).toBe(0);
  });
});

describe('Bedrock emulator: Titan V2 embeddings', () => {
  it.each([256, 512, 1024])('returns a unit-length embedding of %i dimensions', async (dimensions) => {
    const out = await embed({ inputText: 'Where is Las Vegas?', dimensions, normalize: true });
    expect(out.embedding).toHaveLength(dimensions);
    expect(Math.hypot(...out.embedding)).toBeCloseTo(1, 6);
  });

  it('returns the same vector in embedding and embeddingsByType.float', async () => {
    const out = await embed({ inputText: 'Where is Las Vegas?', dimensions: 256 });
    expect(out.embeddingsByType.float).toEqual(out.embedding);
  });

  it('reports inputTextTokenCount', async () => {
    expect((await embed({ inputText: 'Where is Las Vegas?', dimensions: 256 })).inputTextTokenCount).toBeGreaterThan(0);
  });

  it('defaults to 1024 dimensions', async () => {
    expect((await embed({ inputText: 'Where is Las Vegas?' })).embedding).toHaveLength(1024);
  });

  it('rejects dimensions outside 256/512/1024 with a ValidationException', async () => {
    const error = await rejectionOf<SdkError>(embed({ inputText: 'x', dimensions: 300 }));
    expect(error.name).toBe('ValidationException');
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });

  it('rejects an embedding call on a non-Titan-V2 model with a ValidationException', async () => {
    expect((await rejectionOf(embed({ inputText: 'x' }, 'amazon.titan-embed-text-v1'))).name).toBe('ValidationException');
  });

  it('rejects input longer than 50,000 characters with a ValidationException', async () => {
    expect((await rejectionOf(embed({ inputText: 'x'.repeat(50_001) }))).name).toBe('ValidationException');
  });

  it('rejects input over 8,192 estimated tokens but under 50,000 characters with a too-many-tokens ValidationException', async () => {
    const error = await rejectionOf(embed({ inputText: 'word '.repeat(7_000) }));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toMatch(/^400 Bad Request: Too many input tokens\. Max input tokens: 8192, request input token count: 8750/);
  });

  it('accepts input of exactly 8,192 estimated tokens', async () => {
    await expect(embed({ inputText: 'x'.repeat(8_192 * 4), dimensions: 256 })).resolves.toBeDefined();
  });

  it('rejects empty input with a ValidationException', async () => {
    expect((await rejectionOf(embed({ inputText: '' }))).name).toBe('ValidationException');
  });
});

describe('Bedrock emulator: errors', () => {
  it('delivers an injected ThrottlingException that the SDK deserializes by name', async () => {
    emulator.failNext(1, 'ThrottlingException');
    const error = await rejectionOf<SdkError>(converse('hi'));
    expect(error.name).toBe('ThrottlingException');
    expect(error.$metadata?.httpStatusCode).toBe(429);
  });

  it('fails only the next n calls', async () => {
    emulator.failNext(2, 'ServiceUnavailableException');
    await rejectionOf(converse('1'));
    await rejectionOf(converse('2'));
    await expect(converse('3')).resolves.toBeDefined();
  });

  it('limits an injected failure to the named operation', async () => {
    emulator.failNext(1, 'ThrottlingException', { operation: 'embed' });
    await expect(converse('not me')).resolves.toBeDefined();
    expect((await rejectionOf(embed({ inputText: 'me' }))).name).toBe('ThrottlingException');
  });

  it('fails a call whose prompt carries an [[error:Name]] marker', async () => {
    expect((await rejectionOf(converse('please [[error:AccessDeniedException]]'))).name).toBe('AccessDeniedException');
  });

  it('is retried by the SDK default of 3 attempts, each counted', async () => {
    const retrying = new BedrockRuntimeClient({ endpoint: emulator.url, region: 'us-east-1', credentials });
    emulator.failNext(2, 'ThrottlingException');
    try {
      await expect(converse('retry me', retrying)).resolves.toBeDefined();
    } finally {
      retrying.destroy();
    }
    expect(emulator.calls.converse).toBe(3);
  });

  it('answers an unknown path with 400', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      http.get(`${emulator.url}/nothing`, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject);
    });
    expect(status).toBe(400);
  });
});

describe('Bedrock emulator: latency and counters', () => {
  it('delays a Converse reply by the configured latency', async () => {
    emulator.latencyMs = 150;
    const started = Date.now();
    await converse('slow');
    expect(Date.now() - started).toBeGreaterThanOrEqual(145);
  });

  it('delays an embedding reply by the configured embedding latency', async () => {
    emulator.embeddingLatencyMs = 120;
    const started = Date.now();
    await embed({ inputText: 'slow', dimensions: 256 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(115);
  });

  it('honours the latency given at start', async () => {
    const slow = await startBedrockEmulator({ latencyMs: 100 });
    const c = new BedrockRuntimeClient({ endpoint: slow.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    try {
      const started = Date.now();
      const out = await converse('slow start', c);
      expect(Date.now() - started).toBeGreaterThanOrEqual(95);
      expect(out.metrics?.latencyMs).toBe(100);
    } finally {
      c.destroy();
      await slow.close();
    }
  });

  it('counts converse and embedding calls per operation and per model', async () => {
    await converse('a');
    await converse('b');
    await embed({ inputText: 'c', dimensions: 256 });
    expect(emulator.calls).toMatchObject({ converse: 2, embed: 1, byModel: { [MODEL]: 2, [TITAN]: 1 }, errors: 0 });
  });

  it('zeroes the counters on reset', async () => {
    await converse('a');
    emulator.reset();
    expect(emulator.calls).toMatchObject({ converse: 0, embed: 0, byModel: {}, errors: 0 });
  });

  it('listens on a free port on 127.0.0.1 when no port is given', () => {
    expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(emulator.port).toBeGreaterThan(0);
  });
});
