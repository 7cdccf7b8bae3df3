import fc from 'fast-check';
import type { ConverseRequest, ModelAnswer } from '../../lambda/core/types';

/**
 * Hostile input through `handler`: random and malformed direct-invoke payloads and Function URL
 * events. Nothing may throw; every answer is a valid response or a typed error, and HTTP events
 * always get a known status code with a JSON body.
 */

const NUM_RUNS = 10_000;
const ALLOWED_MODEL = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';

// A zero-latency model and embedder so ten thousand cases stay fast; everything else is real.
jest.mock('../../lambda/bedrock', () => {
  const models = {
    createChatModel: () => ({
      converse: async (request: ConverseRequest): Promise<ModelAnswer> => {
        const prompt = request.messages[request.messages.length - 1]?.content[0]?.text ?? '';
        // The prompt's length picks a stop reason, so unstorable answers are exercised too.
        const stopReason = ['end_turn', 'end_turn', 'max_tokens', 'content_filtered'][prompt.length % 4];
        return { text: `answer of ${prompt.length} chars`, stopReason, usage: { inputTokens: 1, outputTokens: 1 }, modelId: request.modelId, latencyMs: 0 };
      },
    }),
    createEmbedder: () => ({
      modelId: 'fake-embedder',
      dimensions: 8,
      embed: async (text: string): Promise<Float32Array> => {
        const vector = new Float32Array(8);
        for (let i = 0; i < text.length; i++) vector[i % 8] += (text.charCodeAt(i) % 31) + 1;
        const norm = Math.hypot(...vector) || 1;
        return vector.map((x) => x / norm);
      },
    }),
  };
  return models;
});

const KNOWN_CODES = new Set(['InvalidRequest', 'ModelThrottled', 'ModelTimeout', 'ModelUnavailable', 'ModelAccessDenied', 'ModelNotFound', 'ModelValidation', 'ModelError']);
const HTTP_STATUSES = new Set([200, 400, 429, 500, 502, 503, 504]);
const OUTCOMES = new Set(['miss', 'exact', 'semantic', 'bypass']);

type Handler = typeof import('../../lambda/handler').handler;

// ---- generators -------------------------------------------------------------------------------

const loneSurrogate = fc.constantFrom('\uD800', '\uDBFF', '\uDC00', '\uDFFF', 'a\uD83D', '\uDE00b');
const controlChars = fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)), maxLength: 40 });
const hugeString = fc.tuple(fc.constantFrom('x', 'é', '😀', '\u0000', '{'), fc.integer({ min: 50_000, max: 120_000 })).map(([ch, n]) => ch.repeat(Math.ceil(n / ch.length)));
const hostileString = fc.oneof(
  { weight: 5, arbitrary: fc.string({ maxLength: 60 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 2, arbitrary: controlChars },
  { weight: 2, arbitrary: fc.tuple(fc.string({ maxLength: 10 }), loneSurrogate, fc.string({ maxLength: 10 })).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: hugeString },
  { weight: 2, arbitrary: fc.constantFrom('', ' ', '\n\t', 'Where is Las Vegas?', '[[error:ThrottlingException]]', '__proto__', 'constructor', 'toString', 'NaN') },
);
const pollutionKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf');
const junk: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    fc.double(),
    fc.integer(),
    fc.bigInt().map((b) => Number(b)),
    fc.boolean(),
    fc.constantFrom(null, undefined, NaN, Infinity, -Infinity, -0, 1e308, Number.MAX_SAFE_INTEGER + 2),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), pollutionKey), tie('value'), { maxKeys: 4 }),
  ),
})).value;

const field = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 3, arbitrary: arb }, { weight: 1, arbitrary: junk });
const goodText = fc.oneof(fc.constantFrom('Where is Las Vegas?', 'Where is Vegas?', 'hi'), fc.string({ minLength: 1, maxLength: 80 }).filter((p) => p.trim() !== '' && p.isWellFormed()));
/** Well-formed Converse messages: alternating roles from `user`, ending with `user`, 1-3 text blocks each. */
const goodMessages = fc
  .array(fc.array(goodText, { minLength: 1, maxLength: 3 }), { minLength: 0, maxLength: 4 })
  .chain((earlier) => fc.array(goodText, { minLength: 1, maxLength: 3 }).map((last) => (earlier.length % 2 === 0 ? [...earlier, last] : [...earlier.slice(1), last])))
  .map((turns) => turns.map((texts, i) => ({ role: i % 2 === 0 ? 'user' : 'assistant', content: texts.map((text) => ({ text })) })));
/** Messages broken in one of many ways: wrong roles, non-text blocks, blank or hostile text, junk. */
const hostileBlock = fc.oneof(
  fc.record({ text: hostileString }),
  fc.constantFrom({}, { image: { format: 'png', source: { bytes: 'AA==' } } }, { toolUse: {} }, { cachePoint: { type: 'default' } }, { text: 'a', document: {} }, 'text'),
  junk,
);
const hostileMessages = fc.array(
  fc.record({ role: fc.oneof(fc.constantFrom('user', 'assistant', 'system', 'USER', ''), junk), content: fc.oneof(fc.array(hostileBlock, { maxLength: 3 }), junk) }, { requiredKeys: [] }),
  { maxLength: 6 },
);
/** Mostly well-typed requests with some fields broken: they reach deep into the handler. */
const nearValidRequest = fc.record(
  {
    prompt: field(fc.oneof(fc.constantFrom('Where is Las Vegas?', 'Where is Vegas?', 'hi'), hostileString)),
    messages: field(fc.oneof(goodMessages, hostileMessages, fc.constant(Array.from({ length: 51 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: [{ text: 'x' }] }))))),
    system: field(hostileString),
    mode: field(fc.constantFrom('standard', 'semantic', 'off', 'STANDARD', '')),
    modelId: field(fc.constantFrom(ALLOWED_MODEL, 'amazon.nova-micro-v1:0', 'evil-model', '')),
    maxTokens: field(fc.oneof(fc.integer({ min: -5, max: 70_000 }), fc.double())),
    temperature: field(fc.double({ min: -1, max: 2 })),
    topP: field(fc.double({ min: -1, max: 2 })),
    ttlSeconds: field(fc.integer({ min: -10, max: 40_000_000 })),
    threshold: field(fc.double({ min: -1, max: 2 })),
    namespace: field(fc.oneof(fc.constantFrom('default', 'tenant-a', 'a'.repeat(65), 'x:y', '*'), hostileString)),
  },
  { requiredKeys: [] },
);
/** Well-formed requests with random text: they reach the cache and the model. */
const validRequest = fc.record(
  {
    prompt: fc.oneof(fc.constantFrom('Where is Las Vegas?', 'Where is Vegas?'), fc.string({ minLength: 1, maxLength: 200 }).filter((p) => p.trim() !== '' && p.isWellFormed())),
    system: fc.string({ minLength: 1, maxLength: 50 }).filter((p) => p.trim() !== '' && p.isWellFormed()),
    mode: fc.constantFrom('standard', 'semantic', 'off'),
    maxTokens: fc.integer({ min: 1, max: 64_000 }),
    temperature: fc.double({ min: 0, max: 1, noNaN: true }),
    namespace: fc.constantFrom('default', 'tenant-a', 'fuzz.ns_1'),
  },
  { requiredKeys: ['prompt'] },
);
/** Well-formed conversations: they reach the cache and the model through `messages`. */
const validConversation = fc.record(
  {
    messages: goodMessages,
    system: fc.string({ minLength: 1, maxLength: 50 }).filter((p) => p.trim() !== '' && p.isWellFormed()),
    mode: fc.constantFrom('standard', 'semantic', 'off'),
    namespace: fc.constantFrom('default', 'tenant-a', 'fuzz.ns_1'),
  },
  { requiredKeys: ['messages'] },
);
/** A request object with prototype-pollution keys defined as own properties (as JSON.parse makes them). */
const pollutedRequest = fc.tuple(nearValidRequest, pollutionKey, junk).map(([request, key, value]) => {
  const object = { ...(request as Record<string, unknown>) };
  Object.defineProperty(object, key, { value, enumerable: true, configurable: true, writable: true });
  return object;
});
const directPayload: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: validRequest },
  { weight: 2, arbitrary: validConversation },
  { weight: 4, arbitrary: nearValidRequest },
  { weight: 2, arbitrary: pollutedRequest },
  { weight: 2, arbitrary: junk },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined, 0, '', [], {}, 'prompt', Symbol('x') as unknown) },
);

const jsonText = (value: unknown): string => JSON.stringify(value) ?? 'undefined';
const notJsonBody = fc.oneof(
  hostileString,
  fc.constantFrom('{"prompt": ', '{prompt: "x"}', "{'prompt':'x'}", '[1,2', 'undefined', 'NaN', '{"__proto__": {"polluted": 1}, "prompt": "x"}', '\uFEFF{"prompt":"x"}', '{"prompt":"\\ud800"}'),
  fc.string({ unit: 'binary', maxLength: 80 }),
);
const httpBody = fc.oneof(
  { weight: 4, arbitrary: directPayload.map(jsonText) },
  { weight: 3, arbitrary: notJsonBody },
  { weight: 1, arbitrary: junk },
  { weight: 1, arbitrary: fc.constantFrom(undefined, null, '') },
);
const httpEvent = fc
  .record(
    {
      body: httpBody,
      isBase64Encoded: fc.oneof(fc.boolean(), junk),
      requestContext: fc.oneof({ weight: 5, arbitrary: fc.constant({ http: { method: 'POST', path: '/' } }) }, { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 5 }), junk, { maxKeys: 3 }) }),
      headers: fc.oneof(fc.constant({ 'content-type': 'application/json' }), junk),
      version: fc.oneof(fc.constant('2.0'), junk),
    },
    { requiredKeys: ['requestContext'] },
  )
  .chain((event) =>
    // Half of the valid-looking bodies arrive base64-encoded, as a Function URL sends binary bodies.
    fc.boolean().map((encode) =>
      encode && typeof event.body === 'string' ? { ...event, body: Buffer.from(event.body, 'utf8').toString('base64'), isBase64Encoded: true } : event,
    ),
  );
const anyEvent = fc.oneof({ weight: 1, arbitrary: directPayload }, { weight: 1, arbitrary: httpEvent });

// ---- checks -----------------------------------------------------------------------------------

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A contract response or a typed error with a known code; returns a description of what is wrong. */
function contractProblem(payload: unknown): string | undefined {
  if (!isObject(payload)) return `not an object: ${String(payload)}`;
  if ('error' in payload) {
    const error = payload.error;
    if (!isObject(error) || typeof error.code !== 'string' || typeof error.message !== 'string') return `malformed error ${JSON.stringify(payload)}`;
    if (!KNOWN_CODES.has(error.code)) return `unexpected error code ${error.code}: ${error.message}`;
    return undefined;
  }
  if (typeof payload.text !== 'string') return 'text is not a string';
  if (typeof payload.cache !== 'string' || !OUTCOMES.has(payload.cache)) return `cache is ${String(payload.cache)}`;
  if (typeof payload.modelId !== 'string' || typeof payload.latencyMs !== 'number') return 'modelId/latencyMs missing';
  return undefined;
}

describe('hostile input through handler', () => {
  let handler: Handler;
  const saved = { ...process.env };

  beforeAll(async () => {
    Object.assign(process.env, { CACHE_BACKEND: 'memory', AWS_REGION: 'us-east-1', LLM_ALLOWED_MODEL_IDS: `${ALLOWED_MODEL},amazon.nova-micro-v1:0`, CACHE_MODE: 'semantic' });
    ({ handler } = await import('../../lambda/handler'));
  });
  afterAll(() => {
    process.env = saved;
  });

  it(`answers ${NUM_RUNS} random and malformed events without throwing, each with a valid answer or a typed error`, async () => {
    let cases = 0;
    const outcomes: Record<string, number> = {};
    await fc.assert(
      fc.asyncProperty(anyEvent, async (event) => {
        cases += 1;
        const http = isObject(event) && isObject(event.requestContext);
        let result: unknown;
        try {
          result = await handler(event);
        } catch (error) {
          throw new Error(`handler threw: ${String(error)}`);
        }
        let payload: unknown = result;
        if (http) {
          if (!isObject(result) || typeof result.statusCode !== 'number' || !HTTP_STATUSES.has(result.statusCode)) {
            throw new Error(`bad HTTP result ${JSON.stringify(result)?.slice(0, 200)}`);
          }
          if (typeof result.body !== 'string') throw new Error('HTTP body is not a string');
          payload = JSON.parse(result.body);
          const isError = isObject(payload) && 'error' in payload;
          if ((result.statusCode === 200) === isError) throw new Error(`status ${result.statusCode} with body ${result.body.slice(0, 200)}`);
        }
        const problem = contractProblem(payload);
        if (problem !== undefined) throw new Error(problem);
        const key = isObject(payload) && isObject(payload.error) ? String(payload.error.code) : String((payload as Record<string, unknown>).cache);
        outcomes[key] = (outcomes[key] ?? 0) + 1;
        // Prototype pollution through a parsed body would show up on every object.
        if (({} as Record<string, unknown>).polluted !== undefined) throw new Error('Object.prototype was polluted');
      }),
      { numRuns: NUM_RUNS },
    );
    expect(cases).toBeGreaterThanOrEqual(NUM_RUNS);
    // The generators must reach the model path, not only validation errors.
    expect((outcomes.miss ?? 0) + (outcomes.exact ?? 0) + (outcomes.semantic ?? 0) + (outcomes.bypass ?? 0)).toBeGreaterThan(NUM_RUNS / 50);
    expect(outcomes.InvalidRequest).toBeGreaterThan(NUM_RUNS / 4);
    process.stdout.write(`fuzz: ${cases} cases; outcomes ${JSON.stringify(outcomes)}\n`);
  }, 300_000);
});

/** Hostile `requestContext.authorizer` shapes; a few carry a real IAM caller. */
const USER_ARNS = ['arn:aws:iam::111122223333:user/alice', 'arn:aws:sts::111122223333:assumed-role/TenantA/s1'];
const authorizer = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...USER_ARNS).map((userArn) => ({ iam: { accountId: '111122223333', userArn, userId: 'AIDA' } })) },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined, {}, { iam: null }, { iam: { userArn: '' } }, { jwt: { claims: { sub: 'x' } } }) },
  { weight: 2, arbitrary: fc.record({ iam: fc.record({ userArn: junk, accountId: junk }, { requiredKeys: [] }) }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: junk },
);
const hasIamCaller = (value: unknown): boolean => isObject(value) && isObject(value.iam) && typeof value.iam.userArn === 'string' && value.iam.userArn !== '';

describe('hostile identities with NAMESPACE_FROM=iam-principal', () => {
  let handler: Handler;
  const saved = { ...process.env };

  beforeAll(async () => {
    Object.assign(process.env, { CACHE_BACKEND: 'memory', AWS_REGION: 'us-east-1', LLM_ALLOWED_MODEL_IDS: ALLOWED_MODEL, NAMESPACE_FROM: 'iam-principal' });
    await jest.isolateModulesAsync(async () => {
      ({ handler } = await import('../../lambda/handler'));
    });
  });
  afterAll(() => {
    process.env = saved;
  });

  it('refuses every HTTP event without an IAM caller with 403, and only those', async () => {
    await fc.assert(
      fc.asyncProperty(authorizer, fc.oneof(validRequest, nearValidRequest), async (auth, body) => {
        const event = { requestContext: { http: { method: 'POST' }, authorizer: auth }, body: jsonText(body) };
        const result = (await handler(event)) as unknown as { statusCode: number; body: string };
        const code = (JSON.parse(result.body) as { error?: { code?: string } }).error?.code;
        if ((result.statusCode === 403) !== !hasIamCaller(auth)) throw new Error(`status ${result.statusCode} for authorizer ${JSON.stringify(auth)}`);
        if ((code === 'Unauthorized') !== (result.statusCode === 403)) throw new Error(`code ${code} with status ${result.statusCode}`);
      }),
      { numRuns: 2000 },
    );
  }, 120_000);
});
