/**
 * A Lambda Function URL event (payload format 2.0): a JSON POST to `/`. `body` is sent as given
 * when it is a string (or absent), else as its JSON.
 */
export function urlEvent(body: unknown, isBase64Encoded = false): unknown {
  return {
    version: '2.0',
    rawPath: '/',
    headers: { 'content-type': 'application/json' },
    requestContext: { http: { method: 'POST', path: '/' } },
    body: typeof body === 'string' || body === undefined ? body : JSON.stringify(body),
    isBase64Encoded,
  };
}

/**
 * A Function URL event with `AWS_IAM` auth from the caller `userArn` (`requestContext.authorizer.iam`,
 * as Lambda fills it in), or with no authorizer (`null`, as for auth type `NONE`) when `userArn` is
 * undefined. A direct invoke can send these same bytes: the function cannot tell them apart.
 */
export function iamUrlEvent(userArn: string | undefined, body: Record<string, unknown>): unknown {
  const event = urlEvent(body) as { requestContext: Record<string, unknown> };
  const authorizer = userArn === undefined ? null : { iam: { accessKey: 'ASIA', accountId: '111122223333', callerId: 'AROA', userArn, userId: 'AROA' } };
  return { ...event, requestContext: { ...event.requestContext, authorizer } };
}
