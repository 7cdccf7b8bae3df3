import { UnauthorizedError } from './core/errors';
import type { NamespaceSource } from './core/namespace-source';
import { sha256Hex } from './core/keys';
import { NAMESPACE_PATTERN, NAMESPACE_RULE } from './settings/values';
import { isHttpEvent } from './events';

/** Hex characters of SHA-256 kept in an IAM-derived namespace: 128 bits, collision-free in practice. */
const IAM_HASH_CHARS = 32;
/** `arn:<partition>:sts::<account>:assumed-role/<role>/<session>`: the session part is dropped. */
const ASSUMED_ROLE = /^(arn:[^:]+:sts::[^:]*:assumed-role\/[^/]+)\/.+$/;

/**
 * The namespace bound to the caller of an HTTP event, or `undefined` when the request's own
 * (body or default) namespace applies: `NAMESPACE_FROM=body`, or a direct invoke, which is
 * operator input (see below).
 *
 * Throws `UnauthorizedError` when a bound source is configured and the event lacks the identity.
 *
 * Trust: the function cannot tell a Function URL event from a direct invoke whose payload imitates
 * one. In a direct invoke the whole event is the caller's JSON, `requestContext.authorizer`
 * included, and the context object carries no invocation source (Lambda guide, "Using the Lambda
 * context object to retrieve Node.js function information"). So the line is drawn in IAM, not
 * here: tenants hold only the stack's tenant policy, whose `lambda:InvokeFunction` holds only with
 * `lambda:InvokedViaFunctionUrl` (`lib/function/tenant-invoke-policy.ts`), so Lambda refuses their
 * direct invokes, plain or URL-shaped, before this code runs; whoever can invoke directly holds an
 * unconditioned `lambda:InvokeFunction` and is an operator, who may name any namespace in a plain
 * payload anyway. A URL-shaped direct event therefore gains its sender nothing (README "Who may
 * call what").
 */
export function callerNamespace(event: unknown, source: NamespaceSource): string | undefined {
  if (source.kind === 'body' || !isHttpEvent(event)) return undefined;
  const authorizer = member(event.requestContext, 'authorizer');
  if (source.kind === 'iam-principal') {
    const userArn = member(member(authorizer, 'iam'), 'userArn');
    if (typeof userArn !== 'string' || userArn === '') {
      throw new UnauthorizedError('this function binds the namespace to the IAM caller, and the request carries no IAM identity (use AWS_IAM auth)');
    }
    return iamNamespace(userArn);
  }
  const value = member(member(member(authorizer, 'jwt'), 'claims'), source.claim);
  if (value === undefined || value === null) {
    throw new UnauthorizedError(`this function binds the namespace to the JWT claim "${source.claim}", and the request carries no such claim`);
  }
  if (typeof value !== 'string' || !NAMESPACE_PATTERN.test(value)) {
    throw new UnauthorizedError(`the JWT claim "${source.claim}" does not hold a valid namespace (${NAMESPACE_RULE})`);
  }
  return value;
}

/**
 * `iam-` + the first 32 hex characters of SHA-256 over the caller's ARN, with an assumed role's
 * session name removed so every session of one role shares a namespace. Hashed because an ARN
 * holds `:` and `/` (not key-safe) and the account id; stable for as long as the ARN is.
 */
export function iamNamespace(userArn: string): string {
  const principal = ASSUMED_ROLE.exec(userArn)?.[1] ?? userArn;
  return `iam-${sha256Hex(principal).slice(0, IAM_HASH_CHARS)}`;
}

/** An own property of an object, or undefined: event shapes are untrusted input. */
function member(value: unknown, name: string): unknown {
  if (value === null || typeof value !== 'object' || !Object.hasOwn(value, name)) return undefined;
  return (value as Record<string, unknown>)[name];
}
