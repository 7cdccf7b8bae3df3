import fc from 'fast-check';
import { converseParts } from '../../../lambda/core/canonical-converse';
import { canonicalJson } from '../../../lambda/core/canonical-json';
import { canonicalForms, toConverseRequest } from '../../../lambda/core/keys';
import type { CacheRequest } from '../../../lambda/core/types';

// Any code point, plus the code units JSON.stringify rewrites or that sit at the shortcut's range edges (quote, backslash,
// controls, DEL, lone high and low surrogates, U+2028, the last BMP characters), each often enough to meet every position.
const edgeUnit = fc.constantFrom('"', '\\', '\u0000', '\n', '\u001f', ' ', '!', '#', '[', ']', '\u007f', '\u2028', '\ud7ff', '\ud800', '\udbff', '\udc00', '\udfff', '\ue000', '\uffff', '\ud83d\ude00');
const anyText = fc.string({ unit: fc.oneof(edgeUnit, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 12 });
const number = fc.oneof(fc.double(), fc.constantFrom(-0, 1e21, 1e-7, 5e-324, Number.MAX_VALUE), fc.integer());
const optional = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined });

/** Cache requests as parseRequest builds them, with every optional member present or absent. */
const request: fc.Arbitrary<CacheRequest> = fc.record({
  prompt: anyText,
  promptBlocks: optional(fc.array(anyText, { minLength: 1, maxLength: 3 })),
  history: optional(fc.array(fc.record({ role: fc.constantFrom('user' as const, 'assistant' as const), content: fc.array(anyText, { minLength: 1, maxLength: 2 }) }), { maxLength: 3 })),
  system: optional(anyText),
  modelId: anyText,
  maxTokens: number,
  temperature: optional(number),
  topP: optional(number),
  namespace: anyText,
}) as unknown as fc.Arbitrary<CacheRequest>;

describe('canonicalForms on requests built by toConverseRequest (direct writer vs canonicalJson)', () => {
  it('gives byte for byte the canonical JSON of the request and of its scope, for any code units and numbers', () => {
    fc.assert(
      fc.property(request, (cacheRequest) => {
        const converse = toConverseRequest(cacheRequest);
        const forms = canonicalForms(cacheRequest.namespace, converse);

        expect(converseParts(converse)).toBeDefined(); // the direct writer, not the generic fallback

        expect(forms.request).toBe(canonicalJson(converse));
        expect(forms.scope).toBe(canonicalJson({ namespace: cacheRequest.namespace, request: { ...converse, messages: converse.messages.slice(0, -1) } }));
      }),
      { numRuns: 3000 },
    );
  });
});
