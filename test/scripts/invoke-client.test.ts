import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { InvokeCommand, LambdaClient, type InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { findFunctionName, formatOutcome, InvokeError, invokeDeployed, invokePayload } from '../../scripts/invoke-client';

const cfn = mockClient(CloudFormationClient);
const lambda = mockClient(LambdaClient);
const clients = () => ({ cloudFormation: new CloudFormationClient({ region: 'us-east-1' }), lambda: new LambdaClient({ region: 'us-east-1' }) });
/** A Lambda payload as the SDK returns it (the code under test only reads its bytes). */
const bytes = (text: string) => new TextEncoder().encode(text) as unknown as InvokeCommandOutput['Payload'];
const encode = (value: unknown) => bytes(JSON.stringify(value));

function deployed(functionName = 'LlmCache-MemoryDb-CacheFunction-abc') {
  cfn.on(DescribeStacksCommand, { StackName: 'LlmCache-MemoryDb' }).resolves({
    Stacks: [
      {
        StackName: 'LlmCache-MemoryDb',
        StackStatus: 'CREATE_COMPLETE',
        CreationTime: new Date(0),
        Outputs: [
          { OutputKey: 'CacheEndpoint', OutputValue: 'clustercfg.example:6379' },
          { OutputKey: 'FunctionName', OutputValue: functionName },
        ],
      },
    ],
  });
}

describe('invokeDeployed', () => {
  beforeEach(() => {
    cfn.reset();
    lambda.reset();
  });

  it('finds the function from the stack outputs and invokes it with the prompt', async () => {
    deployed();
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: encode({ text: 'In Nevada.', cache: 'miss', latencyMs: 812.4, modelId: 'm' }) });
    let clock = 1000;
    const outcome = await invokeDeployed(clients(), { backend: 'memorydb', prompt: 'Where is Las Vegas?', options: { mode: 'standard' } }, () => (clock += 900));

    expect(outcome).toEqual({
      stackName: 'LlmCache-MemoryDb',
      functionName: 'LlmCache-MemoryDb-CacheFunction-abc',
      response: { text: 'In Nevada.', cache: 'miss', latencyMs: 812.4, modelId: 'm' },
      roundTripMs: 900,
    });
    const call = lambda.commandCalls(InvokeCommand)[0].args[0].input;
    expect(call.FunctionName).toBe('LlmCache-MemoryDb-CacheFunction-abc');
    expect(call.InvocationType).toBe('RequestResponse');
    expect(JSON.parse(new TextDecoder().decode(call.Payload as Uint8Array))).toEqual({ mode: 'standard', prompt: 'Where is Las Vegas?' });
  });

  it('invokes the function with an action event exactly as given (npm run invalidate)', async () => {
    deployed();
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: encode({ invalidated: 1 }) });

    const outcome = await invokePayload(clients(), 'memorydb', { action: 'invalidate', entryId: 'e1.abc' });

    expect(outcome.response).toEqual({ invalidated: 1 });
    const call = lambda.commandCalls(InvokeCommand)[0].args[0].input;
    expect(JSON.parse(new TextDecoder().decode(call.Payload as Uint8Array))).toEqual({ action: 'invalidate', entryId: 'e1.abc' });
  });

  it('refuses an unknown backend before calling AWS, listing the valid ones', async () => {
    await expect(invokeDeployed(clients(), { backend: 'redis', prompt: 'hi' })).rejects.toThrow(
      'Unknown backend "redis"; valid values: redis-stack, elasticache-serverless, memorydb, memorydb-vector',
    );
    expect(cfn.calls()).toHaveLength(0);
    expect(lambda.calls()).toHaveLength(0);
  });

  it('says how to deploy when the stack does not exist', async () => {
    cfn.on(DescribeStacksCommand).rejects(new Error('Stack with id LlmCache-MemoryDb does not exist'));
    await expect(findFunctionName(clients().cloudFormation, 'memorydb')).rejects.toThrow(
      'Stack LlmCache-MemoryDb is not deployed in this account/region; deploy it with: npx cdk deploy -c backend=memorydb',
    );
  });

  it('reports a stack without the FunctionName output', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [{ StackName: 'LlmCache-MemoryDb', StackStatus: 'CREATE_IN_PROGRESS', CreationTime: new Date(0), Outputs: [] }] });
    await expect(findFunctionName(clients().cloudFormation, 'memorydb')).rejects.toThrow(/has no FunctionName output/);
  });

  it('passes other CloudFormation errors through unchanged', async () => {
    const denied = new Error('User is not authorized to perform: cloudformation:DescribeStacks');
    cfn.on(DescribeStacksCommand).rejects(denied);
    await expect(findFunctionName(clients().cloudFormation, 'memorydb')).rejects.toBe(denied);
  });

  it('turns a function error into an InvokeError carrying the payload', async () => {
    deployed();
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, FunctionError: 'Unhandled', Payload: encode({ errorMessage: 'boom' }) });
    const failure = invokeDeployed(clients(), { backend: 'memorydb', prompt: 'hi' });
    await expect(failure).rejects.toBeInstanceOf(InvokeError);
    await expect(invokeDeployed(clients(), { backend: 'memorydb', prompt: 'hi' })).rejects.toThrow(/failed \(Unhandled\): \{"errorMessage":"boom"\}/);
  });

  it('reports a response that is not JSON', async () => {
    deployed();
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: bytes('not json') });
    await expect(invokeDeployed(clients(), { backend: 'memorydb', prompt: 'hi' })).rejects.toThrow(/returned something that is not JSON: not json/);
  });
});

describe('formatOutcome', () => {
  const base = { stackName: 'S', functionName: 'F', roundTripMs: 120.2 };

  it('prints the answer, the cache outcome with similarity and both latencies', () => {
    const text = formatOutcome({ ...base, response: { text: 'In Nevada.', cache: 'semantic', similarity: 0.9712, latencyMs: 3.14, modelId: 'm' } });
    expect(text).toBe(['In Nevada.', '', 'cache: semantic (similarity 0.971)', 'latency: 3.1 ms in the function, round trip 120 ms', 'model: m  function: F'].join('\n'));
  });

  it('prints the entry id of a hit, which npm run invalidate takes', () => {
    const text = formatOutcome({ ...base, response: { text: 'In Nevada.', cache: 'exact', latencyMs: 1, modelId: 'm', entryId: 'e1.abc' } });
    expect(text.split('\n').at(-1)).toBe('entry: e1.abc');
  });

  it('prints a returned error with its code', () => {
    const text = formatOutcome({ ...base, response: { error: { code: 'InvalidRequest', message: 'prompt is required' } } });
    expect(text).toContain('error: InvalidRequest: prompt is required');
  });
});
