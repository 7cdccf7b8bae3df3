import type { InvalidateTarget } from './invalidate-args';

/**
 * Runs an action through the function's own handler in this process, over the Redis at
 * `target.redisUrl` (credentials from the URL or `CACHE_USERNAME`/`CACHE_PASSWORD`, a private CA
 * from `CACHE_TLS_CA_FILE`, as for `npm start`). A local purge is allowed (`CACHE_ALLOW_PURGE`):
 * whoever holds the URL and its credentials can remove the keys anyway; the setting guards the
 * deployed function. Closes the connection before it returns.
 */
export async function invalidateLocally(target: Extract<InvalidateTarget, { kind: 'local' }>, action: Readonly<Record<string, unknown>>): Promise<Record<string, unknown>> {
  const env = process.env;
  env.CACHE_BACKEND = target.client;
  env.CACHE_URL = target.redisUrl;
  env.CACHE_ALLOW_PURGE = 'true';
  env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  // Read by the (unused) Bedrock client's configuration only: an action calls no model.
  env.AWS_REGION ??= 'us-east-1';
  const { handler } = await import('../lambda/handler');
  const { getRuntime } = await import('../lambda/runtime');
  try {
    return (await handler(action)) as unknown as Record<string, unknown>;
  } finally {
    await getRuntime().close();
  }
}
