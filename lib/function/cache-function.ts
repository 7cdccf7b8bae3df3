import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { LlmCacheConfig } from '../config/app-config';
import { EMBEDDING_MODELS } from '../../lambda/settings/values';
import { foundationModelArn, modelResourceArns, parseModelId } from '../config/bedrock-models';
import type { ICacheBackend } from '../backends/cache-backend';
import { FUNCTION_BUNDLING, PROJECT_ROOT } from './bundling';
import { runtimeEnvironment } from './runtime-environment';

/** Props of the cache function. */
export interface CacheFunctionProps {
  /** VPC the function runs in. */
  readonly vpc: ec2.IVpc;
  /** Private subnets of the function's ENIs. */
  readonly subnets: ec2.SubnetSelection;
  /** Security group of the function; the backend admits it. */
  readonly securityGroup: ec2.ISecurityGroup;
  /** The cache the function talks to. */
  readonly backend: ICacheBackend;
  /** Validated app settings (models, memory, timeout, cache defaults). */
  readonly settings: LlmCacheConfig;
  /**
   * The entry file under `lambda/` and what the function is for; the streaming function passes
   * its own. @default the cache function: `handler.ts`
   */
  readonly entry?: { readonly file: string; readonly description: string };
  /** Also allow `bedrock:InvokeModelWithResponseStream` (ConverseStream requires it). @default false */
  readonly streamsModel?: boolean;
}

/**
 * The Lambda that answers prompts: `lambda/handler.ts` bundled locally by esbuild (never Docker),
 * Node.js 22 on arm64, minified, no source map (options in `./bundling.ts`, shared with the
 * cold-start bench), the AWS SDK bundled too so our lock file pins it. IAM grants
 * `bedrock:InvokeModel` on exactly the configured models (inference profile plus the foundation
 * model in each destination region) and the embedding model, and `secretsmanager:GetSecretValue`
 * on exactly the cache secret.
 */
export class CacheFunction extends Construct {
  /** The function. */
  readonly function: NodejsFunction;

  constructor(scope: Construct, id: string, props: CacheFunctionProps) {
    super(scope, id);
    const { settings, backend } = props;
    const stack = Stack.of(this);

    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: settings.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.function = new NodejsFunction(this, 'Function', {
      description: props.entry?.description ?? 'bedrock-llm-cache: answers prompts through Bedrock with a Redis-family cache',
      entry: path.join(PROJECT_ROOT, 'lambda', props.entry?.file ?? 'handler.ts'),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: settings.lambdaMemoryMb,
      timeout: Duration.seconds(settings.lambdaTimeoutSeconds),
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      securityGroups: [props.securityGroup],
      logGroup,
      environment: runtimeEnvironment(
        {
          endpoint: backend.endpoint,
          port: backend.port,
          tls: backend.tls,
          topology: backend.topology,
          vectorSearch: backend.vectorSearch,
          secretArn: backend.secret.secretArn,
        },
        settings,
      ),
      bundling: {
        minify: FUNCTION_BUNDLING.minify,
        sourceMap: FUNCTION_BUNDLING.sourceMap,
        target: FUNCTION_BUNDLING.target,
        esbuildArgs: { '--conditions': FUNCTION_BUNDLING.conditions.join(',') },
        format: OutputFormat.CJS,
        externalModules: [],
        forceDockerBundling: false,
      },
    });

    const modelArns = settings.allowedModelIds.flatMap((modelId) => {
      const parsed = parseModelId(modelId);
      if (typeof parsed === 'string') throw new Error(`modelId ${modelId}: ${parsed}`);
      return modelResourceArns(parsed, stack.partition, stack.region, stack.account);
    });
    if (!(settings.embeddingModelId in EMBEDDING_MODELS)) throw new Error(`unsupported embedding model ${settings.embeddingModelId}`);
    const embeddingArn = foundationModelArn(stack.partition, stack.region, settings.embeddingModelId);

    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'InvokeConfiguredModels',
        actions: props.streamsModel === true ? ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'] : ['bedrock:InvokeModel'],
        resources: [...new Set([...modelArns, embeddingArn])],
      }),
    );
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadCacheSecret',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [backend.secret.secretArn],
      }),
    );

    const managedReason =
      'AWSLambdaBasicExecutionRole and AWSLambdaVPCAccessExecutionRole are the AWS-maintained minimum for logging and VPC ENIs; the ENI actions have no resource-level permissions.';
    Validations.of(this.function).acknowledge(
      { id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', reason: managedReason },
      { id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]', reason: managedReason },
      {
        id: 'AwsSolutions-L1',
        reason: 'The runtime is pinned to Node.js 22 on purpose (project decision, matched by the esbuild target); newer runtimes are adopted deliberately, not by default.',
      },
    );
  }
}
