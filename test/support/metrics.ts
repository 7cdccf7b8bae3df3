import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * A Powertools `Metrics` that is on and publishes, as deployed (the test environment switches
 * metrics off, see test/setup-env.ts): Powertools decides at construction, so it is built with
 * `POWERTOOLS_METRICS_DISABLED=false`, and the variable is restored afterwards.
 */
export function metricsOn(): Metrics {
  const saved = process.env.POWERTOOLS_METRICS_DISABLED;
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  try {
    return new Metrics({ namespace: 'Test', serviceName: 'test' });
  } finally {
    if (saved === undefined) delete process.env.POWERTOOLS_METRICS_DISABLED;
    else process.env.POWERTOOLS_METRICS_DISABLED = saved;
  }
}

/**
 * A `metricsOn()` whose publishing is replaced by clearing what it holds, so a flush writes
 * nothing to the test output; spy on `addMetric` to see the data points.
 */
export function enabledMetrics(): Metrics {
  const metrics = metricsOn();
  jest.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => {
    metrics.clearMetrics();
    metrics.clearMetadata();
    return metrics;
  });
  return metrics;
}
