import { createHash } from 'node:crypto';
import { exactKey, KEY_PREFIX, KEY_VERSION, promptDigest, scopeHash, sha256Hex, toConverseRequest } from '../../../lambda/core/keys';
import { parseRequest, type RequestDefaults } from '../../../lambda/core/request';
import type { CacheRequest, ConverseRequest } from '../../../lambda/core/types';
import { withChange, type RequestChange } from '../../support/cache-request';

function hashOf(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

const REQUEST: CacheRequest = {
  prompt: 'Where is Las Vegas?',
  system: 'Be brief.',
  mode: 'semantic',
  modelId: 'model-a',
  maxTokens: 512,
  temperature: 0,
  ttlSeconds: 3600,
  threshold: 0.9,
  namespace: 'tenant-a',
};

describe('toConverseRequest', () => {
  it('carries model, system, the prompt as one user message, and the inference settings', () => {
    const converse = toConverseRequest(REQUEST);

    expect(converse).toEqual({
      modelId: 'model-a',
      system: [{ text: 'Be brief.' }],
      messages: [{ role: 'user', content: [{ text: 'Where is Las Vegas?' }] }],
      inferenceConfig: { maxTokens: 512, temperature: 0 },
    });
  });

  it('sends temperature without topP for a request with a temperature', () => {
    const { inferenceConfig } = toConverseRequest(withChange(REQUEST, { temperature: 0.7 }));

    expect(inferenceConfig).toEqual({ maxTokens: 512, temperature: 0.7 });
    expect('topP' in inferenceConfig).toBe(false);
  });

  it('sends topP without temperature for a request with a topP', () => {
    const { inferenceConfig } = toConverseRequest(withChange(REQUEST, { topP: 0.9 }));

    expect(inferenceConfig).toEqual({ maxTokens: 512, topP: 0.9 });
    expect('temperature' in inferenceConfig).toBe(false);
  });

  it('omits system when the request has none', () => {
    const converse = toConverseRequest({ ...REQUEST, system: undefined });

    expect('system' in converse).toBe(false);
  });

  it('leaves cache-only settings (mode, ttl, threshold, namespace) out of what is sent to the model', () => {
    const converse = toConverseRequest(REQUEST);

    expect(JSON.stringify(converse)).not.toMatch(/ttlSeconds|threshold|namespace|mode"/);
  });
});

describe('toConverseRequest for a conversation', () => {
  const HISTORY: CacheRequest['history'] = [
    { role: 'user', content: ['I am planning a trip.'] },
    { role: 'assistant', content: ['Where to?', 'Tell me more.'] },
  ];

  it('sends the history turns, then the final user turn, each as text blocks', () => {
    const converse = toConverseRequest({ ...REQUEST, history: HISTORY });

    expect(converse.messages).toEqual([
      { role: 'user', content: [{ text: 'I am planning a trip.' }] },
      { role: 'assistant', content: [{ text: 'Where to?' }, { text: 'Tell me more.' }] },
      { role: 'user', content: [{ text: 'Where is Las Vegas?' }] },
    ]);
  });

  it('sends a final turn of several blocks as those blocks, not as the joined prompt', () => {
    const converse = toConverseRequest({ ...REQUEST, prompt: 'a\nb', promptBlocks: ['a', 'b'] });

    expect(converse.messages).toEqual([{ role: 'user', content: [{ text: 'a' }, { text: 'b' }] }]);
  });
});

describe('keys of a conversation', () => {
  const DEFAULTS: RequestDefaults = {
    mode: 'semantic',
    modelId: 'model-a',
    allowedModelIds: ['model-a'],
    ttlSeconds: 3600,
    threshold: 0.9,
    minThreshold: 0.9,
    semanticCheck: 'on',
    namespace: 'ns',
    maxTokens: 512,
    maxPromptChars: 100_000,
  };
  const user = (text: string) => ({ role: 'user', content: [{ text }] });
  const assistant = (text: string) => ({ role: 'assistant', content: [{ text }] });
  const keyOfInput = (input: object): string => exactKey('ns', toConverseRequest(parseRequest(input, DEFAULTS)));
  const scopeOfInput = (input: object): string => scopeHash('ns', toConverseRequest(parseRequest(input, DEFAULTS)));
  const EARLIER = [user('I am planning a trip to Nevada.'), assistant('Nevada is a great choice.')];

  it('is the hash of what is sent: temperature 0 and no topP by default', () => {
    const handWritten = '{"inferenceConfig":{"maxTokens":512,"temperature":0},"messages":[{"content":[{"text":"hi"}],"role":"user"}],"modelId":"model-a"}';

    expect(keyOfInput({ prompt: 'hi' })).toBe(`llmcache:v1:ns:${hashOf(handWritten)}`);
  });

  it('is the hash of what is sent: topP and no temperature for a request with only a topP', () => {
    const handWritten = '{"inferenceConfig":{"maxTokens":512,"topP":0.9},"messages":[{"content":[{"text":"hi"}],"role":"user"}],"modelId":"model-a"}';

    expect(keyOfInput({ prompt: 'hi', topP: 0.9 })).toBe(`llmcache:v1:ns:${hashOf(handWritten)}`);
  });

  it('is never the key of the request once sent with temperature and topP together (those entries are never hit again)', () => {
    const before = '{"inferenceConfig":{"maxTokens":512,"temperature":0,"topP":1},"messages":[{"content":[{"text":"hi"}],"role":"user"}],"modelId":"model-a"}';

    expect(keyOfInput({ prompt: 'hi' })).not.toBe(`llmcache:v1:ns:${hashOf(before)}`);
  });

  it('is the same for a prompt and for the same single user message (the same Converse request)', () => {
    expect(keyOfInput({ messages: [user('Where is Las Vegas?')] })).toBe(keyOfInput({ prompt: 'Where is Las Vegas?' }));
    expect(scopeOfInput({ messages: [user('Where is Las Vegas?')] })).toBe(scopeOfInput({ prompt: 'Where is Las Vegas?' }));
  });

  it('covers the whole conversation: an earlier turn changes the exact key', () => {
    const base = keyOfInput({ messages: [...EARLIER, user('Where is Las Vegas?')] });

    expect(keyOfInput({ messages: [user('I am planning a trip to Utah.'), EARLIER[1], user('Where is Las Vegas?')] })).not.toBe(base);
    expect(keyOfInput({ prompt: 'Where is Las Vegas?' })).not.toBe(base);
  });

  it('differs between one block and the same text split into two blocks', () => {
    const oneBlock = keyOfInput({ messages: [user('a\nb')] });

    expect(keyOfInput({ messages: [{ role: 'user', content: [{ text: 'a' }, { text: 'b' }] }] })).not.toBe(oneBlock);
  });

  it('scopes a conversation by everything but its final user turn', () => {
    const scope = scopeOfInput({ messages: [...EARLIER, user('Where is Las Vegas?')] });

    expect(scopeOfInput({ messages: [...EARLIER, user('Where is Vegas?')] })).toBe(scope);
    expect(scopeOfInput({ messages: [EARLIER[0], assistant('Nevada is a fine choice.'), user('Where is Las Vegas?')] })).not.toBe(scope);
    expect(scopeOfInput({ prompt: 'Where is Las Vegas?' })).not.toBe(scope);
  });
});

describe('sha256Hex', () => {
  it('is the hex SHA-256 of its input', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('exactKey', () => {
  it('is the prefix, version, namespace and sha256 of the deep-sorted request JSON', () => {
    const converse: ConverseRequest = {
      modelId: 'm',
      messages: [{ role: 'user', content: [{ text: 'hi' }] }],
      inferenceConfig: { maxTokens: 10, temperature: 0.5, topP: 1 },
    };
    const handWritten = '{"inferenceConfig":{"maxTokens":10,"temperature":0.5,"topP":1},"messages":[{"content":[{"text":"hi"}],"role":"user"}],"modelId":"m"}';

    const key = exactKey('ns', converse);

    expect(key).toBe(`llmcache:v1:ns:${hashOf(handWritten)}`);
    expect(key.startsWith(`${KEY_PREFIX}${KEY_VERSION}:`)).toBe(true);
  });

  it('does not depend on the order the request fields were written in', () => {
    const ordered = toConverseRequest(REQUEST);
    const reordered: ConverseRequest = {
      inferenceConfig: { temperature: 0, maxTokens: 512 },
      messages: ordered.messages,
      system: ordered.system,
      modelId: ordered.modelId,
    };

    expect(exactKey('ns', reordered)).toBe(exactKey('ns', ordered));
  });

  it.each<[string, RequestChange]>([
    ['prompt', { prompt: 'Where is Reno?' }],
    ['system prompt', { system: 'Be verbose.' }],
    ['absent system prompt', { system: undefined }],
    ['model id', { modelId: 'model-b' }],
    ['temperature', { temperature: 0.7 }],
    ['top p', { topP: 0.5 }],
    ['max tokens', { maxTokens: 100 }],
  ])('changes when the %s changes', (_name, change) => {
    const base = exactKey('ns', toConverseRequest(REQUEST));

    expect(exactKey('ns', toConverseRequest(withChange(REQUEST, change)))).not.toBe(base);
  });

  it('differs between namespaces for the same request', () => {
    const converse = toConverseRequest(REQUEST);

    expect(exactKey('tenant-a', converse)).not.toBe(exactKey('tenant-b', converse));
  });

  it('uses a replacement key encoder when given one', () => {
    const key = exactKey('ns', toConverseRequest(REQUEST), (canonical) => `len${canonical.length}`);

    expect(key).toMatch(/^llmcache:v1:ns:len\d+$/);
  });
});

describe('scopeHash', () => {
  it('is the sha256 of the namespace and the request without its final user message', () => {
    const converse: ConverseRequest = {
      modelId: 'm',
      messages: [{ role: 'user', content: [{ text: 'hi' }] }],
      inferenceConfig: { maxTokens: 10, temperature: 0, topP: 1 },
    };
    const handWritten = '{"namespace":"ns","request":{"inferenceConfig":{"maxTokens":10,"temperature":0,"topP":1},"messages":[],"modelId":"m"}}';

    expect(scopeHash('ns', converse)).toBe(hashOf(handWritten));
  });

  it('is the same for two different prompts in otherwise equal requests', () => {
    const first = scopeHash('ns', toConverseRequest(REQUEST));
    const second = scopeHash('ns', toConverseRequest({ ...REQUEST, prompt: 'Where is Reno?' }));

    expect(second).toBe(first);
  });

  it.each<[string, RequestChange]>([
    ['system prompt', { system: 'Be verbose.' }],
    ['model id', { modelId: 'model-b' }],
    ['temperature', { temperature: 0.7 }],
    ['top p', { topP: 0.5 }],
    ['max tokens', { maxTokens: 100 }],
  ])('changes when the %s changes', (_name, change) => {
    const base = scopeHash('ns', toConverseRequest(REQUEST));

    expect(scopeHash('ns', toConverseRequest(withChange(REQUEST, change)))).not.toBe(base);
  });

  it('changes with the namespace', () => {
    const converse = toConverseRequest(REQUEST);

    expect(scopeHash('tenant-a', converse)).not.toBe(scopeHash('tenant-b', converse));
  });

  it('does not modify the request it hashes', () => {
    const converse = toConverseRequest(REQUEST);

    scopeHash('ns', converse);

    expect(converse.messages).toHaveLength(1);
  });
});

describe('promptDigest', () => {
  it('is the first 16 hex characters of the prompt sha256', () => {
    expect(promptDigest('Where is Las Vegas?')).toBe(hashOf('Where is Las Vegas?').slice(0, 16));
  });

  it('does not contain the prompt', () => {
    expect(promptDigest('secret')).not.toContain('secret');
  });
});
