import { ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import {
  createBedrockRuntimeClient,
  DEFAULT_BEDROCK_REGION,
  EMULATOR_DUMMY_CREDENTIALS,
  getBedrockRuntimeClient,
  needsDummyCredentials,
  resetBedrockRuntimeClients,
} from '../../../lambda/bedrock/clients';
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
  it('reaches the emulator over HTTP/2 with the SDK default handler', async () => {
    const client = createBedrockRuntimeClient({ endpoint: emulator.url, credentials: EMULATOR_DUMMY_CREDENTIALS });
    try {
      await client.send(hello);
    } finally {
      client.destroy();
    }
    expect(emulator.calls.byHttpVersion).toEqual({ '2.0': 1 });
  });

  it('reaches the emulator over HTTP/1.1 with httpVersion 1.1', async () => {
    const client = createBedrockRuntimeClient({ endpoint: emulator.url, httpVersion: '1.1', credentials: EMULATOR_DUMMY_CREDENTIALS });
    try {
      await client.send(hello);
    } finally {
      client.destroy();
    }
    expect(emulator.calls.byHttpVersion).toEqual({ '1.1': 1 });
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
