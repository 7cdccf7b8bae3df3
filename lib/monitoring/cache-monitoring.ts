import { Stack } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { CacheAlarms } from './cache-alarms';
import { CacheDashboard } from './cache-dashboard';
import { CacheMetrics } from './cache-metrics';

/** Props of a stack's monitoring. */
export interface CacheMonitoringProps {
  /** The cache function. */
  readonly function: lambda.IFunction;
  /** CloudWatch namespace the function emits under (`POWERTOOLS_METRICS_NAMESPACE`). */
  readonly namespace: string;
  /** The `service` dimension the function emits (`POWERTOOLS_SERVICE_NAME`). */
  readonly serviceName: string;
  /** Dashboard name. */
  readonly dashboardName: string;
  /** Email for alarm notifications (`-c alarmEmail=`). @default no notifications */
  readonly alarmEmail?: string;
}

/**
 * A stack's dashboard and alarms, built with `aws-cdk-lib/aws-cloudwatch` directly: two alarms and
 * one dashboard did not justify another dependency (cdk-monitoring-constructs), and this way every
 * runtime metric comes from the runtime's one list.
 */
export class CacheMonitoring extends Construct {
  readonly alarms: CacheAlarms;
  readonly dashboard: CacheDashboard;
  /** Console address of the dashboard (tokens for the region). */
  readonly dashboardUrl: string;

  constructor(scope: Construct, id: string, props: CacheMonitoringProps) {
    super(scope, id);
    const metrics = new CacheMetrics({ namespace: props.namespace, serviceName: props.serviceName });
    this.alarms = new CacheAlarms(this, 'Alarms', { function: props.function, metrics, ...(props.alarmEmail === undefined ? {} : { alarmEmail: props.alarmEmail }) });
    this.dashboard = new CacheDashboard(this, 'Dashboard', { dashboardName: props.dashboardName, function: props.function, metrics, alarms: this.alarms.all });
    this.dashboardUrl = dashboardUrl(this.dashboard.dashboard.dashboardName, Stack.of(this).region);
  }
}

/** The CloudWatch console's address of a dashboard in `region`. */
function dashboardUrl(name: string, region: string): string {
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards:name=${name}`;
}
