import type { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

/** Most values one metric carries in an EMF document (CloudWatch's limit, Powertools' too). */
const MAX_VALUES = 100;

/**
 * Metric data points held between flushes, handed to Powertools `Metrics` in one go.
 *
 * Powertools re-reads the environment and copies the metric's value array on every `addMetric`,
 * which cost more per hit than the Redis GET the metrics describe. Here a hit costs a Map update:
 * counts are summed (an EMF datum of N has the same Sum as N data of 1), other values are kept one
 * by one (their percentiles need every value). Nothing is lost: `drain` runs at each flush,
 * and by itself once a metric holds 100 values.
 */
export class MetricBatch {
  private readonly counts = new Map<string, number>();
  private readonly values = new Map<string, { readonly unit: Unit; readonly list: number[] }>();

  constructor(private readonly metrics: Metrics) {}

  /** Adds `n` to a count metric. */
  count(name: string, n = 1): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + n);
  }

  /** Records one value of a metric whose statistics need every value (latencies, similarity). */
  value(name: string, unit: Unit, value: number): void {
    let held = this.values.get(name);
    if (held === undefined) {
      held = { unit, list: [] };
      this.values.set(name, held);
    }
    held.list.push(value);
    if (held.list.length >= MAX_VALUES) this.drain();
  }

  /** Hands every held data point to Powertools, which publishes them with its next flush. */
  drain(): void {
    for (const [name, total] of this.counts) this.metrics.addMetric(name, 'Count', total);
    for (const [name, { unit, list }] of this.values) for (const value of list) this.metrics.addMetric(name, unit, value);
    this.counts.clear();
    this.values.clear();
  }
}
