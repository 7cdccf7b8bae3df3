import { InvalidRequestError } from '../../../lambda/core/errors';
import { toConverseRequest } from '../../../lambda/core/keys';
import { parseRequest, type RequestDefaults } from '../../../lambda/core/request';
import { rejectionOf } from '../../support/rejection';

const HAIKU = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';
const SONNET = 'global.anthropic.claude-sonnet-4-5-20250929-v1:0';
const UNLISTED = 'anthropic.claude-unlisted-v1:0';

const DEFAULTS: RequestDefaults = {
  mode: 'semantic',
  modelId: HAIKU,
  allowedModelIds: [HAIKU, SONNET, UNLISTED],
  ttlSeconds: 86_400,
  threshold: 0.9,
  minThreshold: 0.9,
  semanticCheck: 'on',
  namespace: 'default',
  maxTokens: 512,
  maxPromptChars: 1000,
};

/** The InvalidRequestError `parseRequest` throws for `input` (fails the test if it does not). */
function refusal(input: Record<string, unknown>): Promise<InvalidRequestError> {
  return rejectionOf<InvalidRequestError>(Promise.resolve().then(() => parseRequest({ prompt: 'Where is Las Vegas?', ...input }, DEFAULTS)));
}

describe('parseRequest: temperature or topP, never both', () => {
  it('sends temperature 0 and no topP when the request sets neither', () => {
    const { inferenceConfig } = toConverseRequest(parseRequest({ prompt: 'hi' }, DEFAULTS));

    expect(inferenceConfig).toEqual({ maxTokens: 512, temperature: 0 });
  });

  it('sends only topP when the request sets only topP', () => {
    const { inferenceConfig } = toConverseRequest(parseRequest({ prompt: 'hi', topP: 0.9 }, DEFAULTS));

    expect(inferenceConfig).toEqual({ maxTokens: 512, topP: 0.9 });
  });

  it('sends only temperature when the request sets only temperature', () => {
    const { inferenceConfig } = toConverseRequest(parseRequest({ prompt: 'hi', temperature: 0.4 }, DEFAULTS));

    expect(inferenceConfig).toEqual({ maxTokens: 512, temperature: 0.4 });
  });

  it('refuses the old default pair (temperature 0 with topP 1) on Claude Haiku 4.5, naming the model and the rule', async () => {
    const error = await refusal({ temperature: 0, topP: 1 });

    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.code).toBe('InvalidRequest');
    expect(error.message).toBe(
      `send "temperature" or "topP", not both: "${HAIKU}" (Claude Haiku 4.5) takes only one of the two (Bedrock refuses both for Claude Sonnet 4.5 and Haiku 4.5)`,
    );
  });

  it('refuses both on Claude Sonnet 4.5 through a global. inference profile', async () => {
    expect((await refusal({ modelId: SONNET, temperature: 0.5, topP: 0.5 })).message).toMatch(/not both: .*\(Claude Sonnet 4\.5\)/);
  });

  it('refuses both on an allowed model the table does not list (the safe default)', async () => {
    expect((await refusal({ modelId: UNLISTED, temperature: 0.5, topP: 0.5 })).message).toMatch(/not both: "anthropic\.claude-unlisted-v1:0" \(a model this function does not list\)/);
  });

  it('treats a null topP as absent', () => {
    expect(parseRequest({ prompt: 'hi', temperature: 0.2, topP: null }, DEFAULTS)).toMatchObject({ temperature: 0.2 });
  });
});

describe("parseRequest: maxTokens up to the model's max output tokens", () => {
  it('accepts 64,000 on Claude Haiku 4.5 (its documented max output)', () => {
    expect(parseRequest({ prompt: 'hi', maxTokens: 64_000 }, DEFAULTS).maxTokens).toBe(64_000);
  });

  it('refuses 64,001 on Claude Haiku 4.5 before any call, naming the model and its limit', async () => {
    expect((await refusal({ maxTokens: 64_001 })).message).toBe(`"maxTokens" 64001 is above the 64000 output tokens "${HAIKU}" (Claude Haiku 4.5) takes`);
  });

  it('refuses 64,001 on Claude Sonnet 4.5', async () => {
    expect((await refusal({ modelId: SONNET, maxTokens: 64_001 })).message).toMatch(/above the 64000 output tokens .*Claude Sonnet 4\.5/);
  });

  it('accepts up to the request limit (128,000) on a model the table does not list', () => {
    expect(parseRequest({ prompt: 'hi', modelId: UNLISTED, maxTokens: 128_000 }, DEFAULTS).maxTokens).toBe(128_000);
  });
});
