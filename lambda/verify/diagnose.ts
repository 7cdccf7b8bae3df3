import type { ExpectedOutcome } from './deploy-check';

/** One reply of the cache function, parsed as far as it goes. */
export interface StepReply {
  readonly payload: string;
  readonly functionError?: string;
  /** The JSON object the function returned, when it returned one. */
  readonly body?: Readonly<Record<string, unknown>>;
}

/**
 * What to do about each error code the function returns (`{ error: { code, message } }`), for
 * the person reading a failed deploy. Codes not listed get the function's own message only.
 */
export const ERROR_ADVICE: Readonly<Record<string, string>> = {
  ModelAccessDenied:
    'Bedrock refused the model. Model access is on by default once its prerequisites hold (Bedrock user guide, "Request access to models"): ' +
    'for an Anthropic model, the first-use form, submitted once per account; AWS Marketplace permissions (aws-marketplace:Subscribe, ' +
    'Unsubscribe, ViewSubscriptions) for the role that first invokes a third-party model, for example yours when you open the model once in ' +
    'the Bedrock console playground; a valid payment method. The subscription takes a few minutes to complete; then deploy again or run npm run verify.',
  ModelNotFound:
    'Bedrock does not know the model id in this region. Check -c modelId and the deploy region: a us. or global. inference profile only ' +
    'serves the regions it lists, and some models are reachable only through an inference profile.',
  ModelThrottled:
    'Bedrock throttled the call. Check the Bedrock quotas (requests and tokens per minute) for the model in Service Quotas, then deploy again.',
  ModelTimeout: 'Bedrock did not answer within the function timeout. Deploy again; if it persists, raise -c lambdaTimeoutSeconds.',
  ModelUnavailable: 'Bedrock was temporarily unavailable. Deploy again in a few minutes.',
  ModelValidation: 'Bedrock rejected the request for this model. Check -c modelId (a chat model that supports Converse).',
  ConfigurationError: "The function's settings are invalid; fix the value the message names and deploy again.",
  InternalError: "The function failed unexpectedly; its log group holds the error's details.",
};

/**
 * Why a reply is not what the step expects, or `undefined` when it is. Checked in order: the
 * function failed; it returned no JSON object; it returned an error code; it skipped the cache
 * (fail open); it had no semantic index; it reported a different outcome.
 */
export function describeFailure(expected: ExpectedOutcome, reply: StepReply, earlier: readonly StepReply[], threshold?: number): string | undefined {
  if (reply.functionError !== undefined) return functionFailure(reply);
  const body = reply.body;
  if (body === undefined) return `the function returned something that is not a JSON object: ${clip(reply.payload)}`;
  const error = body.error;
  if (error !== null && typeof error === 'object') {
    const { code, message } = error as { code?: unknown; message?: unknown };
    const advice = ERROR_ADVICE[String(code)];
    return `the function answered with error ${String(code)}: ${clip(String(message ?? ''))}${advice ? `. ${advice}` : ''}`;
  }
  if (typeof body.cacheSkipped === 'string') {
    return (
      `the function answered without the cache (cacheSkipped: "${body.cacheSkipped}"), so the cache is unreachable or refusing it. ` +
      "Check that the cache's security group admits the function's on the cache port, that TLS matches the endpoint (rediss://), " +
      "and that the cache user's credentials in Secrets Manager are accepted; the function's log names the fault (CacheFault metric)."
    );
  }
  if (body.semantic === 'unavailable') {
    const why = typeof body.semanticReason === 'string' ? ` (semanticReason: "${body.semanticReason}")` : '';
    return (
      `semantic lookups are unavailable${why}: the function served this request exact-only. ` +
      'Check SEMANTIC_INDEX on the function (search needs FT.* on the server, client keeps the vectors in the cache) and its log.'
    );
  }
  if (body.cache === expected) return undefined;
  return wrongOutcome(expected, String(body.cache), body, earlier, threshold);
}

function wrongOutcome(expected: ExpectedOutcome, got: string, body: Readonly<Record<string, unknown>>, earlier: readonly StepReply[], threshold?: number): string {
  const prefix = `expected cache "${expected}" but got "${got}"`;
  if (got === 'bypass') return `${prefix}: the function bypasses the cache; its kill switch CACHE_DISABLED is on.`;
  if (expected === 'miss') {
    return `${prefix} in a fresh namespace: an entry answered that no earlier step stored, so keys do not separate namespaces. Run the check again; if it repeats, the key code is wrong.`;
  }
  if (expected === 'exact' && got === 'miss') {
    const stopReason = earlier[0]?.body?.stopReason;
    if (typeof stopReason === 'string' && stopReason !== 'end_turn' && stopReason !== 'stop_sequence') {
      return `${prefix}: the answer of step 1 stopped with "${stopReason}", and only complete answers are stored.`;
    }
    return `${prefix}: the answer stored at step 1 was not found. The store failed or the entry was lost; the function's log names the fault (CacheFault metric, operation "store").`;
  }
  if (expected === 'semantic' && got === 'miss') {
    const limit = threshold !== undefined ? `, threshold ${threshold}` : '';
    const seen = typeof body.similarity === 'number' ? `similarity observed ${body.similarity}${limit}` : `no similarity reported${limit}; a miss does not report its nearest entry`;
    return (
      `${prefix}: the paraphrase (a change of case and punctuation only) did not match the stored prompt (${seen}). ` +
      'Check EMBEDDING_MODEL_ID and SEMANTIC_THRESHOLD on the function, and its log for semantic-lookup faults ' +
      '(a MemoryDB vector index that is still backfilling after a restart refuses searches until it is done).'
    );
  }
  if (expected === 'semantic' && got === 'exact') {
    return `${prefix}: the paraphrase hit the exact key, so exact keys no longer tell case or punctuation apart and this check cannot reach the semantic path. Change CHECK_PARAPHRASE.`;
  }
  return `${prefix}.`;
}

/** Lambda's error document: `{ errorType, errorMessage, trace }`. */
function functionFailure(reply: StepReply): string {
  const doc = reply.body ?? {};
  const detail = doc.errorType !== undefined || doc.errorMessage !== undefined ? clip(`${String(doc.errorType ?? 'Error')}: ${String(doc.errorMessage ?? '')}`) : clip(reply.payload);
  return (
    `the function failed (FunctionError ${reply.functionError}): ${detail}. ` +
    'An unhandled error is a crash, a timeout or running out of memory; the function log group holds the details.'
  );
}

/** Bounded text from a reply, so a failure message stays readable in CloudFormation events. */
function clip(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max)}...` : text;
}
