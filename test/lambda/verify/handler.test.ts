import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { DeployCheckError } from '../../../lambda/verify/deploy-check';
import { handler } from '../../../lambda/verify/handler';
import { VERIFY_ENV } from '../../../lambda/verify/verify-env';
import { answer, answerInOrder, FAILURES, HEALTHY, reply, settleWithFakeTimers } from './replies';

const lambda = mockClient(LambdaClient);
const sent = () => lambda.commandCalls(InvokeCommand).map((c) => c.args[0].input);
const requestOf = (input: { Payload?: unknown }) => JSON.parse(new TextDecoder().decode(input.Payload as Uint8Array)) as Record<string, unknown>;


describe('post-deploy check handler (the CDK trigger)', () => {
  const saved = { ...process.env };
  let log: jest.SpyInstance;

  beforeEach(() => {
    lambda.reset();
    process.env[VERIFY_ENV.functionName] = 'LlmCache-MemoryDb-CacheFunction-abc';
    process.env[VERIFY_ENV.threshold] = '0.9';
    log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });

  afterEach(() => {
    process.env = { ...saved };
    log.mockRestore();
  });

  it('passes on miss, exact, semantic and logs each step with its similarity and latency', async () => {
    answerInOrder(lambda, HEALTHY);

    const report = await handler();

    expect(report.steps.map((s) => s.cache)).toEqual(['miss', 'exact', 'semantic']);
    const lines = log.mock.calls.map((c) => String(c[0]));
    expect(lines).toContainEqual(expect.stringMatching(/^step 1\/3 miss: ok \(cache miss; 812\.4 ms in the function, round trip \d+ ms\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/^step 3\/3 semantic: ok \(cache semantic, similarity 0\.9731; 3\.2 ms in the function/));
    expect(lines.at(-1)).toMatch(/^post-deploy check passed: miss, exact, semantic in namespace verify-[0-9a-z]+-[0-9a-z]{6} \(paraphrase similarity 0\.9731\)$/);
  });

  it('invokes exactly the configured function three times, in one fresh namespace, semantic mode, TTL 300 s', async () => {
    answerInOrder(lambda, HEALTHY);

    await handler();

    const inputs = sent();
    expect(inputs.map((i) => [i.FunctionName, i.InvocationType])).toEqual(Array(3).fill(['LlmCache-MemoryDb-CacheFunction-abc', 'RequestResponse']));
    const requests = inputs.map(requestOf);
    expect(new Set(requests.map((r) => r.namespace)).size).toBe(1);
    expect(requests[0].namespace).toMatch(/^verify-/);
    for (const r of requests) expect(r).toMatchObject({ mode: 'semantic', ttlSeconds: 300 });
    expect(requests[0].prompt).toBe(requests[1].prompt);
    expect(String(requests[2].prompt)).toBe(String(requests[0].prompt).toLowerCase().replace(/[?.]/g, ''));
  });

  it('logs a semantic step that passed on a retry with its attempts', async () => {
    answerInOrder(lambda, [reply(answer('miss')), reply(answer('exact')), reply(answer('miss')), reply(answer('semantic', { similarity: 0.9731 }))]);
    const { run } = await settleWithFakeTimers(() => handler());

    await expect(run).resolves.toMatchObject({ steps: [{ attempts: 1 }, { attempts: 1 }, { attempts: 2 }] });
    expect(log.mock.calls.map((c) => String(c[0]))).toContainEqual(expect.stringMatching(/^step 3\/3 semantic: ok after 2 attempts \(cache semantic, similarity 0\.9731;/));
  });

  it('uses a different namespace on each run, so a second deploy starts with a miss', async () => {
    answerInOrder(lambda, [...HEALTHY, ...HEALTHY]);
    const first = await handler();
    const second = await handler();
    expect(first.namespace).not.toBe(second.namespace);
  });

  it.each(FAILURES.map((f) => [f.title, f] as const))('fails the deployment when %s', async (_title, failure) => {
    answerInOrder(lambda, failure.replies);
    const { run, outcome } = await settleWithFakeTimers(() => handler());

    await expect(run).rejects.toBeInstanceOf(DeployCheckError);
    const message = ((await outcome) as Error).message;
    expect(message).toContain(failure.step);
    for (const words of failure.cause) expect(message).toContain(words);
    expect(sent()).toHaveLength(failure.replies.length);
  });

  describe('when the Invoke call itself is refused', () => {
    const denied = () => Object.assign(new Error('not authorized to perform: lambda:InvokeFunction'), { name: 'AccessDeniedException' });
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('asks again while a new role policy propagates, then passes', async () => {
      let chain = lambda.on(InvokeCommand).rejectsOnce(denied()).rejectsOnce(denied());
      for (const r of HEALTHY) chain = chain.resolvesOnce(r);

      const run = handler();
      await jest.advanceTimersByTimeAsync(10_000);

      await expect(run).resolves.toMatchObject({ steps: [{ cache: 'miss' }, { cache: 'exact' }, { cache: 'semantic' }] });
      expect(sent()).toHaveLength(5);
    });

    it('fails after about 25 s of denials, naming the missing permission', async () => {
      lambda.on(InvokeCommand).rejects(denied());

      const run = handler();
      const outcome = expect(run).rejects.toThrow(
        'failed at step 1 of 3 (miss): invoking the cache function failed: AccessDeniedException: not authorized to perform: lambda:InvokeFunction. The caller needs lambda:InvokeFunction on the cache function.',
      );
      await jest.advanceTimersByTimeAsync(25_000);

      await outcome;
      expect(sent()).toHaveLength(6);
    });
  });

  it('reports a reply that is not JSON', async () => {
    answerInOrder(lambda, [reply('<html>bad gateway</html>')]);
    await expect(handler()).rejects.toThrow('step 1 of 3 (miss): the function returned something that is not a JSON object: <html>bad gateway</html>');
  });

  it('refuses to run without the function name', async () => {
    delete process.env[VERIFY_ENV.functionName];
    await expect(handler()).rejects.toThrow('VERIFY_FUNCTION_NAME is not set');
    expect(sent()).toHaveLength(0);
  });
});
