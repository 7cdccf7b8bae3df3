import fc from 'fast-check';
import { canonicalJson } from '../../../lambda/core/canonical-json';
import { canonicalForms, ScopeHashes } from '../../../lambda/core/keys';
import type { ConverseRequest } from '../../../lambda/core/types';

const text = fc.string({ maxLength: 40 });
const converse: fc.Arbitrary<ConverseRequest> = fc.record(
  {
    modelId: text,
    system: fc.array(fc.record({ text }), { maxLength: 2 }),
    messages: fc.array(fc.record({ role: fc.constantFrom('user' as const, 'assistant' as const), content: fc.array(fc.record({ text }), { minLength: 1, maxLength: 2 }) }), { minLength: 1, maxLength: 4 }),
    // Either sampling setting, both or neither: the shapes `toConverseRequest` sends and any other.
    inferenceConfig: fc.record(
      { maxTokens: fc.integer(), temperature: fc.double({ noNaN: true, noDefaultInfinity: true }), topP: fc.double({ noNaN: true, noDefaultInfinity: true }) },
      { requiredKeys: ['maxTokens'] },
    ),
    additionalModelRequestFields: fc.dictionary(text, fc.oneof(text, fc.integer(), fc.constant(undefined))),
  },
  { requiredKeys: ['modelId', 'messages', 'inferenceConfig'] },
);

describe('canonicalForms', () => {
  it('gives byte for byte the canonical JSON of the request and of its scope (stored keys stay valid)', () => {
    fc.assert(
      fc.property(text, converse, (namespace, request) => {
        const forms = canonicalForms(namespace, request);

        expect(forms.request).toBe(canonicalJson(request));
        expect(forms.scope).toBe(canonicalJson({ namespace, request: { ...request, messages: request.messages.slice(0, -1) } }));
      }),
    );
  });

  it('escapes exactly as canonicalJson does: quotes, backslashes, control characters, lone and paired surrogates', () => {
    const tricky = ['', 'plain', '"', '\\', '\n', '\u0000', '\u001f', '\u007f', '\u2028', '\ud83d\ude00', '\ud800', 'x\udfffy', 'é', '</script>'];
    for (const a of tricky) {
      for (const b of tricky) {
        const request: ConverseRequest = {
          modelId: a,
          system: [{ text: b }],
          messages: [{ role: 'user', content: [{ text: a + b }] }, { role: 'assistant', content: [{ text: b }] }],
          inferenceConfig: { maxTokens: 5, temperature: -0, topP: 1e21 },
        };
        const forms = canonicalForms(b, request);

        expect(forms.request).toBe(canonicalJson(request));
        expect(forms.scope).toBe(canonicalJson({ namespace: b, request: { ...request, messages: request.messages.slice(0, -1) } }));
      }
    }
  });

  it('skips members that are present but undefined, as canonicalJson does', () => {
    const request = { modelId: 'm', system: undefined, messages: [{ role: 'user' as const, content: [{ text: 'hi' }] }], inferenceConfig: { maxTokens: 1, temperature: 0, topP: 1 } };

    expect(canonicalForms('ns', request).request).toBe(canonicalJson(request));
  });

  it.each([
    ['temperature only', { maxTokens: 1, temperature: 0 }],
    ['topP only', { maxTokens: 1, topP: 0.9 }],
    ['topP present but undefined', { maxTokens: 1, temperature: 0, topP: undefined }],
    ['temperature present but undefined', { maxTokens: 1, temperature: undefined, topP: 0.9 }],
  ])('writes an inference config of %s as canonicalJson does', (_name, inferenceConfig) => {
    const request: ConverseRequest = { modelId: 'm', messages: [{ role: 'user', content: [{ text: 'hi' }] }], inferenceConfig };

    expect(canonicalForms('ns', request).request).toBe(canonicalJson(request));
    expect(canonicalForms('ns', request).request).not.toMatch(/undefined|null/);
  });
});

describe('ScopeHashes', () => {
  it('hashes each distinct scope once', () => {
    const encode = jest.fn((canonical: string) => `h(${canonical})`);
    const scopes = new ScopeHashes(encode);

    expect([scopes.of('a'), scopes.of('a'), scopes.of('b')]).toEqual(['h(a)', 'h(a)', 'h(b)']);
    expect(encode).toHaveBeenCalledTimes(2);
  });

  it('forgets what it knows once it holds maxEntries scopes', () => {
    const encode = jest.fn((canonical: string) => canonical.toUpperCase());
    const scopes = new ScopeHashes(encode, 2);

    ['a', 'b', 'c', 'a'].forEach((scope) => scopes.of(scope));

    expect(encode).toHaveBeenCalledTimes(4);
  });

  it('hashes a scope longer than maxRememberedChars each time and keeps none of it', () => {
    const encode = jest.fn((canonical: string) => `h${canonical.length}`);
    const scopes = new ScopeHashes(encode, 1000, 8);
    const long = 'x'.repeat(9);

    expect([scopes.of(long), scopes.of(long), scopes.of('short'), scopes.of('short')]).toEqual(['h9', 'h9', 'h5', 'h5']);
    expect(encode).toHaveBeenCalledTimes(3);
    expect((scopes as unknown as { known: Map<string, string> }).known.has(long)).toBe(false);
  });
});
