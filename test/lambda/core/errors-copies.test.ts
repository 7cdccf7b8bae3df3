type Errors = typeof import('../../../lambda/core/errors');

/** Two independent copies of lambda/core/errors.ts, as a lazily loaded module in a swapped test registry sees them. */
function twoCopies(): [Errors, Errors] {
  const copies: Errors[] = [];
  for (let i = 0; i < 2; i++) {
    jest.isolateModules(() => {
      copies.push(jest.requireActual<Errors>('../../../lambda/core/errors'));
    });
  }
  return [copies[0]!, copies[1]!];
}

describe('errors made by another copy of the errors module', () => {
  const [mine, theirs] = twoCopies();

  it('are distinct classes to begin with', () => {
    expect(mine.ModelError).not.toBe(theirs.ModelError);
  });

  it('are recognised by instanceof of their own class and of the base class', () => {
    const error = new theirs.ModelError('ModelAccessDenied', 'denied');

    expect(error instanceof mine.ModelError).toBe(true);
    expect(error instanceof mine.LlmCacheError).toBe(true);
  });

  it('are not taken for a different class of ours', () => {
    const error = new theirs.ModelError('ModelAccessDenied', 'denied');

    expect(error instanceof mine.InvalidRequestError).toBe(false);
    expect(error instanceof mine.EmbeddingInputTooLongError).toBe(false);
  });

  it('pass through toLlmCacheError with their code, and a foreign error is still wrapped', () => {
    const own = new theirs.ModelError('ModelAccessDenied', 'denied');

    expect(mine.toLlmCacheError(own)).toBe(own);
    expect(mine.toLlmCacheError(new TypeError('boom')).code).toBe('InternalError');
  });
});
