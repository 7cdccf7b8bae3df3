import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
  type ConverseCommandInput,
  type Message,
} from '@aws-sdk/client-bedrock-runtime';
import { startBedrockEmulator, type BedrockEmulator } from '../../tools/bedrock-emulator/server';
import { rejectionOf } from '../support/rejection';

const HAIKU = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';
const SONNET = 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0';
const TITAN = 'amazon.titan-embed-text-v2:0';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
/** What the real SDK client makes of Bedrock's error reply: the exception's name, message and HTTP status. */
type SdkError = Error & { $fault?: string; $metadata?: { httpStatusCode?: number } };

const BOTH_SAMPLERS = 'The model returned the following errors: `temperature` and `top_p` cannot both be specified for this model. Please use only one.';
const user = (text: string): Message => ({ role: 'user', content: [{ text }] });
const assistant = (text: string): Message => ({ role: 'assistant', content: [{ text }] });

let emulator: BedrockEmulator;
let client: BedrockRuntimeClient;

beforeAll(async () => {
  emulator = await startBedrockEmulator();
  client = new BedrockRuntimeClient({ endpoint: emulator.url, region: 'us-east-1', credentials, maxAttempts: 1 });
});

afterEach(() => emulator.reset());

afterAll(async () => {
  client.destroy();
  await emulator.close();
});

function converse(input: Partial<ConverseCommandInput>): Promise<unknown> {
  return client.send(new ConverseCommand({ modelId: HAIKU, messages: [user('Where is Las Vegas?')], ...input }));
}

async function converseStream(input: Partial<ConverseCommandInput>): Promise<unknown> {
  const { stream } = await client.send(new ConverseStreamCommand({ modelId: HAIKU, messages: [user('Where is Las Vegas?')], ...input }));
  for await (const event of stream!) void event;
  return undefined;
}

function embed(body: Record<string, unknown>): Promise<unknown> {
  return client.send(new InvokeModelCommand({ modelId: TITAN, contentType: 'application/json', body: new TextEncoder().encode(JSON.stringify(body)) }));
}

/** The refusal of `call`: a ValidationException with HTTP status 400, as the SDK parses Bedrock's reply. */
async function validationError(call: Promise<unknown>): Promise<SdkError> {
  const error = await rejectionOf<SdkError>(call);
  expect(error.name).toBe('ValidationException');
  expect(error.$fault).toBe('client');
  expect(error.$metadata?.httpStatusCode).toBe(400);
  return error;
}

describe('bedrock emulator: the model rules, through the real SDK client', () => {
  it('refuses the request the runtime used to send (temperature 0 with topP 1) on Claude Haiku 4.5, as Bedrock does', async () => {
    const error = await validationError(converse({ inferenceConfig: { maxTokens: 512, temperature: 0, topP: 1 } }));

    expect(error.message).toBe(BOTH_SAMPLERS);
    expect(emulator.calls).toMatchObject({ converse: 1, errors: 1 });
  });

  it('refuses both samplers on ConverseStream before the stream starts', async () => {
    expect((await validationError(converseStream({ inferenceConfig: { temperature: 0.5, topP: 0.5 } }))).message).toBe(BOTH_SAMPLERS);
  });

  it('refuses both samplers on Claude Sonnet 4.5 through an eu. profile, and on a model id it does not know (the strictest rules)', async () => {
    expect((await validationError(converse({ modelId: SONNET, inferenceConfig: { temperature: 1, topP: 0.9 } }))).message).toBe(BOTH_SAMPLERS);
    expect((await validationError(converse({ modelId: 'model-a', inferenceConfig: { temperature: 1, topP: 0.9 } }))).message).toBe(BOTH_SAMPLERS);
  });

  it.each([
    ['temperature alone', { maxTokens: 512, temperature: 0 }],
    ['topP alone', { maxTokens: 512, topP: 0.9 }],
    ['neither', { maxTokens: 512 }],
  ])('answers %s', async (_name, inferenceConfig) => {
    await expect(converse({ inferenceConfig })).resolves.toBeDefined();
  });

  it("refuses a maxTokens above Claude Haiku 4.5's 64,000 output tokens", async () => {
    const error = await validationError(converse({ inferenceConfig: { maxTokens: 64_001, temperature: 0 } }));

    expect(error.message).toBe('The maximum tokens you requested exceeds the model limit of 64000. Try again with a maximum tokens value that is lower than 64000.');
  });

  it('answers a maxTokens of exactly 64,000', async () => {
    await expect(converse({ inferenceConfig: { maxTokens: 64_000, temperature: 0 } })).resolves.toBeDefined();
  });

  it.each([
    ['a maxTokens of 0', { maxTokens: 0 }, /'inferenceConfig\.maxTokens' failed to satisfy constraint: Member must have value greater than or equal to 1/],
    ['a temperature above 1', { temperature: 1.5 }, /'inferenceConfig\.temperature' .*less than or equal to 1/],
    ['a negative topP', { topP: -0.1 }, /'inferenceConfig\.topP' .*greater than or equal to 0/],
  ])('refuses %s', async (_name, inferenceConfig, message) => {
    expect((await validationError(converse({ inferenceConfig }))).message).toMatch(message);
  });
});

describe('bedrock emulator: the Converse conversation rules, through the real SDK client', () => {
  it.each<[string, Message[], RegExp]>([
    ['no message', [], /^A conversation must start with a user message\. Try again/],
    ['a first assistant message', [assistant('Hello.'), user('Where is Las Vegas?')], /^A conversation must start with a user message/],
    ['two user messages in a row', [user('Hi.'), user('Where is Las Vegas?')], /^A conversation must alternate between user and assistant roles\./],
    ['two assistant messages in a row', [user('Hi.'), assistant('Hello.'), assistant('Yes?'), user('Where?')], /^A conversation must alternate/],
    ['a last assistant message (a prefill)', [user('Hi.'), assistant('Hello.')], /The conversation must end with a user message\.$/],
    ['a blank text block', [user('Hi.'), assistant('Hello.'), user(' \n ')], /^The text field in the ContentBlock object at messages\.2\.content\.0 is blank\. Add text to the text field, and try again\.$/],
    ['an empty text block', [{ role: 'user', content: [{ text: 'a' }, { text: '' }] }], /at messages\.0\.content\.1 is blank/],
    ['a message without content', [{ role: 'user', content: [] }], /^The content field in the Message object at messages\.0 is empty/],
  ])('refuses %s on Converse and on ConverseStream', async (_name, messages, message) => {
    expect((await validationError(converse({ messages }))).message).toMatch(message);
    expect((await validationError(converseStream({ messages }))).message).toMatch(message);
  });

  it('refuses a blank system prompt', async () => {
    expect((await validationError(converse({ system: [{ text: '  ' }] }))).message).toMatch(/^The text field in the SystemContentBlock object at system\.0 is blank/);
  });

  it('answers a conversation that alternates from user to user', async () => {
    await expect(converse({ messages: [user('I plan a trip.'), assistant('Where to?'), user('Where is Las Vegas?')] })).resolves.toBeDefined();
  });
});

describe('bedrock emulator: the Titan Text Embeddings V2 input rules, through the real SDK client', () => {
  it('refuses a field Titan V2 does not take, naming it', async () => {
    expect((await validationError(embed({ inputText: 'x', textGenerationConfig: {} }))).message).toBe(
      'Malformed input request: #: extraneous key [textGenerationConfig] is not permitted, please reformat your input and try again.',
    );
  });

  it('refuses a normalize that is not a boolean', async () => {
    expect((await validationError(embed({ inputText: 'x', normalize: 'yes' }))).message).toMatch(/#\/normalize: expected type: Boolean/);
  });

  it('refuses embeddingTypes other than a list of "float" and "binary", and takes one that is', async () => {
    expect((await validationError(embed({ inputText: 'x', embeddingTypes: ['int8'] }))).message).toMatch(/#\/embeddingTypes/);
    await expect(embed({ inputText: 'x', embeddingTypes: ['float', 'binary'] })).resolves.toBeDefined();
  });

  it('takes the body the runtime sends: inputText, dimensions, normalize', async () => {
    await expect(embed({ inputText: 'Where is Las Vegas?', dimensions: 512, normalize: true })).resolves.toBeDefined();
  });

  it('refuses 50,001 characters and dimensions outside 256/512/1024', async () => {
    expect((await validationError(embed({ inputText: 'x'.repeat(50_001) }))).message).toMatch(/expected maxLength: 50000, actual: 50001/);
    expect((await validationError(embed({ inputText: 'x', dimensions: 768 }))).message).toMatch(/#\/dimensions: 768 is not a valid enum value/);
  });
});
