import { ModelError, type ModelErrorCode } from '../../../lambda/core/errors';
import { sanitizeForCaller } from '../../../lambda/bedrock/caller-message';
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

/** Realistic Bedrock messages that name the caller (account id, role, session) and resources. */
const IAM_DENIED =
  'User: arn:aws:sts::123456789012:assumed-role/LlmCache-MemoryDb-FunctionRole-AbC123/LlmCache-MemoryDb-Function-xyz is not authorized to perform: ' +
  'bedrock:InvokeModel on resource: arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0 because no identity-based policy allows the bedrock:InvokeModel action';
const MARKETPLACE_DENIED =
  'Model access is denied due to IAM user or service role is not authorized to perform the required AWS Marketplace actions ' +
  '(aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe) to enable access to this model. Refer to the Amazon Bedrock documentation for further details. ' +
  'Your AWS Marketplace subscription for this model cannot be completed at this time. If you recently fixed this issue, try again after 15 minutes.';
const NO_MODEL_ACCESS = "You don't have access to the model with the specified model ID.";
const FTU_NOT_FILLED =
  'Model use case details have not been submitted for this account. Fill out the Anthropic use case details form before using the model. If you have already filled out the form, try again in 15 minutes.';
const PROFILE_ARN = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6';
const ANY_ARN = /arn:aws/i;
const TWELVE_DIGITS = /(?<!\d)\d{12}(?!\d)/;

function expectNothingIdentifying(text: string): void {
  expect(text).not.toMatch(ANY_ARN);
  expect(text).not.toMatch(TWELVE_DIGITS);
  expect(text).not.toContain('FunctionRole');
  expect(text).not.toContain('assumed-role');
}

describe('sanitizeForCaller', () => {
  it('replaces every ARN and 12-digit account id', () => {
    const clean = sanitizeForCaller(`${IAM_DENIED}; account 123456789012; ${PROFILE_ARN}`);
    expectNothingIdentifying(clean);
    expect(clean).toContain('is not authorized to perform: bedrock:InvokeModel');
  });

  it('replaces ARNs of other partitions and access key ids', () => {
    const clean = sanitizeForCaller('User: arn:aws-us-gov:iam::210987654321:user/alice with key AKIAIOSFODNN7EXAMPLE denied');
    expect(clean).not.toMatch(/arn:aws/);
    expect(clean).not.toContain('210987654321');
    expect(clean).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(clean).not.toContain('alice');
  });

  it('leaves text without identifiers unchanged', () => {
    expect(sanitizeForCaller('Malformed input request: #/dimensions: 300 is not a valid enum value')).toBe(
      'Malformed input request: #/dimensions: 300 is not a valid enum value',
    );
  });
});

describe('toModelError keeps identifiers away from callers', () => {
  it.each([
    ['AccessDeniedException', IAM_DENIED],
    ['AccessDeniedException', MARKETPLACE_DENIED],
    ['AccessDeniedException', NO_MODEL_ACCESS],
    ['ResourceNotFoundException', FTU_NOT_FILLED],
    ['ResourceNotFoundException', `The specified model ${PROFILE_ARN} was not found.`],
    ['ValidationException', `Invocation of model ID ${PROFILE_ARN} with on-demand throughput isn't supported.`],
    ['ThrottlingException', `Too many requests from account 123456789012, please wait before trying again.`],
  ])('a %s message has no ARN or account id, and the log detail keeps the original', (name, text) => {
    const mapped = toModelError(sdkError(name, text), `Converse ${PROFILE_ARN}`);
    expectNothingIdentifying(mapped.message);
    expect(mapped.logDetail).toContain(text);
    expect(mapped.logDetail).toContain(PROFILE_ARN);
  });

  it('tells the caller what to do about ModelAccessDenied: model access, IAM, region', () => {
    const { message } = toModelError(sdkError('AccessDeniedException', IAM_DENIED), 'Converse us.anthropic.claude-haiku-4-5-20251001-v1:0');
    expect(message).toMatch(/first-use/i);
    expect(message).toContain('bedrock:InvokeModel');
    expect(message).toMatch(/source region/i);
    expect(message).toContain('us.anthropic.claude-haiku-4-5-20251001-v1:0');
  });

  it("says when IAM denied the call, without echoing Bedrock's text", () => {
    expect(toModelError(sdkError('AccessDeniedException', IAM_DENIED), 'Converse m').message).toMatch(/IAM policy/);
  });

  it('says when the AWS Marketplace subscription is what failed', () => {
    expect(toModelError(sdkError('AccessDeniedException', MARKETPLACE_DENIED), 'Converse m').message).toMatch(/Marketplace subscription/);
  });

  it('tells the caller what to do about ModelNotFound: model id, region, profile, first-use form', () => {
    const { message, code } = toModelError(sdkError('ResourceNotFoundException', 'Model not found'), 'Converse m');
    expect(code).toBe('ModelNotFound');
    expect(message).toMatch(/model id/i);
    expect(message).toMatch(/region/i);
    expect(message).toMatch(/inference profile/i);
  });

  it('says when the Anthropic use case details (first-use form) are missing', () => {
    expect(toModelError(sdkError('ResourceNotFoundException', FTU_NOT_FILLED), 'Converse m').message).toMatch(/use case details/);
  });

  it.each([
    ['FTUFormNotFilled', 'ModelAccessDenied', false],
    ['MPAgreementBeingCreated', 'ModelAccessDenied', true],
  ] as const)('maps the documented first-use error %s to %s (retryable: %s)', (name, code, retryable) => {
    expect(toModelError(sdkError(name), 'Converse m')).toMatchObject({ code, retryable });
  });

  it('keeps the log detail equal to the message when nothing was sanitized', () => {
    const mapped = toModelError(sdkError('ValidationException', 'bad input'), 'Converse m');
    expect(mapped.logDetail).toBe(mapped.message);
  });
});
