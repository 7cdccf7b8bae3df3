import { InvalidRequestError } from '../../../lambda/core/errors';
import { MAX_TURNS } from '../../../lambda/core/conversation';
import { parseRequest, type RequestDefaults } from '../../../lambda/core/request';

const DEFAULTS: RequestDefaults = {
  mode: 'semantic',
  modelId: 'model-a',
  allowedModelIds: ['model-a', 'model-b'],
  ttlSeconds: 86_400,
  threshold: 0.9,
  minThreshold: 0.7,
  semanticCheck: 'on',
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
  it('accepts mode "refresh"', () => {
    expect(parseRequest({ prompt: 'hi', mode: 'refresh' }, DEFAULTS).mode).toBe('refresh');
  });

  it('fills in every default when only the prompt is given', () => {
    const request = parseRequest({ prompt: 'hi' }, DEFAULTS);

    expect(request).toEqual({
      prompt: 'hi',
      system: undefined,
      mode: 'semantic',
      modelId: 'model-a',
      maxTokens: 512,
      temperature: 0,
      ttlSeconds: 86_400,
      threshold: 0.9,
      semanticCheck: 'on',
      namespace: 'default',
      history: [],
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
      ttlSeconds: 60,
      threshold: 0.75,
      namespace: 'tenant-a',
    };

    expect(parseRequest(input, DEFAULTS)).toEqual({ ...input, semanticCheck: 'on', history: [] });
  });

  it('lets a request make the same-question check stricter', () => {
    expect(parseRequest({ prompt: 'hi', semanticCheck: 'strict' }, DEFAULTS).semanticCheck).toBe('strict');
    expect(parseRequest({ prompt: 'hi', semanticCheck: 'on' }, { ...DEFAULTS, semanticCheck: 'off' }).semanticCheck).toBe('on');
  });

  it('refuses a request that would make the same-question check looser than configured', () => {
    expect(() => parseRequest({ prompt: 'hi', semanticCheck: 'off' }, DEFAULTS)).toThrow(/"semanticCheck" off is looser than the configured on/);
    expect(() => parseRequest({ prompt: 'hi', semanticCheck: 'on' }, { ...DEFAULTS, semanticCheck: 'strict' })).toThrow(InvalidRequestError);
    expect(() => parseRequest({ prompt: 'hi', semanticCheck: 'loose' }, DEFAULTS)).toThrow(/must be one of off, on, strict/);
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
    ['an unknown mode', { prompt: 'hi', mode: 'fuzzy' }, /"mode" must be one of standard, semantic, off, refresh/],
    ['a numeric mode', { prompt: 'hi', mode: 1 }, /"mode" must be one of/],
    ['a numeric modelId', { prompt: 'hi', modelId: 7 }, /"modelId" must be a string/],
    ['a modelId not allowed', { prompt: 'hi', modelId: 'model-z' }, /"modelId" "model-z" is not allowed; allowed: model-a, model-b/],
    ['an empty modelId', { prompt: 'hi', modelId: '' }, /"modelId" "" is not allowed/],
    ['a string maxTokens', { prompt: 'hi', maxTokens: '100' }, /"maxTokens" must be an integer/],
    ['a zero maxTokens', { prompt: 'hi', maxTokens: 0 }, /"maxTokens" must be an integer from 1 to 128000; got 0/],
    ['a fractional maxTokens', { prompt: 'hi', maxTokens: 1.5 }, /"maxTokens" must be an integer/],
    ['a maxTokens over the limit', { prompt: 'hi', maxTokens: 128_001 }, /"maxTokens" must be an integer from 1 to 128000; got 128001/],
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
    ['an unknown field', { prompt: 'hi', temprature: 0 }, /unknown field\(s\): "temprature"; allowed: prompt, messages, system/],
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

describe('parseRequest with "messages" (a Converse conversation)', () => {
  const user = (...texts: string[]) => ({ role: 'user', content: texts.map((text) => ({ text })) });
  const assistant = (...texts: string[]) => ({ role: 'assistant', content: texts.map((text) => ({ text })) });

  it('takes the final user turn as the prompt and the earlier turns as history', () => {
    const request = parseRequest({ messages: [user('Hi'), assistant('Hello!'), user('Where is Las Vegas?')] }, DEFAULTS);

    expect(request.prompt).toBe('Where is Las Vegas?');
    expect(request.history).toEqual([
      { role: 'user', content: ['Hi'] },
      { role: 'assistant', content: ['Hello!'] },
    ]);
    expect(request.promptBlocks).toBeUndefined();
  });

  it('gives a single user message an empty history, like a prompt', () => {
    const fromMessages = parseRequest({ messages: [user('hi')] }, DEFAULTS);
    const fromPrompt = parseRequest({ prompt: 'hi' }, DEFAULTS);

    expect(fromMessages).toEqual(fromPrompt);
    expect(fromMessages.history).toEqual([]);
  });

  it('keeps the text blocks of a message separate, in order', () => {
    const request = parseRequest({ messages: [user('a', 'b'), assistant('c', 'd'), user('e', 'f')] }, DEFAULTS);

    expect(request.history).toEqual([
      { role: 'user', content: ['a', 'b'] },
      { role: 'assistant', content: ['c', 'd'] },
    ]);
    expect(request.promptBlocks).toEqual(['e', 'f']);
    expect(request.prompt).toBe('e\nf');
  });

  it(`accepts the longest alternating conversation within ${MAX_TURNS} messages, at the character limit in all`, () => {
    const earlier = Array.from({ length: MAX_TURNS - 2 }, (_, i) => (i % 2 === 0 ? user('u') : assistant('a')));
    const request = parseRequest({ messages: [...earlier, user('x'.repeat(100 - earlier.length))] }, DEFAULTS);

    expect(request.history).toHaveLength(MAX_TURNS - 2);
  });

  it('treats a null "messages" as absent', () => {
    expect(parseRequest({ prompt: 'hi', messages: null }, DEFAULTS).prompt).toBe('hi');
  });

  it('keeps the other fields and their rules', () => {
    const request = parseRequest({ messages: [user('hi')], system: 'sys', mode: 'standard', namespace: 'tenant-a' }, DEFAULTS);

    expect(request).toMatchObject({ system: 'sys', mode: 'standard', namespace: 'tenant-a' });
  });

  const overLimit = Array.from({ length: MAX_TURNS + 1 }, (_, i) => (i % 2 === 0 ? user('u') : assistant('a')));
  it.each<[string, unknown, RegExp]>([
    ['both prompt and messages', { prompt: 'hi', messages: [user('hi')] }, /either "prompt" or "messages", not both/],
    ['neither prompt nor messages', {}, /"prompt" is required and must be a non-empty string \(or send "messages"\)/],
    ['a non-array messages', { messages: 'hi' }, /"messages" must be an array of messages/],
    ['an object messages', { messages: { role: 'user' } }, /"messages" must be an array of messages/],
    ['an empty messages', { messages: [] }, /"messages" must hold at least one message/],
    ['more turns than the limit', { messages: overLimit }, new RegExp(`"messages" has ${MAX_TURNS + 1} messages; the limit is ${MAX_TURNS}`)],
    ['a message that is not an object', { messages: ['hi'] }, /messages\[0\] must be an object with "role" and "content"/],
    ['a null message', { messages: [null] }, /messages\[0\] must be an object/],
    ['a message with an unknown field', { messages: [{ ...user('hi'), name: 'x' }] }, /messages\[0\] has unknown field\(s\): "name"; allowed: role, content/],
    ['an unknown role', { messages: [{ role: 'system', content: [{ text: 'hi' }] }] }, /messages\[0\]\.role must be "user" or "assistant"/],
    ['a missing role', { messages: [{ content: [{ text: 'hi' }] }] }, /messages\[0\]\.role must be "user" or "assistant"/],
    ['a conversation starting with the assistant', { messages: [assistant('hi'), user('hi')] }, /messages\[0\] is an "assistant" message; roles must alternate, starting with "user"/],
    ['two user messages in a row', { messages: [user('a'), user('b')] }, /messages\[1\] is a "user" message; roles must alternate/],
    ['two assistant messages in a row', { messages: [user('a'), assistant('b'), assistant('c'), user('d')] }, /messages\[2\] is an "assistant" message; roles must alternate/],
    ['a conversation ending with the assistant', { messages: [user('a'), assistant('b')] }, /the last message \(messages\[1\]\) must be a "user" message/],
    ['a string content', { messages: [{ role: 'user', content: 'hi' }] }, /messages\[0\]\.content must be a non-empty array of text blocks/],
    ['an empty content', { messages: [{ role: 'user', content: [] }] }, /messages\[0\]\.content must be a non-empty array of text blocks/],
    ['a block that is not an object', { messages: [{ role: 'user', content: ['hi'] }] }, /messages\[0\]\.content\[0\] must be a text block \{ "text": "\.\.\." \}/],
    ['an empty block', { messages: [{ role: 'user', content: [{}] }] }, /messages\[0\]\.content\[0\] must be a text block/],
    ['an image block', { messages: [{ role: 'user', content: [{ text: 'see' }, { image: { format: 'png', source: { bytes: 'AA==' } } }] }] }, /messages\[0\]\.content\[1\] is an? "image" block; only text blocks are supported/],
    ['a document block', { messages: [{ role: 'user', content: [{ document: {} }] }] }, /messages\[0\]\.content\[0\] is an? "document" block; only text blocks are supported/],
    ['a toolUse block', { messages: [user('a'), { role: 'assistant', content: [{ toolUse: {} }] }, user('b')] }, /messages\[1\]\.content\[0\] is an? "toolUse" block/],
    ['a toolResult block', { messages: [{ role: 'user', content: [{ toolResult: {} }] }] }, /"toolResult" block; only text blocks/],
    ['a guardContent block', { messages: [{ role: 'user', content: [{ guardContent: {} }] }] }, /"guardContent" block; only text blocks/],
    ['a cachePoint block', { messages: [{ role: 'user', content: [{ cachePoint: { type: 'default' } }] }] }, /"cachePoint" block; only text blocks/],
    ['a text block with another member', { messages: [{ role: 'user', content: [{ text: 'hi', image: {} }] }] }, /messages\[0\]\.content\[0\] is an? "image" block/],
    ['a numeric text', { messages: [{ role: 'user', content: [{ text: 5 }] }] }, /"messages\[0\]\.content\[0\]\.text" must be a string/],
    ['a null text', { messages: [{ role: 'user', content: [{ text: null }] }] }, /"messages\[0\]\.content\[0\]\.text" must be a string/],
    ['a blank text block', { messages: [user('a'), assistant(' \n '), user('b')] }, /messages\[1\]\.content\[0\]\.text must not be blank/],
    ['an empty text block', { messages: [user('')] }, /messages\[0\]\.content\[0\]\.text must not be blank/],
    ['a lone surrogate in a turn', { messages: [user('a'), assistant('b \uD83D'), user('c')] }, /"messages\[1\]\.content\[0\]\.text" contains invalid Unicode/],
    ['one block over the limit', { messages: [user('x'.repeat(101))] }, /"messages\[0\]\.content\[0\]\.text" is 101 characters; the limit is 100/],
    ['turns over the limit in all', { messages: [user('x'.repeat(60)), assistant('y'.repeat(30)), user('z'.repeat(11))] }, /"messages" hold 101 characters in all; the limit is 100/],
  ])('rejects %s with InvalidRequestError', (_name, input, message) => {
    const error = rejection(input);

    expect(error.code).toBe('InvalidRequest');
    expect(error.message).toMatch(message);
  });

  it('bounds the echo of a long block type name', () => {
    const error = rejection({ messages: [{ role: 'user', content: [{ ['k'.repeat(500)]: 1 }] }] });

    expect(error.message).not.toContain('k'.repeat(65));
  });
});
