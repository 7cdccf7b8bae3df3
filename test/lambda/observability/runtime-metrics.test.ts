import { loadConfig } from '../../../lambda/core/config';
import { parseRequest } from '../../../lambda/core/request';
import type { CacheObserver } from '../../../lambda/observability/observer';
import { createRuntime } from '../../../lambda/runtime';
import { FakeModel, fakeObserver } from '../cache/fakes';

/** The `service` dimension of the EMF document the runtime's Metrics would write. */
function serviceDimension(env: NodeJS.ProcessEnv): unknown {
  const runtime = createRuntime(loadConfig({ CACHE_BACKEND: 'memory', ...env }));
  runtime.metrics.addMetric('CacheHit', 'Count', 1);
  const emf = runtime.metrics.serializeMetrics() as unknown as Record<string, unknown>;
  runtime.metrics.clearMetrics();
  return emf.service;
}

describe('the runtime metrics', () => {
  it('carry the service dimension POWERTOOLS_SERVICE_NAME names (the stack sets its own name)', () => {
    expect(serviceDimension({ POWERTOOLS_SERVICE_NAME: 'LlmCache-MemoryDb' })).toBe('LlmCache-MemoryDb');
  });

  it('fall back to bedrock-llm-cache when the environment names no service (local runs)', () => {
    expect(serviceDimension({})).toBe('bedrock-llm-cache');
  });

  it('report a breaker opening to the observer once, however many calls the open breaker skips', async () => {
    const observer: jest.Mocked<CacheObserver> = { ...fakeObserver(), breakerOpened: jest.fn() };
    const config = loadConfig({ CACHE_BACKEND: 'redis', CACHE_URL: 'redis://127.0.0.1:1', SEMANTIC_INDEX: 'none', CACHE_MODE: 'standard' });
    const down = (): Promise<never> => Promise.reject(new Error('ECONNREFUSED'));
    const runtime = createRuntime(config, { model: new FakeModel(), observer, redis: down });

    for (let i = 0; i < 5; i++) await runtime.cache.answer(parseRequest({ prompt: `question ${i}` }, config));

    expect(observer.breakerOpened).toHaveBeenCalledTimes(1);
    expect(observer.fault.mock.calls.some(([fault]) => fault.reason === 'circuit-open')).toBe(true);
  });
});
