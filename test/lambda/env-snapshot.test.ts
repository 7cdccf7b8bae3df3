import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { snapshotProcessEnv } from '../../lambda/env-snapshot';
import { addInvocationMetadata } from '../../lambda/observability/answered-metadata';

describe('snapshotProcessEnv', () => {
  const saved = process.env;
  afterEach(() => {
    process.env = saved;
  });

  it('leaves process.env alone outside Lambda (no AWS_LAMBDA_FUNCTION_NAME)', () => {
    const env = { PATH: '/bin' };
    process.env = env;

    expect(snapshotProcessEnv()).toBe(false);
    expect(process.env).toBe(env);
  });

  it('inside Lambda, makes process.env a plain copy with the same variables, once', () => {
    process.env = { ...saved, AWS_LAMBDA_FUNCTION_NAME: 'fn', POWERTOOLS_SERVICE_NAME: 'svc' };
    const before = process.env;

    expect(snapshotProcessEnv()).toBe(true);
    expect(process.env).not.toBe(before);
    expect(process.env).toEqual(before);
    const copy = process.env;
    expect(snapshotProcessEnv()).toBe(false);
    expect(process.env).toBe(copy);
  });

  it('still carries the per-invocation trace id the runtime writes through process.env into the EMF document', () => {
    process.env = { ...saved, AWS_LAMBDA_FUNCTION_NAME: 'fn', POWERTOOLS_METRICS_DISABLED: 'false' };
    snapshotProcessEnv();
    const metrics = new Metrics({ namespace: 'Test', serviceName: 'test' });
    const traceOf = (requestId: string): unknown => {
      addInvocationMetadata(metrics, requestId);
      metrics.addMetric('CacheHit', 'Count', 1);
      const document = metrics.serializeMetrics() as unknown as Record<string, unknown>;
      metrics.clearMetrics();
      return document.xray_trace_id;
    };

    // As the Node.js runtime interface client does on each invoke: set, or delete when absent.
    process.env._X_AMZN_TRACE_ID = 'Root=1-aaaaaaaa-000000000000000000000001;Parent=1;Sampled=1';
    expect(traceOf('r1')).toBe('1-aaaaaaaa-000000000000000000000001');
    process.env._X_AMZN_TRACE_ID = 'Root=1-aaaaaaaa-000000000000000000000002;Parent=2;Sampled=0';
    expect(traceOf('r2')).toBe('1-aaaaaaaa-000000000000000000000002');
    delete process.env._X_AMZN_TRACE_ID;
    expect(traceOf('r3')).toBeUndefined();
  });

  it('lets Powertools read its settings from the copy (log level)', () => {
    process.env = { ...saved, AWS_LAMBDA_FUNCTION_NAME: 'fn' };
    snapshotProcessEnv();
    process.env.POWERTOOLS_LOG_LEVEL = 'WARN';

    expect(new Logger({ serviceName: 'test' }).getLevelName()).toBe('WARN');
  });
});
