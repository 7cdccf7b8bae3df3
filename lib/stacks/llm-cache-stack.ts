import { CfnOutput, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import type { LlmCacheConfig } from '../config/app-config';
import type { BackendId } from '../config/backends';
import type { ICacheBackend } from '../backends/cache-backend';
import { BACKEND_UNITS } from '../backends/registry';
import { CacheFunction } from '../function/cache-function';
import { StreamFunction } from '../function/stream-function';
import { POWERTOOLS } from '../function/runtime-environment';
import { CacheMonitoring } from '../monitoring/cache-monitoring';
import { CacheNetwork } from '../network/cache-network';
import { DeployCheckTrigger } from '../verify/deploy-check-trigger';

/** Names of the stack outputs; `npm run invoke` reads `FunctionName`. */
export const OUTPUT_NAMES = {
  functionName: 'FunctionName',
  cacheEndpoint: 'CacheEndpoint',
  invokeCommand: 'InvokeCommand',
  dashboardUrl: 'DashboardUrl',
  streamUrl: 'StreamUrl',
  tenantPolicyArn: 'TenantPolicyArn',
} as const;

/** Props of one backend's stack. */
export interface LlmCacheStackProps extends StackProps {
  /** Which cache backend this stack deploys. */
  readonly backendId: BackendId;
  /** Validated app settings. */
  readonly settings: LlmCacheConfig;
}

/**
 * One deployable unit: its own VPC, one cache backend, and the function in front of Bedrock. The
 * cache's security group admits the function's security group only, on the backend's ports. All
 * that differs per backend comes from its unit (`BACKEND_UNITS`): extra endpoints, whether the
 * backend itself reaches them, and the construct.
 */
export class LlmCacheStack extends Stack {
  /** The cache backend. */
  readonly backend: ICacheBackend;
  /** The cache function. */
  readonly cacheFunction: CacheFunction;
  /** The post-deploy check; absent with `-c verifyDeployment=false`. */
  readonly deployCheck?: DeployCheckTrigger;
  /** The streaming function and its Function URL; present with `-c streaming=true`. */
  readonly streamFunction?: StreamFunction;
  /** The dashboard and alarms (and their SNS topic with `-c alarmEmail=`). */
  readonly monitoring: CacheMonitoring;

  constructor(scope: Construct, id: string, props: LlmCacheStackProps) {
    super(scope, id, props);
    Tags.of(this).add('project', 'bedrock-llm-cache');
    Tags.of(this).add('cache-backend', props.backendId);

    const unit = BACKEND_UNITS[props.backendId];
    const network = new CacheNetwork(this, 'Network', {
      flowLogRetention: props.settings.logRetentionDays,
      extraInterfaceEndpoints: unit.network.extraInterfaceEndpoints,
    });
    const where = { vpc: network.vpc, subnets: network.privateSubnets };
    this.backend = unit.create(this, where, props.settings);

    const functionSecurityGroup = new ec2.SecurityGroup(this, 'FunctionSecurityGroup', {
      vpc: network.vpc,
      description: 'Cache function: no ingress; egress to the cache and the VPC endpoints',
      allowAllOutbound: true,
    });
    network.allowEndpointAccess(functionSecurityGroup, 'cache function to AWS APIs');
    if (unit.network.endpointAccess !== undefined) {
      network.allowEndpointAccess(this.backend.securityGroup, unit.network.endpointAccess);
    }
    for (const port of this.backend.ports) {
      this.backend.securityGroup.addIngressRule(functionSecurityGroup, ec2.Port.tcp(port), `cache function to port ${port}`);
    }

    this.cacheFunction = new CacheFunction(this, 'CacheFunction', {
      ...where,
      securityGroup: functionSecurityGroup,
      backend: this.backend,
      settings: props.settings,
    });

    if (props.settings.verifyDeployment) {
      // After everything the function's answers depend on: endpoints, the cache, its ingress rules.
      const backendScope = Construct.isConstruct(this.backend) ? [this.backend] : [];
      this.deployCheck = new DeployCheckTrigger(this, 'DeployCheck', {
        target: this.cacheFunction.function,
        executeAfter: [network, ...backendScope, functionSecurityGroup, this.cacheFunction],
        settings: props.settings,
      });
    }

    // The dashboard reads the metrics under the namespace and `service` dimension the function's
    // environment sets (POWERTOOLS), so both sides take them from one place.
    this.monitoring = new CacheMonitoring(this, 'Monitoring', {
      function: this.cacheFunction.function,
      namespace: POWERTOOLS.metricsNamespace,
      serviceName: POWERTOOLS.serviceName,
      dashboardName: this.stackName,
      ...(props.settings.alarmEmail === undefined ? {} : { alarmEmail: props.settings.alarmEmail }),
    });

    const functionName = this.cacheFunction.function.functionName;
    new CfnOutput(this, OUTPUT_NAMES.functionName, { value: functionName, description: 'Name of the cache function' });
    new CfnOutput(this, OUTPUT_NAMES.cacheEndpoint, {
      value: `${this.backend.endpoint}:${this.backend.port}`,
      description: 'Cache endpoint (private; reachable only from the function)',
    });
    new CfnOutput(this, OUTPUT_NAMES.invokeCommand, {
      value: `aws lambda invoke --region ${this.region} --function-name ${functionName} --cli-binary-format raw-in-base64-out --payload '{"prompt":"Where is Las Vegas?"}' /dev/stdout`,
      description: 'Ready-to-run invocation with the AWS CLI',
    });
    new CfnOutput(this, OUTPUT_NAMES.dashboardUrl, { value: this.monitoring.dashboardUrl, description: 'CloudWatch dashboard of this stack' });

    if (props.settings.streaming) {
      this.streamFunction = new StreamFunction(this, 'StreamFunction', { ...where, securityGroup: functionSecurityGroup, backend: this.backend, settings: props.settings });
      this.streamFunction.addOutput(this, OUTPUT_NAMES.streamUrl);
      this.streamFunction.addTenantPolicyOutput(this, OUTPUT_NAMES.tenantPolicyArn);
    }
  }
}
