import { InternalError, InvalidRequestError, ModelError } from '../../../lambda/core/errors';
import { errorLogDetails } from '../../../lambda/observability/error-log';

describe('errorLogDetails', () => {
  it("logs a model error's full text, which the caller's message has sanitized", () => {
    const raw = 'Bedrock ConverseStream returned an error event: role arn:aws:iam::123456789012:role/app is not authorized';
    const error = new ModelError('ModelError', 'Bedrock ConverseStream returned an error event: role <arn> is not authorized', { detail: raw });

    expect(errorLogDetails(error).detail).toBe(raw);
  });

  it('logs the message of an error without a separate log detail', () => {
    expect(errorLogDetails(new InternalError('boom')).detail).toBe('boom');
  });

  it('redacts caller-chosen text of an InvalidRequest, keeping request field names', () => {
    expect(errorLogDetails(new InvalidRequestError('"modelId" "secret-model" is not allowed')).detail).toBe('"modelId" "…" is not allowed');
  });
});
