import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { CacheRequest, CacheResponse } from '../../../lambda/core/types';
import { PowertoolsObserver } from '../../../lambda/observability/powertools-observer';
import { DEFAULT_TOKEN_PRICE } from '../../../lambda/observability/pricing';
import { enabledMetrics } from '../../support/metrics';

const REQUEST: CacheRequest = { prompt: 'Where is Las Vegas?', mode: 'standard', modelId: 'm', maxTokens: 512, temperature: 0, ttlSeconds: 60, threshold: 0.9, namespace: 'ns' };
const MISS: CacheResponse = { text: 'In Nevada.', cache: 'miss', modelId: 'm', latencyMs: 4012, usage: { inputTokens: 10, outputTokens: 20 } };

/** `metricsOn`: as deployed; off (the test environment's setting), the Logger writes the answered line. */
function observe(logLevel: 'INFO' | 'WARN' = 'INFO', metricsOn = true) {
  const logger = new Logger({ serviceName: 'test', logLevel });
  const metrics = metricsOn ? enabledMetrics() : new Metrics({ namespace: 'Test', serviceName: 'test' });
  const addMetric = jest.spyOn(metrics, 'addMetric');
  // Spied without writing: the observer decides from the level, the spy keeps the output quiet.
  const info = jest.spyOn(logger, 'info').mockImplementation(() => undefined);
  const observer = new PowertoolsObserver(logger, metrics, DEFAULT_TOKEN_PRICE);
  // Data points reach Powertools when the observer flushes (the handler does, per invocation).
  const metric = (name: string): unknown[] => {
    observer.flush();
    return addMetric.mock.calls.filter(([n]) => n === name).map(([, , value]) => value);
  };
  return { observer, metric, info, addMetric };
}

describe('PowertoolsObserver', () => {
  it('reports the model call own latency as ModelLatency, and the wait for another request as LockWait', () => {
    const { observer, metric } = observe();

    observer.answered(REQUEST, MISS, { cacheMs: 2, waitMs: 4000, modelCalled: true, modelMs: 9 });

    expect(metric('ModelLatency')).toEqual([9]);
    expect(metric('LockWait')).toEqual([4000]);
    expect(metric('CacheLatency')).toEqual([2]);
  });

  it('reports no ModelLatency and no LockWait when the model was not called and nothing waited', () => {
    const { observer, metric } = observe();

    observer.answered(REQUEST, { ...MISS, cache: 'exact', usage: { inputTokens: 0, outputTokens: 0 }, savedUsage: MISS.usage }, { cacheMs: 1, waitMs: 0, modelCalled: false });

    expect(metric('ModelLatency')).toEqual([]);
    expect(metric('LockWait')).toEqual([]);
    expect(metric('CacheHitExact')).toEqual([1]);
  });

  it('counts a refresh as CacheRefresh, neither a miss nor a bypass', () => {
    const { observer, metric } = observe();

    observer.answered({ ...REQUEST, mode: 'refresh' }, { ...MISS, cache: 'refresh' }, { cacheMs: 1, waitMs: 0, modelCalled: true, modelMs: 9 });

    expect(metric('CacheRefresh')).toEqual([1]);
    expect(metric('CacheMiss')).toEqual([]);
    expect(metric('CacheBypass')).toEqual([]);
    expect(metric('ModelLatency')).toEqual([9]);
  });

  it('logs why a semantic request was served exact-only', () => {
    const { observer, info } = observe('INFO', false);

    observer.answered(REQUEST, { ...MISS, semantic: 'unavailable', semanticReason: 'prompt-too-long' }, { cacheMs: 1, waitMs: 0, modelCalled: true, modelMs: 9 });

    expect(info).toHaveBeenCalledWith('answered', expect.objectContaining({ semantic: 'unavailable', semanticReason: 'prompt-too-long', modelMs: 9 }));
  });

  it('writes one flat answered line with the prompt digest at INFO', () => {
    const { observer, info } = observe('INFO', false);

    observer.answered(REQUEST, MISS, { cacheMs: 1, waitMs: 0, modelCalled: true, modelMs: 9 });

    expect(info).toHaveBeenCalledTimes(1);
    expect(info.mock.calls[0]![1]).toMatchObject({ cache: 'miss', promptDigest: expect.stringMatching(/^[0-9a-f]{16}$/), promptChars: REQUEST.prompt.length });
    expect(info.mock.calls[0]![1]).not.toHaveProperty('waitMs');
  });

  it('builds no answered line (and computes no digest) when INFO lines are not written', () => {
    const { observer, info, metric } = observe('WARN');

    observer.answered(REQUEST, MISS, { cacheMs: 1, waitMs: 0, modelCalled: true, modelMs: 9 });

    expect(info).not.toHaveBeenCalled();
    expect(metric('CacheMiss')).toEqual([1]);
  });

  it('holds data points until a flush, then hands them to Powertools once: counts summed, values one by one', () => {
    const { observer, metric, addMetric } = observe('WARN');
    const hit: CacheResponse = { ...MISS, cache: 'exact', usage: { inputTokens: 0, outputTokens: 0 }, savedUsage: MISS.usage };

    observer.answered(REQUEST, hit, { cacheMs: 1, waitMs: 0, modelCalled: false });
    observer.answered(REQUEST, hit, { cacheMs: 3, waitMs: 0, modelCalled: false });
    const before = addMetric.mock.calls.length;

    expect(before).toBe(0);
    expect(metric('CacheHitExact')).toEqual([2]);
    expect(metric('TokensSaved')).toEqual([60]);
    expect(metric('CacheLatency')).toEqual([1, 3]);
  });

  it('hands values over by itself once a metric holds 100 of them (the EMF limit), losing none', () => {
    const { observer, addMetric } = observe('WARN');

    for (let i = 0; i < 100; i++) observer.answered(REQUEST, MISS, { cacheMs: i, waitMs: 0, modelCalled: true, modelMs: 9 });

    expect(addMetric.mock.calls.filter(([n]) => n === 'CacheLatency')).toHaveLength(100);
  });

  it('hands nothing to Powertools while its metrics are off, and still writes the answered line', () => {
    const { observer, info, addMetric } = observe('INFO', false);
    const hit: CacheResponse = { ...MISS, cache: 'exact', usage: { inputTokens: 0, outputTokens: 0 }, savedUsage: MISS.usage };

    const warn = jest.spyOn(observer.logger, 'warn').mockImplementation(() => undefined);
    observer.answered(REQUEST, hit, { cacheMs: 1, waitMs: 0, modelCalled: false });
    observer.fault({ operation: 'lookup', reason: 'timeout' });
    observer.flush();

    expect(addMetric).not.toHaveBeenCalled();
    expect(info).toHaveBeenCalledWith('answered', expect.objectContaining({ cache: 'exact' }));
    expect(warn).toHaveBeenCalledWith('cache operation failed open', expect.objectContaining({ reason: 'timeout' }));
  });
});
