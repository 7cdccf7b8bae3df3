import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { METRIC, type MetricName } from '../../lambda/observability/metric-names';

/** Where the function's metrics live: the EMF namespace and the `service` dimension. */
export interface CacheMetricsProps {
  /** CloudWatch namespace (`POWERTOOLS_METRICS_NAMESPACE`). */
  readonly namespace: string;
  /** Value of the `service` dimension (`POWERTOOLS_SERVICE_NAME`; the stack's name). */
  readonly serviceName: string;
}

/**
 * Builds CloudWatch metrics of the runtime's one list (`lambda/observability/metric-names.ts`):
 * a name outside the list does not compile, and each metric carries the namespace and `service`
 * dimension the function emits under. Powertools writes the `service` dimension on every metric,
 * so a metric without it would be a different (empty) metric. No `unit` filter: CloudWatch
 * ignores it on graphs, and the default (every datum) is what an alarm wants too.
 */
export class CacheMetrics {
  /** Period of every graph and alarm. */
  readonly period = Duration.minutes(5);

  constructor(readonly props: CacheMetricsProps) {}

  /** One metric of the list with a statistic (`Sum`, `p50`, `p99`, ...). */
  metric(name: MetricName, statistic: string, label?: string): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: this.props.namespace,
      metricName: name,
      dimensionsMap: { service: this.props.serviceName },
      statistic,
      period: this.period,
      ...(label === undefined ? {} : { label }),
    });
  }

  /** The sum of a count metric over the period. */
  sum(name: MetricName, label?: string): cloudwatch.Metric {
    return this.metric(name, cloudwatch.Stats.SUM, label ?? name);
  }

  /** p50 and p99 of a value metric. */
  percentiles(name: MetricName): cloudwatch.Metric[] {
    return [this.metric(name, cloudwatch.Stats.p(50), `${name} p50`), this.metric(name, cloudwatch.Stats.p(99), `${name} p99`)];
  }

  /** Hits as a share of hits and misses, in percent; bypassed requests are not cacheable and do not count. */
  hitRate(): cloudwatch.MathExpression {
    return new cloudwatch.MathExpression({
      expression: '100 * hits / (hits + misses)',
      usingMetrics: { hits: this.sum(METRIC.CacheHit), misses: this.sum(METRIC.CacheMiss) },
      label: 'Hit rate (%)',
      period: this.period,
    });
  }
}
