import {
  CHAT_MODELS,
  chatModelRules,
  foundationModelOf,
  STRICTEST_MODEL_RULES,
  UNLISTED_MODEL_RULES,
} from '../../../lambda/settings/chat-models';
import { maxTokensProblems } from '../../../lambda/settings/checks';
import { DEFAULT_MODEL_ID, MAX_TOKENS_LIMIT } from '../../../lambda/settings/values';

const HAIKU = 'anthropic.claude-haiku-4-5-20251001-v1:0';

describe('foundationModelOf', () => {
  it.each(['us', 'eu', 'apac', 'global', 'jp', 'us-gov'])('strips the %s. inference-profile prefix', (prefix) => {
    expect(foundationModelOf(`${prefix}.${HAIKU}`)).toBe(HAIKU);
  });

  it('keeps a foundation-model id as it is', () => {
    expect(foundationModelOf(HAIKU)).toBe(HAIKU);
  });

  it('reads the model behind an inference-profile ARN and a foundation-model ARN', () => {
    expect(foundationModelOf(`arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.${HAIKU}`)).toBe(HAIKU);
    expect(foundationModelOf(`arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}`)).toBe(HAIKU);
  });

  it('leaves a provider that only looks like a prefix alone', () => {
    expect(foundationModelOf('amazon.titan-text-v1')).toBe('amazon.titan-text-v1');
  });
});

describe('chatModelRules', () => {
  it('lists the default model, Claude Haiku 4.5: 64,000 output tokens, one sampler', () => {
    expect(chatModelRules(DEFAULT_MODEL_ID)).toEqual({ name: 'Claude Haiku 4.5', maxOutputTokens: 64_000, samplers: 'one' });
  });

  it('lists Claude Sonnet 4.5 through any profile prefix', () => {
    expect(chatModelRules('eu.anthropic.claude-sonnet-4-5-20250929-v1:0').name).toBe('Claude Sonnet 4.5');
  });

  it('gives a model the table does not list one sampler and the request limit', () => {
    expect(chatModelRules('anthropic.claude-unlisted-v1:0')).toBe(UNLISTED_MODEL_RULES);
    expect(UNLISTED_MODEL_RULES).toMatchObject({ maxOutputTokens: MAX_TOKENS_LIMIT, samplers: 'one' });
  });

  it('holds the emulator to the strictest rules: the smallest max output of any model, one sampler', () => {
    const smallest = Math.min(MAX_TOKENS_LIMIT, ...Object.values(CHAT_MODELS).map((rules) => rules.maxOutputTokens));

    expect(STRICTEST_MODEL_RULES).toMatchObject({ maxOutputTokens: smallest, samplers: 'one' });
  });
});

describe('maxTokensProblems', () => {
  it('finds none for the default 512 and the listed models', () => {
    expect(maxTokensProblems(512, [DEFAULT_MODEL_ID, 'us.anthropic.claude-sonnet-4-5-20250929-v1:0'], 'maxTokens')).toEqual([]);
  });

  it('names each allowed model whose max output is below the default', () => {
    expect(maxTokensProblems(100_000, [DEFAULT_MODEL_ID, 'anthropic.claude-unlisted-v1:0'], 'LLM_MAX_TOKENS')).toEqual([
      `LLM_MAX_TOKENS=100000 is above the 64000 output tokens ${DEFAULT_MODEL_ID} (Claude Haiku 4.5) takes; lower it or remove the model`,
    ]);
  });
});
