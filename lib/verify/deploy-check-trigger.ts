import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { Duration, Lazy, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as triggers from 'aws-cdk-lib/triggers';
import { Construct } from 'constructs';
import { VERIFY_ENV } from '../../lambda/verify/verify-env';
import { CHECK_BUDGET } from '../../lambda/verify/deploy-check';
import type { LlmCacheConfig } from '../config/app-config';
import { FUNCTION_BUNDLING, PROJECT_ROOT } from '../function/bundling';

/** Props of the post-deploy check. */
export interface DeployCheckTriggerProps {
  /** The cache function the check invokes. */
  readonly target: lambda.Function;
  /** Scopes that must be deployed before the check runs (network, backend, function). */
  readonly executeAfter: readonly Construct[];
  /** Validated app settings (timeout, log retention, threshold). */
  readonly settings: LlmCacheConfig;
}

/**
 * A CDK trigger that runs `lambda/verify/handler.ts` after the stack's cache function and
 * backend are in place: a miss, an exact hit and a semantic hit in a fresh namespace. A wrong
 * outcome throws, which fails the deployment with a message naming the step and the cause.
 *
 * The check runs outside the VPC (it only calls the Lambda Invoke API) and may invoke exactly
 * the cache function. It re-runs on every deploy that changes the cache function: a fingerprint
 * of the function's configuration and code location sits in the check's own environment, so the
 * check's version (which the trigger follows, `executeOnHandlerChange`) changes with it.
 */
export class DeployCheckTrigger extends Construct {
  /** The check's function. */
  readonly function: NodejsFunction;
  /** The trigger that runs it during deployment. */
  readonly trigger: triggers.Trigger;

  constructor(scope: Construct, id: string, props: DeployCheckTriggerProps) {
    super(scope, id);
    const { settings, target } = props;
    // Its sequential calls (every attempt of every step), each bounded by the cache function's
    // timeout, the pauses before retries, plus up to 25 s of waiting for a function that is not
    // ready yet and the check's own start-up.
    const pausesSeconds = Math.ceil(CHECK_BUDGET.pausesMs / 1000);
    const timeoutSeconds = Math.min(840, CHECK_BUDGET.calls * settings.lambdaTimeoutSeconds + pausesSeconds + 60);

    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: settings.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.function = new NodejsFunction(this, 'Function', {
      description: 'bedrock-llm-cache: post-deploy check (miss, exact, semantic) of the cache function',
      entry: path.join(PROJECT_ROOT, 'lambda', 'verify', 'handler.ts'),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.seconds(timeoutSeconds),
      logGroup,
      environment: {
        [VERIFY_ENV.functionName]: target.functionName,
        [VERIFY_ENV.threshold]: String(settings.semanticThreshold),
        [VERIFY_ENV.targetFingerprint]: Lazy.string({ produce: () => functionFingerprint(target) }),
      },
      bundling: {
        minify: FUNCTION_BUNDLING.minify,
        sourceMap: FUNCTION_BUNDLING.sourceMap,
        target: FUNCTION_BUNDLING.target,
        format: OutputFormat.CJS,
        externalModules: [],
        forceDockerBundling: false,
      },
    });
    this.function.addToRolePolicy(
      new iam.PolicyStatement({ sid: 'InvokeCacheFunction', actions: ['lambda:InvokeFunction'], resources: [target.functionArn] }),
    );

    this.trigger = new triggers.Trigger(this, 'Trigger', {
      handler: this.function,
      executeAfter: [...props.executeAfter],
      executeOnHandlerChange: true,
      invocationType: triggers.InvocationType.REQUEST_RESPONSE,
      timeout: Duration.seconds(timeoutSeconds + 30),
    });

    Validations.of(this.function).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: 'AWSLambdaBasicExecutionRole is the AWS-maintained minimum for writing the check function logs.',
      },
      {
        id: 'AwsSolutions-L1',
        reason: 'Pinned to Node.js 22 like the cache function (project decision, matched by the esbuild target).',
      },
    );
  }
}

/**
 * A digest of what a deploy can change in the cache function: code location (the asset hash),
 * environment, memory, timeout, runtime, handler, architecture and VPC placement. Resolved at
 * synth, so tokens contribute their CloudFormation form (a replaced cache endpoint changes it).
 */
function functionFingerprint(target: lambda.Function): string {
  const cfn = target.node.defaultChild as lambda.CfnFunction;
  const watched = {
    code: cfn.code,
    environment: cfn.environment,
    memorySize: cfn.memorySize,
    timeout: cfn.timeout,
    runtime: cfn.runtime,
    handler: cfn.handler,
    architectures: cfn.architectures,
    vpcConfig: cfn.vpcConfig,
  };
  return createHash('sha256').update(JSON.stringify(Stack.of(target).resolve(watched))).digest('hex');
}
