/**
 * What a caller may read about a Bedrock failure. Bedrock's own messages can name the caller's
 * account id, role and session (IAM: "User: arn:aws:sts::<account>:assumed-role/<role>/<session> is
 * not authorized ...") and resources by ARN; none of that leaves the function. The full text stays
 * on the error for the log (`ModelError.logDetail`).
 */
import { ModelError, type ModelErrorCode } from '../core/errors';

/** Any ARN, in any partition (`aws`, `aws-cn`, `aws-us-gov`, ...), up to the next separator. */
const ARN = /arn:aws[a-z-]*:[^\s"'`,;()<>[\]{}]*/gi;
/** A 12-digit number standing alone: the form of an AWS account id. */
const ACCOUNT_ID = /(?<!\d)\d{12}(?!\d)/g;
/** IAM unique ids and access key ids (AKIA, ASIA, AROA, AIDA, ...): 4-letter prefix + 16. */
const IAM_ID = /\b(?:AKIA|ASIA|AROA|AIDA|AGPA|ANPA|ANVA|APKA|ABIA|ACCA|AIPA)[A-Z0-9]{16}\b/g;

/** Replaces ARNs, account ids and IAM ids with placeholders; the rest of the text is kept. */
export function sanitizeForCaller(text: string): string {
  return text.replace(ARN, '<arn>').replace(IAM_ID, '<iam-id>').replace(ACCOUNT_ID, '<account-id>');
}

/** A `ModelError` about something the model or its stream did wrong: the full text for the log, the sanitized one for the caller. */
export function modelErrorFromDetail(detail: string, retryable = false): ModelError {
  return new ModelError('ModelError', sanitizeForCaller(detail), { detail, retryable });
}

const SEE_README = 'See "Model access (first use)" in the README.';

/**
 * A fixed reason picked by recognising Bedrock's wording (never Bedrock's text itself).
 * Wordings: the Bedrock user guide's troubleshooting page (FTUFormNotFilled: "Model use case
 * details have not been submitted"; the AWS Marketplace agreement errors), and IAM's standard
 * "is not authorized to perform" denial.
 */
function accessReason(name: string, message: string): string {
  if (name === 'MPAgreementBeingCreated') return 'The AWS Marketplace subscription for this model is still being created; try again in a few minutes.';
  if (name === 'FTUFormNotFilled' || /use case details/i.test(message)) {
    return "Anthropic's use case details (the first-use form) have not been submitted for this account.";
  }
  if (/marketplace/i.test(message)) return 'The AWS Marketplace subscription for this model is missing or failed.';
  if (/is not authorized to perform|explicit deny|no identity-based policy/i.test(message)) {
    return "An IAM policy (the function role's, or an SCP) does not allow the call.";
  }
  if (/access to the model/i.test(message)) return 'This account has no access to the model in this region.';
  return 'Bedrock did not say why.';
}

/**
 * The message for codes where a fixed sentence helps more than Bedrock's text; undefined for the
 * others (they get Bedrock's text, sanitized). `operation` must already be sanitized.
 */
export function callerMessage(code: ModelErrorCode, operation: string, name: string, message: string): string | undefined {
  if (code === 'ModelAccessDenied') {
    return (
      `Bedrock ${operation}: access denied (${name}). ${accessReason(name, message)} Check, for this account and region: ` +
      '(1) model access: Anthropic models need the one-time first-use form, and the first call in an account subscribes to the model in ' +
      'AWS Marketplace, which needs aws-marketplace:Subscribe and aws-marketplace:ViewSubscriptions on the calling principal; ' +
      "(2) the function's role may call bedrock:InvokeModel on the inference profile and on its foundation model in every destination region; " +
      `(3) the region is one of the inference profile's source regions. ${SEE_README}`
    );
  }
  if (code === 'ModelNotFound') {
    const ftu = /use case details/i.test(message) ? ` ${accessReason(name, message)}` : '';
    return (
      `Bedrock ${operation}: not found (${name}).${ftu} Check that the model id (LLM_MODEL_ID, or the request's modelId) names a model ` +
      "or inference profile offered in this region, that the region is one of the inference profile's source regions, and, for " +
      `Anthropic models, that the first-use form has been submitted for this account. ${SEE_README}`
    );
  }
  return undefined;
}
