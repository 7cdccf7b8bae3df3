import { callerNamespace, iamNamespace } from '../../lambda/caller-namespace';
import { UnauthorizedError } from '../../lambda/core/errors';
import type { NamespaceSource } from '../../lambda/core/namespace-source';

const IAM: NamespaceSource = { kind: 'iam-principal' };
const JWT: NamespaceSource = { kind: 'jwt-claim', claim: 'tenant' };

/** A Function URL / HTTP API payload 2.0 event with the given `requestContext.authorizer`. */
function event(authorizer: unknown): unknown {
  return { version: '2.0', requestContext: { http: { method: 'POST' }, authorizer }, body: '{"prompt":"hi"}' };
}
const iamEvent = (userArn: unknown): unknown => event({ iam: { accessKey: 'AKIA', accountId: '111122223333', callerId: 'AIDA', userArn, userId: 'AIDA' } });

describe('callerNamespace', () => {
  it('binds nothing when the namespace comes from the body', () => {
    expect(callerNamespace(iamEvent('arn:aws:iam::111122223333:user/alice'), { kind: 'body' })).toBeUndefined();
  });

  it('binds nothing for a direct invoke: operator input (only operators hold an unconditioned lambda:InvokeFunction)', () => {
    expect(callerNamespace({ prompt: 'hi', namespace: 'tenant-a' }, IAM)).toBeUndefined();
  });

  it('derives a key-safe namespace from the IAM caller of a Function URL event', () => {
    const namespace = callerNamespace(iamEvent('arn:aws:iam::111122223333:user/alice'), IAM);

    expect(namespace).toMatch(/^iam-[0-9a-f]{32}$/);
    expect(namespace).toBe(iamNamespace('arn:aws:iam::111122223333:user/alice'));
  });

  it('gives different IAM callers different namespaces', () => {
    const alice = callerNamespace(iamEvent('arn:aws:iam::111122223333:user/alice'), IAM);
    const bob = callerNamespace(iamEvent('arn:aws:iam::111122223333:user/bob'), IAM);
    const otherAccount = callerNamespace(iamEvent('arn:aws:iam::444455556666:user/alice'), IAM);

    expect(new Set([alice, bob, otherAccount]).size).toBe(3);
  });

  it('gives every session of one assumed role the same namespace, and other roles another', () => {
    const morning = callerNamespace(iamEvent('arn:aws:sts::111122223333:assumed-role/TenantA/session-1'), IAM);
    const evening = callerNamespace(iamEvent('arn:aws:sts::111122223333:assumed-role/TenantA/session-2'), IAM);
    const other = callerNamespace(iamEvent('arn:aws:sts::111122223333:assumed-role/TenantB/session-1'), IAM);

    expect(morning).toBe(evening);
    expect(other).not.toBe(morning);
  });

  it.each<[string, unknown]>([
    ['no authorizer (auth type NONE: Lambda sets it to null)', event(null)],
    ['an authorizer without iam', event({ jwt: { claims: { tenant: 'a' } } })],
    ['an empty userArn', iamEvent('')],
    ['a non-string userArn', iamEvent(42)],
    ['a userArn inherited from the prototype', event({ iam: Object.create({ userArn: 'arn:aws:iam::1:user/x' }) as unknown })],
  ])('refuses an HTTP event with %s as Unauthorized', (_name, input) => {
    expect(() => callerNamespace(input, IAM)).toThrow(UnauthorizedError);
  });

  it('takes the namespace from the configured JWT claim', () => {
    expect(callerNamespace(event({ jwt: { claims: { tenant: 'tenant-a', sub: 'x' }, scopes: null } }), JWT)).toBe('tenant-a');
  });

  it.each<[string, unknown, RegExp]>([
    ['no JWT authorizer', event(null), /no such claim/],
    ['the claim missing', event({ jwt: { claims: { sub: 'x' } } }), /no such claim/],
    ['a claim that is not key-safe', event({ jwt: { claims: { tenant: 'a:b*' } } }), /does not hold a valid namespace/],
    ['a claim that is a list', event({ jwt: { claims: { tenant: ['a', 'b'] } } }), /does not hold a valid namespace/],
    ['a claim that is too long', event({ jwt: { claims: { tenant: 'a'.repeat(65) } } }), /does not hold a valid namespace/],
  ])('refuses an HTTP event with %s as Unauthorized', (_name, input, message) => {
    expect(() => callerNamespace(input, JWT)).toThrow(UnauthorizedError);
    expect(() => callerNamespace(input, JWT)).toThrow(message);
  });

  it('never echoes the caller identity in its refusal', () => {
    expect(() => callerNamespace(event({ jwt: { claims: { tenant: 'secret tenant name' } } }), JWT)).toThrow(expect.objectContaining({ message: expect.not.stringContaining('secret tenant') }) as Error);
  });
});
