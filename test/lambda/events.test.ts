import { InvalidRequestError } from '../../lambda/core/errors';
import { httpResult, isHttpEvent, payloadOf, statusOf } from '../../lambda/events';

function httpEvent(body: string | null | undefined, isBase64Encoded = false): unknown {
  return { requestContext: { http: { method: 'POST' } }, body, isBase64Encoded };
}

describe('isHttpEvent', () => {
  it('recognises a Function URL / HTTP API event by its requestContext', () => {
    expect(isHttpEvent(httpEvent('{}'))).toBe(true);
  });

  it.each<[string, unknown]>([
    ['a direct-invoke request', { prompt: 'hi' }],
    ['null', null],
    ['a string', 'hi'],
    ['an event whose requestContext is null', { requestContext: null }],
    ['an event whose requestContext is a string', { requestContext: 'x' }],
  ])('does not take %s for an HTTP event', (_name, event) => {
    expect(isHttpEvent(event)).toBe(false);
  });
});

describe('payloadOf', () => {
  it('returns a direct-invoke event as it is', () => {
    const event = { prompt: 'hi' };

    expect(payloadOf(event)).toBe(event);
  });

  it('parses the JSON body of an HTTP event', () => {
    expect(payloadOf(httpEvent('{"prompt":"hi"}'))).toEqual({ prompt: 'hi' });
  });

  it('decodes a base64 body before parsing it', () => {
    const body = Buffer.from('{"prompt":"héllo"}', 'utf8').toString('base64');

    expect(payloadOf(httpEvent(body, true))).toEqual({ prompt: 'héllo' });
  });

  it.each<[string, unknown, RegExp]>([
    ['an absent body', httpEvent(undefined), /body is empty/],
    ['a null body', httpEvent(null), /body is empty/],
    ['an empty body', httpEvent(''), /body is empty/],
    ['a body that is not JSON', httpEvent('{prompt:'), /not valid JSON/],
    ['a non-string body', { requestContext: {}, body: { prompt: 'hi' } }, /must be a JSON string/],
  ])('rejects %s with InvalidRequestError', (_name, event, message) => {
    expect(() => payloadOf(event)).toThrow(InvalidRequestError);
    expect(() => payloadOf(event)).toThrow(message);
  });
});

describe('statusOf', () => {
  it.each<[string, number]>([
    ['InvalidRequest', 400],
    ['Unauthorized', 403],
    ['PurgeDisabled', 403],
    ['CacheUnavailable', 503],
    ['ModelValidation', 400],
    ['ModelNotFound', 400],
    ['ModelThrottled', 429],
    ['ModelAccessDenied', 502],
    ['ModelUnavailable', 503],
    ['ModelTimeout', 504],
    ['InFlightTimeout', 504],
    ['InternalError', 500],
    ['ModelError', 500],
    ['SomethingNew', 500],
  ])('maps %s to HTTP %i', (code, status) => {
    expect(statusOf(code)).toBe(status);
  });

  it('does not map inherited property names', () => {
    expect(statusOf('toString')).toBe(500);
    expect(statusOf('constructor')).toBe(500);
  });
});

describe('httpResult', () => {
  it('returns the status, a JSON content type and the payload as a JSON body', () => {
    const result = httpResult(400, { error: { code: 'InvalidRequest', message: 'bad' } });

    expect(result).toEqual({
      statusCode: 400,
      headers: { 'content-type': 'application/json' },
      body: '{"error":{"code":"InvalidRequest","message":"bad"}}',
    });
  });
});
