import { ModelError, type ModelErrorCode } from '../../../lambda/core/errors';
import { toModelError } from '../../../lambda/bedrock/model-errors';

function sdkError(name: string, message = `${name} happened`): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

const TABLE: ReadonlyArray<[string, ModelErrorCode, boolean]> = [
  ['ThrottlingException', 'ModelThrottled', true],
  ['ServiceQuotaExceededException', 'ModelThrottled', true],
  ['ModelTimeoutException', 'ModelTimeout', true],
  ['ServiceUnavailableException', 'ModelUnavailable', true],
  ['InternalServerException', 'ModelUnavailable', true],
  ['ModelNotReadyException', 'ModelUnavailable', true],
  ['AccessDeniedException', 'ModelAccessDenied', false],
  ['ResourceNotFoundException', 'ModelNotFound', false],
  ['ValidationException', 'ModelValidation', false],
  ['ModelErrorException', 'ModelError', false],
  ['ModelStreamErrorException', 'ModelError', false],
  ['SomethingNewException', 'ModelError', false],
  ['TimeoutError', 'ModelTimeout', true],
];

describe('toModelError', () => {
  it.each(TABLE)('maps %s to %s (retryable: %s)', (name, code, retryable) => {
    const mapped = toModelError(sdkError(name), 'Converse m');
    expect(mapped).toBeInstanceOf(ModelError);
    expect(mapped.code).toBe(code);
    expect(mapped.retryable).toBe(retryable);
  });

  it('keeps the original error as cause', () => {
    const original = sdkError('ThrottlingException');
    expect(toModelError(original, 'Converse m').cause).toBe(original);
  });

  it('names the operation, the error and its message', () => {
    expect(toModelError(sdkError('ValidationException', 'bad input'), 'Converse m').message).toBe(
      'Bedrock Converse m failed: ValidationException: bad input',
    );
  });

  it('passes an existing ModelError through untouched', () => {
    const own = new ModelError('ModelTimeout', 'already mapped');
    expect(toModelError(own, 'Converse m')).toBe(own);
  });

  it('maps a refused connection to a retryable ModelUnavailable', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(toModelError(refused, 'Converse m')).toMatchObject({ code: 'ModelUnavailable', retryable: true });
  });

  it('maps a thrown non-error value to ModelError', () => {
    expect(toModelError('boom', 'Converse m')).toMatchObject({ code: 'ModelError', retryable: false });
  });

  it('does not treat inherited property names as error names', () => {
    expect(toModelError(sdkError('toString'), 'Converse m').code).toBe('ModelError');
  });
});

describe('toModelError for transport failures', () => {
  it('maps a cancelled HTTP/2 stream caused by a refused connection to ModelUnavailable', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const cancelled = Object.assign(new Error('The pending stream has been canceled', { cause: refused }), { code: 'ERR_HTTP2_STREAM_CANCEL' });
    expect(toModelError(cancelled, 'Converse m')).toMatchObject({ code: 'ModelUnavailable', retryable: true });
  });
});
