import {
  CacheUnavailableError,
  ConfigurationError,
  InternalError,
  InvalidRequestError,
  LlmCacheError,
  ModelError,
  toLlmCacheError,
} from '../../../lambda/core/errors';

describe('library errors', () => {
  it.each<[LlmCacheError, string, boolean]>([
    [new InvalidRequestError('m'), 'InvalidRequest', false],
    [new ConfigurationError('m'), 'ConfigurationError', false],
    [new CacheUnavailableError('m'), 'CacheUnavailable', true],
    [new InternalError('m'), 'InternalError', false],
  ])('%p has code %s and retryable %s', (error, code, retryable) => {
    expect(error).toBeInstanceOf(LlmCacheError);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
  });

  it('names each error after its class', () => {
    expect(new InvalidRequestError('m').name).toBe('InvalidRequestError');
    expect(new ModelError('ModelError', 'm').name).toBe('ModelError');
  });

  it('keeps the original error as cause', () => {
    const cause = new Error('socket closed');

    expect(new CacheUnavailableError('m', { cause }).cause).toBe(cause);
  });

  it.each<[ModelError['code'], boolean]>([
    ['ModelThrottled', true],
    ['ModelUnavailable', true],
    ['ModelTimeout', true],
    ['ModelAccessDenied', false],
    ['ModelNotFound', false],
    ['ModelValidation', false],
    ['ModelError', false],
  ])('treats %s as retryable: %s by default', (code, retryable) => {
    expect(new ModelError(code, 'm').retryable).toBe(retryable);
  });

  it('lets a model error override its default retryability', () => {
    expect(new ModelError('ModelThrottled', 'm', { retryable: false }).retryable).toBe(false);
  });
});

describe('toLlmCacheError', () => {
  it('passes an own error through untouched', () => {
    const own = new InvalidRequestError('bad');

    expect(toLlmCacheError(own)).toBe(own);
  });

  it('wraps a foreign error once as InternalError keeping it as cause', () => {
    const foreign = new TypeError('x is undefined');

    const wrapped = toLlmCacheError(foreign);

    expect(wrapped).toBeInstanceOf(InternalError);
    expect(wrapped.message).toBe('x is undefined');
    expect(wrapped.cause).toBe(foreign);
  });

  it('wraps a thrown non-error value with its string form', () => {
    expect(toLlmCacheError(42).message).toBe('42');
  });
});
