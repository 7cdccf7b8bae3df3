import { ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import * as http from 'node:http';
import * as https from 'node:https';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import {
  BEDROCK_AGENT_OPTIONS,
  BEDROCK_CONNECT_TIMEOUT_MS,
  BEDROCK_MAX_SOCKETS,
  BEDROCK_REQUEST_TIMEOUT_MS,
  createBedrockRequestHandler,
  createBedrockRuntimeClient,
  DEFAULT_BEDROCK_REGION,
  EMULATOR_DUMMY_CREDENTIALS,
  getBedrockRuntimeClient,
  needsDummyCredentials,
  resetBedrockRuntimeClients,
} from '../../../lambda/bedrock/clients';
import { DEFAULT_CONFIG } from '../../../lib/config/app-config';
import { BedrockChatModel } from '../../../lambda/bedrock/converse-model';
import { TitanEmbedder } from '../../../lambda/bedrock/titan-embedder';
import { startBedrockEmulator, type BedrockEmulator } from '../../../tools/bedrock-emulator/server';

let emulator: BedrockEmulator;

beforeAll(async () => {
  emulator = await startBedrockEmulator();
});

afterEach(() => {
  resetBedrockRuntimeClients();
  emulator.reset();
});

afterAll(async () => {
  await emulator.close();
});

const hello = new ConverseCommand({ modelId: 'm', messages: [{ role: 'user', content: [{ text: 'hello' }] }] });

describe('getBedrockRuntimeClient', () => {
  it('returns the same client for the same endpoint and region', () => {
    const config = { bedrockEndpoint: emulator.url, region: 'eu-west-1' };
    expect(getBedrockRuntimeClient(config)).toBe(getBedrockRuntimeClient({ ...config }));
  });

  it('returns a different client for a different region', () => {
    expect(getBedrockRuntimeClient({ bedrockEndpoint: emulator.url, region: 'eu-west-1' })).not.toBe(
      getBedrockRuntimeClient({ bedrockEndpoint: emulator.url, region: 'us-west-2' }),
    );
  });

  it('falls back to us-east-1 when no region is configured', async () => {
    expect(await getBedrockRuntimeClient({ bedrockEndpoint: emulator.url }).config.region()).toBe(DEFAULT_BEDROCK_REGION);
  });

  it('builds a new client after reset', () => {
    const before = getBedrockRuntimeClient({ bedrockEndpoint: emulator.url });
    resetBedrockRuntimeClients();
    expect(getBedrockRuntimeClient({ bedrockEndpoint: emulator.url })).not.toBe(before);
  });
});

describe('createBedrockRuntimeClient', () => {
  it('reaches the emulator over HTTP/1.1 by default', async () => {
    const client = createBedrockRuntimeClient({ endpoint: emulator.url, credentials: EMULATOR_DUMMY_CREDENTIALS });
    try {
      await client.send(hello);
    } finally {
      client.destroy();
    }
    expect(emulator.calls.byHttpVersion).toEqual({ '1.1': 1 });
  });

  it('reaches the emulator over HTTP/2 with httpVersion 2', async () => {
    const client = createBedrockRuntimeClient({ endpoint: emulator.url, httpVersion: '2', credentials: EMULATOR_DUMMY_CREDENTIALS });
    try {
      await client.send(hello);
    } finally {
      client.destroy();
    }
    expect(emulator.calls.byHttpVersion).toEqual({ '2.0': 1 });
  });

  it('shares one HTTP/2 session across sequential calls with httpVersion 2', async () => {
    const client = createBedrockRuntimeClient({ endpoint: emulator.url, httpVersion: '2', credentials: EMULATOR_DUMMY_CREDENTIALS });
    try {
      for (let i = 0; i < 20; i++) await client.send(hello);
    } finally {
      client.destroy();
    }
    expect(emulator.calls.converse).toBe(20);
    expect(emulator.connections).toBe(1);
  });

  it('fails a stalled call with a TimeoutError once the request timeout passes', async () => {
    emulator.latencyMs = 1_000;
    const client = createBedrockRuntimeClient({ endpoint: emulator.url, credentials: EMULATOR_DUMMY_CREDENTIALS, maxAttempts: 1, requestTimeoutMs: 100 });
    const started = Date.now();
    try {
      await expect(client.send(hello)).rejects.toMatchObject({ name: 'TimeoutError' });
    } finally {
      client.destroy();
      emulator.latencyMs = 0;
    }
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('signs with dummy credentials when an endpoint is set and the environment has none', async () => {
    const client = createBedrockRuntimeClient({ endpoint: emulator.url, env: {} });
    try {
      const credentials = await client.config.credentials();
      expect(credentials.accessKeyId).toBe(EMULATOR_DUMMY_CREDENTIALS.accessKeyId);
    } finally {
      client.destroy();
    }
  });

  it('keeps the SDK default of 3 attempts', async () => {
    const client = createBedrockRuntimeClient({ endpoint: emulator.url, credentials: EMULATOR_DUMMY_CREDENTIALS });
    try {
      expect(await client.config.maxAttempts()).toBe(3);
    } finally {
      client.destroy();
    }
  });
});

describe('createBedrockRequestHandler', () => {
  it('uses a keep-alive NodeHttpHandler by default', () => {
    expect(createBedrockRequestHandler()).toBeInstanceOf(NodeHttpHandler);
  });

  it('gives https (AWS) the same keep-alive agent settings as the http the emulator tests exercise', async () => {
    const handler = createBedrockRequestHandler() as NodeHttpHandler;
    const client = createBedrockRuntimeClient({ endpoint: emulator.url, credentials: EMULATOR_DUMMY_CREDENTIALS });
    client.config.requestHandler = handler;
    try {
      await client.send(hello);
      const { httpAgent, httpsAgent } = handler.httpHandlerConfigs() as { httpAgent: http.Agent; httpsAgent: https.Agent };
      expect(httpsAgent).toBeInstanceOf(https.Agent);
      for (const agent of [httpAgent, httpsAgent]) {
        expect(agent).toMatchObject({ keepAlive: true, maxSockets: BEDROCK_MAX_SOCKETS, options: expect.objectContaining(BEDROCK_AGENT_OPTIONS) });
      }
    } finally {
      client.destroy();
    }
  });

  it('applies the connect and request timeouts, the request timeout as an error', async () => {
    const handler = createBedrockRequestHandler() as NodeHttpHandler;
    const client = createBedrockRuntimeClient({ endpoint: emulator.url, credentials: EMULATOR_DUMMY_CREDENTIALS });
    client.config.requestHandler = handler;
    try {
      await client.send(hello);
    } finally {
      client.destroy();
    }
    expect(handler.httpHandlerConfigs()).toMatchObject({
      connectionTimeout: BEDROCK_CONNECT_TIMEOUT_MS,
      requestTimeout: BEDROCK_REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    });
  });

  it("ends a stalled call before the function's default timeout would", () => {
    expect(BEDROCK_REQUEST_TIMEOUT_MS).toBeLessThan(DEFAULT_CONFIG.lambdaTimeoutSeconds * 1000);
  });
});

describe('needsDummyCredentials', () => {
  it('is true with an endpoint and no credentials in the environment', () => {
    expect(needsDummyCredentials('http://127.0.0.1:4010', {})).toBe(true);
  });

  it('is false without an endpoint override', () => {
    expect(needsDummyCredentials(undefined, {})).toBe(false);
  });

  it.each(['AWS_ACCESS_KEY_ID', 'AWS_PROFILE', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_WEB_IDENTITY_TOKEN_FILE'])(
    'is false when %s is set',
    (name) => {
      expect(needsDummyCredentials('http://127.0.0.1:4010', { [name]: 'x' })).toBe(false);
    },
  );
});

describe('connection reuse through the container client (issue 11)', () => {
  const config = (): { bedrockEndpoint: string; region: string } => ({ bedrockEndpoint: emulator.url, region: 'us-east-1' });

  it('makes 100 sequential embedding calls over at most 2 connections', async () => {
    const embedder = new TitanEmbedder(() => getBedrockRuntimeClient(config()), { dimensions: 256 });
    for (let i = 0; i < 100; i++) await embedder.embed(`question number ${i}`);
    expect(emulator.calls.embed).toBe(100);
    expect(emulator.connections).toBeLessThanOrEqual(2);
  });

  it('makes 100 sequential Converse calls over at most 2 connections', async () => {
    const model = new BedrockChatModel(() => getBedrockRuntimeClient(config()));
    for (let i = 0; i < 100; i++) {
      await model.converse({ modelId: 'm', messages: [{ role: 'user', content: [{ text: `question ${i}` }] }], inferenceConfig: { maxTokens: 64, temperature: 0 } });
    }
    expect(emulator.calls.converse).toBe(100);
    expect(emulator.connections).toBeLessThanOrEqual(2);
  });

  it('reuses the connection after the container sat idle between two invocations', async () => {
    const embedder = new TitanEmbedder(() => getBedrockRuntimeClient(config()), { dimensions: 256 });
    await embedder.embed('first invocation');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await embedder.embed('second invocation');
    expect(emulator.connections).toBe(1);
  });
});
