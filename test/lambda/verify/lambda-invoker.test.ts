import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { lambdaInvoker } from '../../../lambda/verify/lambda-invoker';
import { answer, reply } from './replies';

const lambda = mockClient(LambdaClient);
const client = () => new LambdaClient({ region: 'us-east-1' });
const named = (name: string, message = name) => Object.assign(new Error(message), { name });

describe('lambdaInvoker', () => {
  let sleeps: number[];
  const options = () => ({ sleep: async (ms: number) => void sleeps.push(ms), now: () => 0 });

  beforeEach(() => {
    lambda.reset();
    sleeps = [];
  });

  it('returns the payload and FunctionError as Lambda gave them', async () => {
    lambda.on(InvokeCommand).resolves(reply({ errorMessage: 'boom' }, 'Unhandled'));
    const result = await lambdaInvoker(client(), 'fn', options())({ prompt: 'hi' });
    expect(result).toEqual({ payload: '{"errorMessage":"boom"}', functionError: 'Unhandled', roundTripMs: 0 });
  });

  it('asks again, 5 s apart, while the function is still Pending', async () => {
    lambda
      .on(InvokeCommand)
      .rejectsOnce(named('ResourceConflictException', 'The function is currently in the following state: Pending'))
      .rejectsOnce(named('ResourceNotReadyException'))
      .resolves(reply(answer('miss')));

    const result = await lambdaInvoker(client(), 'fn', options())({ prompt: 'hi' });

    expect(JSON.parse(result.payload)).toMatchObject({ cache: 'miss' });
    expect(sleeps).toEqual([5000, 5000]);
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(3);
  });

  it('gives up after six attempts with the last error', async () => {
    lambda.on(InvokeCommand).rejects(named('ResourceConflictException', 'still Pending'));
    await expect(lambdaInvoker(client(), 'fn', options())({ prompt: 'hi' })).rejects.toThrow('still Pending');
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(6);
  });

  it('throws any other error at once', async () => {
    lambda.on(InvokeCommand).rejects(named('AccessDeniedException', 'no'));
    await expect(lambdaInvoker(client(), 'fn', options())({ prompt: 'hi' })).rejects.toThrow('no');
    expect(sleeps).toEqual([]);
  });
});
