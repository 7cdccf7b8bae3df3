import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { METRIC } from '../../lambda/observability/metric-names';
import { AlarmTopic } from './alarm-topic';
import type { CacheMetrics } from './cache-metrics';

/** Props of the stack's alarms. */
export interface CacheAlarmsProps {
  /** The cache function (its `Errors` metric). */
  readonly function: lambda.IFunction;
  /** The runtime's metrics, with the stack's namespace and service dimension. */
  readonly metrics: CacheMetrics;
  /** When set, an encrypted SNS topic with this email subscription receives every alarm's state changes. @default no topic */
  readonly alarmEmail?: string;
}

/** Cache faults in one period above which the fault alarm fires. */
const CACHE_FAULTS_ABOVE = 10;
/** Function errors in one period at or above which the error alarm fires. */
const FUNCTION_ERRORS_AT_LEAST = 1;

/**
 * Two alarms, each over one period (5 minutes by default): cache faults (the cache failing open:
 * answers still flow, at model cost and latency) and function errors (requests that failed).
 * No data means nothing went wrong (an idle function emits nothing), so missing data never breaches.
 */
export class CacheAlarms extends Construct {
  readonly cacheFaults: cloudwatch.Alarm;
  readonly functionErrors: cloudwatch.Alarm;
  /** The notification topic; present only with `alarmEmail`. */
  readonly topic?: AlarmTopic;

  constructor(scope: Construct, id: string, props: CacheAlarmsProps) {
    super(scope, id);
    const { metrics } = props;
    this.cacheFaults = new cloudwatch.Alarm(this, 'CacheFaults', {
      alarmDescription:
        'The cache is failing open: requests are answered by the model at full cost. See the dashboard (faults, breaker openings) and the function logs ("cache operation failed open").',
      // No label: a labelled metric makes CloudFormation's metric-math form of the alarm.
      metric: metrics.metric(METRIC.CacheFault, cloudwatch.Stats.SUM),
      threshold: CACHE_FAULTS_ABOVE,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.functionErrors = new cloudwatch.Alarm(this, 'FunctionErrors', {
      alarmDescription: 'The cache function failed invocations (errors or timeouts). See its log group.',
      metric: props.function.metricErrors({ period: metrics.period, statistic: cloudwatch.Stats.SUM }),
      threshold: FUNCTION_ERRORS_AT_LEAST,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    if (props.alarmEmail !== undefined) {
      this.topic = new AlarmTopic(this, 'Notify', { email: props.alarmEmail });
      const action = new actions.SnsAction(this.topic.topic);
      for (const alarm of this.all) {
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
      }
      this.topic.allowAlarms(this.all.map((alarm) => alarm.alarmArn));
    }
  }

  /** Every alarm, for the dashboard's status widget. */
  get all(): cloudwatch.Alarm[] {
    return [this.cacheFaults, this.functionErrors];
  }
}
