import { InvalidRequestError } from '../../../lambda/core/errors';
import { parseRequest, type RequestDefaults } from '../../../lambda/core/request';

const DEFAULTS: RequestDefaults = {
  mode: 'semantic',
  modelId: 'model-a',
  allowedModelIds: ['model-a', 'model-b'],
  ttlSeconds: 86_400,
  threshold: 0.9,
  minThreshold: 0.7,
  namespace: 'default',
  maxTokens: 512,
  maxPromptChars: 100,
};

function rejection(input: unknown): InvalidRequestError {
  try {
    parseRequest(input, DEFAULTS);
  } catch (error) {
    if (error instanceof InvalidRequestError) return error;
    throw new Error(`expected InvalidRequestError, got ${String(error)}`);
  }
  throw new Error('expected the request to be rejected');
}

describe('parseRequest', () => {
  it('fills in every default when only the prompt is given', () => {
    const request = parseRequest({ prompt: 'hi' }, DEFAULTS);

    expect(request).toEqual({
      prompt: 'hi',
      system: undefined,
      mode: 'semantic',
      modelId: 'model-a',
      maxTokens: 512,
      temperature: 0,
      topP: 1,
      ttlSeconds: 86_400,
      threshold: 0.9,
      namespace: 'default',
    });
  });

  it('keeps every field the caller sets', () => {
    const input = {
      prompt: 'hi',
      system: 'sys',
      mode: 'standard',
      modelId: 'model-b',
      maxTokens: 100,
      temperature: 0.3,
      topP: 0.8,
      ttlSeconds: 60,
      threshold: 0.75,
      namespace: 'tenant-a',
    };

    expect(parseRequest(input, DEFAULTS)).toEqual(input);
  });

  it('treats null members as absent', () => {
    const request = parseRequest({ prompt: 'hi', system: null, mode: null, temperature: null, namespace: null }, DEFAULTS);

    expect(request).toMatchObject({ system: undefined, mode: 'semantic', temperature: 0, namespace: 'default' });
  });

  it.each([0.7, 1])('accepts the threshold boundary %s (the floor and 1)', (threshold) => {
    expect(parseRequest({ prompt: 'hi', threshold }, DEFAULTS).threshold).toBe(threshold);
  });

  it('accepts a prompt of exactly the limit', () => {
    expect(parseRequest({ prompt: 'x'.repeat(100) }, DEFAULTS).prompt).toHaveLength(100);
  });

  it('accepts well-formed surrogate pairs (emoji)', () => {
    expect(parseRequest({ prompt: 'hi \u{1F600}' }, DEFAULTS).prompt).toBe('hi \u{1F600}');
  });

  it.each<[string, unknown, RegExp]>([
    ['a non-object request', 'hi', /JSON object/],
    ['a null request', null, /JSON object/],
    ['an array request', [{ prompt: 'hi' }], /JSON object/],
    ['a missing prompt', {}, /"prompt" is required/],
    ['a null prompt', { prompt: null }, /"prompt" is required/],
    ['an empty prompt', { prompt: '' }, /"prompt" is required/],
    ['a blank prompt', { prompt: ' \n\t ' }, /"prompt" is required/],
    ['a numeric prompt', { prompt: 5 }, /"prompt" must be a string/],
    ['a prompt over the limit', { prompt: 'x'.repeat(101) }, /"prompt" is 101 characters; the limit is 100/],
    ['a prompt with a lone high surrogate', { prompt: 'hi \uD83D' }, /"prompt" contains invalid Unicode/],
    ['a prompt with a lone low surrogate', { prompt: '\uDE00 hi' }, /"prompt" contains invalid Unicode/],
    ['a numeric system', { prompt: 'hi', system: 1 }, /"system" must be a string/],
    ['a system over the limit', { prompt: 'hi', system: 'x'.repeat(101) }, /"system" is 101 characters/],
    ['a system with a lone surrogate', { prompt: 'hi', system: '\uD800' }, /"system" contains invalid Unicode/],
    ['an unknown mode', { prompt: 'hi', mode: 'fuzzy' }, /"mode" must be one of standard, semantic, off/],
    ['a numeric mode', { prompt: 'hi', mode: 1 }, /"mode" must be one of/],
    ['a numeric modelId', { prompt: 'hi', modelId: 7 }, /"modelId" must be a string/],
    ['a modelId not allowed', { prompt: 'hi', modelId: 'model-z' }, /"modelId" "model-z" is not allowed; allowed: model-a, model-b/],
    ['an empty modelId', { prompt: 'hi', modelId: '' }, /"modelId" "" is not allowed/],
    ['a string maxTokens', { prompt: 'hi', maxTokens: '100' }, /"maxTokens" must be an integer/],
    ['a zero maxTokens', { prompt: 'hi', maxTokens: 0 }, /"maxTokens" must be an integer from 1 to 64000; got 0/],
    ['a fractional maxTokens', { prompt: 'hi', maxTokens: 1.5 }, /"maxTokens" must be an integer/],
    ['a maxTokens over the limit', { prompt: 'hi', maxTokens: 64_001 }, /"maxTokens"/],
    ['a string temperature', { prompt: 'hi', temperature: '0.5' }, /"temperature" must be a number from 0 to 1/],
    ['a negative temperature', { prompt: 'hi', temperature: -0.1 }, /"temperature" .*got -0.1/],
    ['a temperature above 1', { prompt: 'hi', temperature: 1.5 }, /"temperature"/],
    ['a NaN temperature', { prompt: 'hi', temperature: Number.NaN }, /"temperature" must be a number/],
    ['a boolean topP', { prompt: 'hi', topP: true }, /"topP" must be a number/],
    ['a topP above 1', { prompt: 'hi', topP: 2 }, /"topP"/],
    ['a string ttlSeconds', { prompt: 'hi', ttlSeconds: '60' }, /"ttlSeconds" must be an integer/],
    ['a zero ttlSeconds', { prompt: 'hi', ttlSeconds: 0 }, /"ttlSeconds" .*got 0/],
    ['a negative ttlSeconds', { prompt: 'hi', ttlSeconds: -5 }, /"ttlSeconds" .*got -5/],
    ['a fractional ttlSeconds', { prompt: 'hi', ttlSeconds: 1.5 }, /"ttlSeconds" must be an integer/],
    ['a ttlSeconds over one year', { prompt: 'hi', ttlSeconds: 365 * 24 * 3600 + 1 }, /"ttlSeconds"/],
    ['an infinite ttlSeconds', { prompt: 'hi', ttlSeconds: Number.POSITIVE_INFINITY }, /"ttlSeconds"/],
    ['a string threshold', { prompt: 'hi', threshold: '0.9' }, /"threshold" must be a number/],
    ['a negative threshold', { prompt: 'hi', threshold: -0.01 }, /"threshold" must be a number from 0 to 1; got -0.01/],
    ['a threshold above 1', { prompt: 'hi', threshold: 1.01 }, /"threshold" .*got 1.01/],
    ['a threshold of 0 (matches anything)', { prompt: 'hi', threshold: 0 }, /"threshold" 0 is below the floor 0.7/],
    ['a threshold just below the floor', { prompt: 'hi', threshold: 0.69 }, /"threshold" 0.69 is below the floor 0.7: a request may raise/],
    ['an empty system', { prompt: 'hi', system: '' }, /"system" must not be blank/],
    ['a whitespace-only system', { prompt: 'hi', system: ' \n\t ' }, /"system" must not be blank/],
    ['a numeric namespace', { prompt: 'hi', namespace: 3 }, /"namespace" must be a string/],
    ['an empty namespace', { prompt: 'hi', namespace: '' }, /"namespace" must be 1-64 characters/],
    ['a namespace with a colon', { prompt: 'hi', namespace: 'a:b' }, /"namespace" must be 1-64 characters/],
    ['a namespace with a glob', { prompt: 'hi', namespace: 'a*' }, /"namespace" must be 1-64 characters/],
    ['a namespace with a space', { prompt: 'hi', namespace: 'a b' }, /"namespace"/],
    ['a namespace over 64 characters', { prompt: 'hi', namespace: 'a'.repeat(65) }, /"namespace"/],
    ['an unknown field', { prompt: 'hi', temprature: 0 }, /unknown field\(s\): "temprature"; allowed: prompt, system/],
  ])('rejects %s with InvalidRequestError', (_name, input, message) => {
    const error = rejection(input);

    expect(error.code).toBe('InvalidRequest');
    expect(error.message).toMatch(message);
  });

  it('bounds the echo of a long unknown field name', () => {
    const error = rejection({ prompt: 'hi', ['k'.repeat(500)]: 1 });

    expect(error.message).toContain(`"${'k'.repeat(64)}..."`);
    expect(error.message).not.toContain('k'.repeat(65));
  });

  it('names at most five unknown fields', () => {
    const error = rejection({ prompt: 'hi', f1: 1, f2: 2, f3: 3, f4: 4, f5: 5, f6: 6 });

    expect(error.message).toContain('"f5"');
    expect(error.message).not.toContain('"f6"');
  });

  it('accepts namespace characters letters, digits, dot, underscore and dash', () => {
    expect(parseRequest({ prompt: 'hi', namespace: 'Tenant_A.prod-1' }, DEFAULTS).namespace).toBe('Tenant_A.prod-1');
  });

  it('lets a request raise the threshold above the configured one', () => {
    expect(parseRequest({ prompt: 'hi', threshold: 0.95 }, DEFAULTS).threshold).toBe(0.95);
  });

  it('uses the namespace bound to the caller instead of the default', () => {
    expect(parseRequest({ prompt: 'hi' }, DEFAULTS, 'iam-abc').namespace).toBe('iam-abc');
  });

  it('accepts a body namespace equal to the bound one', () => {
    expect(parseRequest({ prompt: 'hi', namespace: 'tenant-a' }, DEFAULTS, 'tenant-a').namespace).toBe('tenant-a');
  });

  it('refuses a body namespace that differs from the bound one', () => {
    expect(() => parseRequest({ prompt: 'hi', namespace: 'tenant-b' }, DEFAULTS, 'tenant-a')).toThrow(/"namespace" "tenant-b" is not the caller's namespace/);
  });

  it('validates a default namespace as strictly as a requested one', () => {
    expect(() => parseRequest({ prompt: 'hi' }, { ...DEFAULTS, namespace: 'bad:ns' })).toThrow(InvalidRequestError);
  });
});
