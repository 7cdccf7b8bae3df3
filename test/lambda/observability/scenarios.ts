import { Logger } from '@aws-lambda-powertools/logger';
import type { CacheRequest, CacheResponse } from '../../../lambda/core/types';
import { PowertoolsObserver } from '../../../lambda/observability/powertools-observer';
import { DEFAULT_TOKEN_PRICE } from '../../../lambda/observability/pricing';
import { enabledMetrics } from '../../support/metrics';

const REQUEST: CacheRequest = { prompt: 'Where is Las Vegas?', mode: 'semantic', modelId: 'm', maxTokens: 512, temperature: 0, ttlSeconds: 60, threshold: 0.9, namespace: 'ns' };
const USAGE = { inputTokens: 10, outputTokens: 20 };
const MISS: CacheResponse = { text: 'In Nevada.', cache: 'miss', modelId: 'm', latencyMs: 40, usage: USAGE };
const SAVED = { usage: { inputTokens: 0, outputTokens: 0 }, savedUsage: USAGE };

/** One data point handed to Powertools: metric name, unit, value. */
export interface Emitted {
  readonly name: string;
  readonly unit: string;
  readonly value: number;
}

/**
 * Runs the Powertools observer through every situation the runtime reports (a miss that waited
 * and called the model, an exact hit, a semantic hit, a miss whose neighbour the same-question
 * check rejected, a bypass, a refresh, a fault, a corrupt entry, a
 * breaker opening, an invalidate, a reject, a purge) and returns every data point it handed to Powertools. The dashboard test uses
 * it too: a metric no scenario emits would be an empty graph.
 */
export function emitAllScenarios(): Emitted[] {
  const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
  const metrics = enabledMetrics();
  const addMetric = jest.spyOn(metrics, 'addMetric');
  const observer = new PowertoolsObserver(logger, metrics, DEFAULT_TOKEN_PRICE);

  observer.answered(REQUEST, MISS, { cacheMs: 2, waitMs: 30, modelCalled: true, modelMs: 9 });
  observer.answered(REQUEST, { ...MISS, cache: 'exact', ...SAVED }, { cacheMs: 1, waitMs: 0, modelCalled: false });
  observer.answered(REQUEST, { ...MISS, cache: 'semantic', similarity: 0.97, ...SAVED }, { cacheMs: 3, waitMs: 0, modelCalled: false });
  observer.answered(REQUEST, { ...MISS, semanticRejected: { reason: 'number-mismatch', similarity: 0.99 } }, { cacheMs: 2, waitMs: 0, modelCalled: true, modelMs: 9 });
  observer.answered({ ...REQUEST, mode: 'off' }, { ...MISS, cache: 'bypass' }, { cacheMs: 0, waitMs: 0, modelCalled: true, modelMs: 9 });
  observer.answered({ ...REQUEST, mode: 'refresh' }, { ...MISS, cache: 'refresh' }, { cacheMs: 1, waitMs: 0, modelCalled: true, modelMs: 9 });
  observer.fault({ operation: 'lookup', reason: 'timeout' });
  observer.corruptEntry('not-json');
  observer.breakerOpened('10.0.0.1:6379');
  observer.action({ action: 'invalidate', namespace: 'ns', count: 1 });
  observer.action({ action: 'reject', namespace: 'ns', count: 1 });
  observer.action({ action: 'purge', namespace: 'ns', count: 3, keys: 7, complete: true });
  observer.flush();

  const emitted = addMetric.mock.calls.map(([name, unit, value]) => ({ name, unit: String(unit), value }));
  addMetric.mockRestore();
  return emitted;
}
