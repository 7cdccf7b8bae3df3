import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { METRIC } from '../../lambda/observability/metric-names';
import type { CacheMetrics } from './cache-metrics';

/** Props of the stack's dashboard. */
export interface CacheDashboardProps {
  /** Dashboard name (letters, digits, `-` and `_`); the stack's name in the stacks. */
  readonly dashboardName: string;
  /** The cache function (its `Errors` and `Throttles`). */
  readonly function: lambda.IFunction;
  /** The runtime's metrics, with the stack's namespace and service dimension. */
  readonly metrics: CacheMetrics;
  /** Alarms shown in the status widget. @default none */
  readonly alarms?: readonly cloudwatch.IAlarm[];
}

/** Width (of 24 grid columns) and height of a graph: three graphs per row. */
const GRAPH = { width: 8, height: 6 } as const;

/**
 * One dashboard per stack: does the cache pay (hits by kind, hit rate, tokens and dollars saved),
 * how fast is it (cache and model latency, waits), and is it healthy (faults, corrupt entries,
 * breaker openings, the function's errors and throttles, the alarms), and what owners took back
 * (invalidated and purged entries). Every runtime metric comes
 * from the runtime's one list through `CacheMetrics`. `rows` is the layout, read by
 * `scripts/dashboard-layout.ts` to draw the README's picture.
 */
export class CacheDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;
  /** The widgets, row by row, in the order the dashboard shows them. */
  readonly rows: readonly (readonly cloudwatch.IWidget[])[];

  constructor(scope: Construct, id: string, props: CacheDashboardProps) {
    super(scope, id);
    const m = props.metrics;
    const fn = props.function;
    const graph = (title: string, left: cloudwatch.IMetric[], extra: Partial<cloudwatch.GraphWidgetProps> = {}): cloudwatch.GraphWidget =>
      new cloudwatch.GraphWidget({ title, left, ...GRAPH, ...extra });

    this.rows = [
      [
        new cloudwatch.TextWidget({
          markdown: `## ${props.dashboardName}: LLM cache\nNamespace \`${m.props.namespace}\`, one point per ${m.period.toMinutes()} minutes. Hit rate = hits / (hits + misses); bypassed requests are not cacheable, and refreshes (mode "refresh") call the model on purpose.`,
          width: 24,
          height: 2,
        }),
      ],
      [
        graph('Requests by outcome', [m.sum(METRIC.CacheHitExact), m.sum(METRIC.CacheHitSemantic), m.sum(METRIC.CacheMiss), m.sum(METRIC.CacheBypass), m.sum(METRIC.CacheRefresh)], { stacked: true }),
        graph('Hit rate (%)', [m.hitRate()], { leftYAxis: { min: 0, max: 100 } }),
        graph('Tokens and dollars saved', [m.sum(METRIC.TokensSaved)], { right: [m.sum(METRIC.EstimatedCostSavedUSD, 'EstimatedCostSavedUSD')] }),
      ],
      [
        graph('Cache latency (ms)', m.percentiles(METRIC.CacheLatency)),
        graph('Model latency (ms)', m.percentiles(METRIC.ModelLatency)),
        graph('Wait for an identical request (ms)', m.percentiles(METRIC.LockWait)),
      ],
      [
        graph('Cache faults and breaker openings', [m.sum(METRIC.CacheFault), m.sum(METRIC.BreakerOpened)]),
        graph('Corrupt entries', [m.sum(METRIC.CorruptEntry)]),
        graph('Function errors and throttles', [
          fn.metricErrors({ period: m.period, statistic: cloudwatch.Stats.SUM, label: 'Errors' }),
          fn.metricThrottles({ period: m.period, statistic: cloudwatch.Stats.SUM, label: 'Throttles' }),
        ]),
      ],
      [
        graph('Semantic match similarity', [m.metric(METRIC.Similarity, cloudwatch.Stats.p(10), 'Similarity p10'), m.metric(METRIC.Similarity, cloudwatch.Stats.p(50), 'Similarity p50')], {
          width: 8,
          leftYAxis: { min: 0, max: 1 },
        }),
        // A rejection is a miss the threshold alone would have served another question's answer.
        graph('Semantic hits and same-question rejections', [m.sum(METRIC.CacheHitSemantic), m.sum(METRIC.SemanticRejected)], { width: 8 }),
        new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: [...(props.alarms ?? [])], width: 8, height: GRAPH.height }),
      ],
      [
        // The actions of README "Taking an answer back": entries their owners took back before their TTL.
        graph('Answers taken back (entries)', [m.sum(METRIC.Invalidated), m.sum(METRIC.Purged)]),
      ],
    ];

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: props.dashboardName });
    for (const row of this.rows) this.dashboard.addWidgets(...row);
  }
}
