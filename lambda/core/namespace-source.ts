/**
 * Where a request's namespace comes from (`NAMESPACE_FROM`, CDK context `namespaceFrom`). One
 * parser that the runtime and the stacks both use, so synth time and run time cannot disagree.
 *
 * - `body` (default): the request's `namespace` field, else `CACHE_NAMESPACE`. The namespace is
 *   then a key prefix and a scope boundary chosen by the caller, not a tenant boundary.
 * - `iam-principal`: derived from the IAM caller of a Function URL (`AWS_IAM` auth) or an API
 *   Gateway HTTP API route with IAM authorization (`requestContext.authorizer.iam`).
 * - `jwt-claim:<name>`: the value of one claim of an API Gateway HTTP API JWT authorizer
 *   (`requestContext.authorizer.jwt.claims[<name>]`).
 *
 * Bound sources apply to HTTP events only; a direct invoke is operator input and keeps the
 * body/default namespace. That is safe only when tenants cannot invoke directly: they get the
 * stack's tenant policy (`lambda:InvokeFunction` only with `lambda:InvokedViaFunctionUrl`), or, behind
 * API Gateway with `jwt-claim`, no Lambda permission at all (see `caller-namespace.ts`).
 */
export type NamespaceSource =
  | { readonly kind: 'body' }
  | { readonly kind: 'iam-principal' }
  | { readonly kind: 'jwt-claim'; readonly claim: string };

/** The accepted spellings, for messages. */
export const NAMESPACE_SOURCE_FORMS = 'body, iam-principal or jwt-claim:<claim name>';

const JWT_PREFIX = 'jwt-claim:';
/** A claim name: 1-128 visible characters (covers `sub`, `custom:tenant_id`, URL-style names). */
const CLAIM_NAME = /^[\x21-\x7e]{1,128}$/;

/** Parses a `NAMESPACE_FROM` value; returns a problem description instead of throwing. */
export function parseNamespaceSource(value: string): NamespaceSource | { readonly problem: string } {
  if (value === 'body') return { kind: 'body' };
  if (value === 'iam-principal') return { kind: 'iam-principal' };
  if (value.startsWith(JWT_PREFIX)) {
    const claim = value.slice(JWT_PREFIX.length);
    if (CLAIM_NAME.test(claim)) return { kind: 'jwt-claim', claim };
    return { problem: 'the claim name after "jwt-claim:" must be 1-128 visible ASCII characters' };
  }
  return { problem: `expected ${NAMESPACE_SOURCE_FORMS}` };
}
