import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/** Statement ids of the tenant policy, for tests and for readers of the deployed policy. */
export const TENANT_POLICY_SIDS = { url: 'InvokeFunctionUrlWithIam', invoke: 'InvokeFunctionOnlyThroughUrl' } as const;

/**
 * The only permission a tenant gets: call the streaming function **through its Function URL**.
 * Since October 2025 a Function URL caller needs `lambda:InvokeFunctionUrl` and
 * `lambda:InvokeFunction` (Lambda guide, "Control access to Lambda function URLs"); an
 * unconditioned `lambda:InvokeFunction` would also allow `Invoke` and `InvokeWithResponseStream`,
 * whose payload the caller writes, namespace and URL-shaped identity included. The
 * `lambda:InvokedViaFunctionUrl` condition limits it to invocations that come through the URL, so
 * the identity the function reads is the one Lambda authenticated (SigV4, `AWS_IAM` auth).
 *
 * The same two statements as the CDK's `grantInvokeUrl`, in a managed policy that the stack
 * exports (`TenantPolicyArn`), so tenant roles of the stack's account attach it as is (a tenant in
 * another account needs the same statements in its own account and in the function's
 * resource-based policy). Operators (the post-deploy check, admin operations) hold an unconditioned
 * `lambda:InvokeFunction` instead, and may name a namespace in a direct invoke (README "Who may
 * call what").
 */
export class TenantInvokePolicy extends Construct {
  /** The managed policy. */
  readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, target: lambda.IFunction) {
    super(scope, id);
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: 'bedrock-llm-cache tenant: call the streaming function through its Function URL only (never a direct Invoke)',
      statements: [
        new iam.PolicyStatement({
          sid: TENANT_POLICY_SIDS.url,
          actions: ['lambda:InvokeFunctionUrl'],
          resources: [target.functionArn],
          conditions: { StringEquals: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' } },
        }),
        new iam.PolicyStatement({
          sid: TENANT_POLICY_SIDS.invoke,
          actions: ['lambda:InvokeFunction'],
          resources: [target.functionArn],
          conditions: { Bool: { 'lambda:InvokedViaFunctionUrl': 'true' } },
        }),
      ],
    });
  }
}
