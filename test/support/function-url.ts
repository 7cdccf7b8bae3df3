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
