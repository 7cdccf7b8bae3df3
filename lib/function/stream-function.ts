import { CfnOutput } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { CacheFunction, type CacheFunctionProps } from './cache-function';
import { TenantInvokePolicy } from './tenant-invoke-policy';

/** Props of the streaming function: the cache function's (same VPC, security group, backend, settings). */
export type StreamFunctionProps = Omit<CacheFunctionProps, 'entry' | 'streamsModel'>;

/**
 * The streaming function (`-c streaming=true`): `lambda/stream-handler.ts` built exactly like the
 * cache function (same VPC, subnets, security group, environment and IAM), plus
 * `bedrock:InvokeModelWithResponseStream`, which ConverseStream requires (Bedrock API reference,
 * "ConverseStream"). Reached through a Function URL with `AWS_IAM` auth (callers sign with SigV4
 * and need both `lambda:InvokeFunctionUrl` and `lambda:InvokeFunction`, as every function URL
 * created since October 2025 does) in `RESPONSE_STREAM` invoke mode, so events reach the caller as
 * they are written. Tenants get `tenantPolicy`, which allows that `lambda:InvokeFunction` only
 * through the URL (`lambda:InvokedViaFunctionUrl`), never as a direct invoke whose payload they write.
 */
export class StreamFunction extends Construct {
  /** The function. */
  readonly function: lambda.IFunction;
  /** Its Function URL. */
  readonly url: lambda.FunctionUrl;
  /** The managed policy to attach to tenant roles: the URL, and only the URL. */
  readonly tenantPolicy: TenantInvokePolicy;

  constructor(scope: Construct, id: string, props: StreamFunctionProps) {
    super(scope, id);
    const built = new CacheFunction(this, 'Function', {
      ...props,
      entry: { file: 'stream-handler.ts', description: 'bedrock-llm-cache: streams answers (Function URL, response streaming)' },
      streamsModel: true,
    });
    this.function = built.function;
    this.url = built.function.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM, invokeMode: lambda.InvokeMode.RESPONSE_STREAM });
    this.tenantPolicy = new TenantInvokePolicy(this, 'TenantPolicy', built.function);
  }

  /** A stack output with the URL (read by `npm run invoke -- <backend> --stream`). */
  addOutput(scope: Construct, id: string): CfnOutput {
    return new CfnOutput(scope, id, { value: this.url.url, description: 'Function URL of the streaming function (AWS_IAM auth, RESPONSE_STREAM)' });
  }

  /** A stack output with the tenant policy's ARN: attach it to each tenant role (README "Who may call what"). */
  addTenantPolicyOutput(scope: Construct, id: string): CfnOutput {
    return new CfnOutput(scope, id, {
      value: this.tenantPolicy.policy.managedPolicyArn,
      description: 'Managed policy for tenants: lambda:InvokeFunctionUrl and lambda:InvokeFunction only via the Function URL (lambda:InvokedViaFunctionUrl)',
    });
  }
}
