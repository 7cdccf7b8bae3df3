import { startContext, type BenchContext } from '../../bench/context';
import { handlerEnvironment, prepareHandlerHits, prepareQuietHandlerHit, type HandlerHits, type QuietHandlerHit } from '../../bench/handler-hit';
import { measureIdlePenalty } from '../../bench/idle-penalty';
import { HIT_PROMPT, prepareHitVariants, type HitVariants } from '../../bench/variants';

describe('bench handler row (real redis-server and Bedrock emulator)', () => {
  let context: BenchContext;
  let variants: HitVariants;
  let hits: HandlerHits;
  let quietHit: QuietHandlerHit;
  const quiet = { POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL, POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED };

  beforeAll(async () => {
    context = await startContext();
    variants = await prepareHitVariants(context);
    hits = await prepareHandlerHits(handlerEnvironment(context.env()), { prompt: HIT_PROMPT, mode: 'standard' });
    quietHit = await prepareQuietHandlerHit(context.env(), { prompt: HIT_PROMPT, mode: 'standard' });
  }, 60_000);

  afterAll(async () => {
    await Promise.all([hits?.close(), quietHit?.close()]);
    await variants?.close();
    await context?.stop();
  });

  it('serves the floor\'s answer as an exact hit, by direct invoke and by Function URL', async () => {
    const floor = await variants.floor.hit();
    for (const variant of [hits.direct, hits.functionUrl]) {
      variant.begin?.();
      try {
        await expect(variant.hit()).resolves.toBe(floor);
      } finally {
        variant.end?.();
      }
    }
  });

  it('writes the INFO answered line and the EMF document of every invocation into the sink, not to the terminal', async () => {
    expect(hits.firstInvokeWrites).toBeGreaterThanOrEqual(1);
    const writes = hits.sink.writes;
    const invocations = hits.invocations;
    hits.sink.capture = true;
    hits.direct.begin?.();
    try {
      for (let i = 0; i < 10; i++) await hits.direct.hit();
    } finally {
      hits.direct.end?.();
      hits.sink.capture = false;
    }
    expect(hits.invocations - invocations).toBe(10);
    expect(hits.sink.writes - writes).toBeGreaterThanOrEqual(10);
    // One JSON line per invocation carries both: the metrics (EMF) and the answered fields at INFO.
    const lines = hits.sink.captured.splice(0).map((line) => JSON.parse(line) as Record<string, unknown>);
    const answered = lines.filter((line) => line.message === 'answered' && line.level === 'INFO' && line._aws !== undefined && line.CacheHitExact === 1);
    expect(new Set(answered.map((line) => line.function_request_id)).size).toBe(10);
  });

  it('runs a second handler copy with its output off beside the first, which keeps writing its own', async () => {
    const floor = await variants.floor.hit();
    const writes = hits.sink.writes;
    for (const variant of [quietHit.variant, hits.direct]) {
      variant.begin?.();
      try {
        for (let i = 0; i < 5; i++) await expect(variant.hit()).resolves.toBe(floor);
      } finally {
        variant.end?.();
      }
    }
    expect(quietHit.sink.writes).toBe(0);
    expect(hits.sink.writes - writes).toBeGreaterThanOrEqual(5);
  });

  it('times the hit\'s work before its GET three ways over the same server (figures only; the bench reads them)', async () => {
    const penalty = await measureIdlePenalty(variants, 50);
    expect(penalty.samples).toBe(50);
    for (const us of [penalty.backToBackUs, penalty.afterRoundTripUs, penalty.afterBusyWaitUs, penalty.busyWaitUs]) {
      expect(Number.isFinite(us)).toBe(true);
      expect(us).toBeGreaterThan(0);
    }
  });

  it('gives the bench process its own environment back after loading the handler', () => {
    expect(process.env.POWERTOOLS_LOG_LEVEL).toBe(quiet.POWERTOOLS_LOG_LEVEL);
    expect(process.env.POWERTOOLS_METRICS_DISABLED).toBe(quiet.POWERTOOLS_METRICS_DISABLED);
    expect(process.env.CACHE_URL).toBeUndefined();
  });
});
