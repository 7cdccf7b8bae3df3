/**
 * Child process for the cross-process stampede tests: one "container" that fires COUNT concurrent
 * identical requests through `handler` once the parent says go.
 *
 * Environment: the runtime's own variables (CACHE_BACKEND, CACHE_URL, BEDROCK_ENDPOINT, ...) plus
 * FIRE_COUNT (default 25), FIRE_PROMPT and FIRE_NAMESPACE.
 * Protocol: prints `ready` once its cache connection is up, waits for a `go` line on stdin, fires,
 * prints one JSON line `{"results":[...],"elapsedMs":n}` and exits.
 */
import { handler } from '../../../lambda/handler';
import { getRuntime } from '../../../lambda/runtime';
import { connectRedisClient, getRedisClient } from '../../../lambda/backends/redis/connection';
import { readyThenGo } from '../ready-then-go';

async function main(): Promise<void> {
  const count = Number(process.env.FIRE_COUNT ?? '25');
  const prompt = process.env.FIRE_PROMPT ?? 'Where is Las Vegas?';
  const namespace = process.env.FIRE_NAMESPACE ?? 'stampede';
  const { config } = getRuntime();
  if (config.backend !== 'memory') await connectRedisClient(await getRedisClient(config), 5000);
  await readyThenGo();
  const started = Date.now();
  const results = await Promise.all(
    Array.from({ length: count }, async () => {
      const result = (await handler({ prompt, namespace, mode: 'standard' })) as unknown as Record<string, unknown>;
      return { cache: result.cache, coalesced: result.coalesced, cacheSkipped: result.cacheSkipped, error: result.error, at: Date.now() - started };
    }),
  );
  process.stdout.write(`${JSON.stringify({ results, elapsedMs: Date.now() - started })}\n`);
  await getRuntime().close();
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`fire failed: ${String(error)}\n`);
  process.exit(1);
});
