import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { DeployCheckError } from '../../lambda/verify/deploy-check';
import { parseVerifyArgs, verifyDeployed, VERIFY_USAGE } from '../../scripts/verify-run';
import { answerInOrder, FAILURES, HEALTHY, settleWithFakeTimers } from '../lambda/verify/replies';

const cfn = mockClient(CloudFormationClient);
const lambda = mockClient(LambdaClient);
const clients = () => ({ cloudFormation: new CloudFormationClient({ region: 'us-east-1' }), lambda: new LambdaClient({ region: 'us-east-1' }) });

function deployed(functionName = 'LlmCache-MemoryDbVector-CacheFunction-xyz'): void {
  cfn.on(DescribeStacksCommand, { StackName: 'LlmCache-MemoryDbVector' }).resolves({
    Stacks: [
      {
        StackName: 'LlmCache-MemoryDbVector',
        StackStatus: 'UPDATE_COMPLETE',
        CreationTime: new Date(0),
        Outputs: [{ OutputKey: 'FunctionName', OutputValue: functionName }],
      },
    ],
  });
}


/** A clock that advances 250 ms per reading: every round trip measures 250 ms. */
const ticking = () => {
  let t = 0;
  return () => (t += 250);
};

describe('npm run verify', () => {
  beforeEach(() => {
    cfn.reset();
    lambda.reset();
  });

  it('finds the function from the stack output and prints each step, its similarity and latencies', async () => {
    deployed();
    answerInOrder(lambda, HEALTHY);
    const lines: string[] = [];

    const report = await verifyDeployed(clients(), 'memorydb-vector', { print: (l) => lines.push(l), namespace: 'verify-test', now: ticking() });

    expect(report.steps.map((s) => s.cache)).toEqual(['miss', 'exact', 'semantic']);
    expect(lines).toEqual([
      'checking LlmCache-MemoryDbVector-CacheFunction-xyz (stack LlmCache-MemoryDbVector) in namespace verify-test',
      'step 1/3 miss: ok (cache miss; 812.4 ms in the function, round trip 250 ms)',
      'step 2/3 exact: ok (cache exact; 3.2 ms in the function, round trip 250 ms)',
      'step 3/3 semantic: ok (cache semantic, similarity 0.9731; 3.2 ms in the function, round trip 250 ms)',
      'post-deploy check passed: miss, exact, semantic in namespace verify-test (paraphrase similarity 0.9731)',
    ]);
    const names = lambda.commandCalls(InvokeCommand).map((c) => c.args[0].input.FunctionName);
    expect(names).toEqual(Array(3).fill('LlmCache-MemoryDbVector-CacheFunction-xyz'));
  });

  it.each(FAILURES.map((f) => [f.title, f] as const))('exits with the trigger message when %s', async (_title, failure) => {
    deployed();
    answerInOrder(lambda, failure.replies);
    const lines: string[] = [];

    const { run, outcome } = await settleWithFakeTimers(() => verifyDeployed(clients(), 'memorydb-vector', { print: (l) => lines.push(l) }));

    await expect(run).rejects.toBeInstanceOf(DeployCheckError);
    const message = ((await outcome) as Error).message;
    expect(message).toContain(failure.step);
    for (const words of failure.cause) expect(message).toContain(words);
    // Steps that passed before the failure were printed.
    expect(lines.filter((l) => l.startsWith('step '))).toHaveLength(failure.failedAt - 1);
  });

  it('fails at once, naming the permission, when the caller may not invoke the function', async () => {
    deployed();
    lambda.on(InvokeCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));

    await expect(verifyDeployed(clients(), 'memorydb-vector', { print: () => undefined })).rejects.toThrow(
      'failed at step 1 of 3 (miss): invoking the cache function failed: AccessDeniedException: not authorized. The caller needs lambda:InvokeFunction on the cache function.',
    );
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(1);
  });

  it('says how to deploy when the stack is missing, before invoking anything', async () => {
    cfn.on(DescribeStacksCommand).rejects(new Error('Stack with id LlmCache-MemoryDbVector does not exist'));
    await expect(verifyDeployed(clients(), 'memorydb-vector', { print: () => undefined })).rejects.toThrow(
      'npx cdk deploy -c backend=memorydb-vector',
    );
    expect(lambda.calls()).toHaveLength(0);
  });

  it('takes exactly one backend argument', () => {
    expect(parseVerifyArgs(['memorydb'])).toBe('memorydb');
    expect(() => parseVerifyArgs([])).toThrow(VERIFY_USAGE);
    expect(() => parseVerifyArgs(['memorydb', 'extra'])).toThrow(VERIFY_USAGE);
    expect(() => parseVerifyArgs(['--help'])).toThrow(VERIFY_USAGE);
  });
});
