import type { Context } from 'aws-lambda';
import { loadConfig } from '../../lambda/core/config';
import { requestOf, workOf } from '../../lambda/invocation';
import { createRuntime } from '../../lambda/runtime';

describe('requestOf', () => {
  const runtime = createRuntime(loadConfig({ CACHE_BACKEND: 'memory', AWS_REGION: 'us-east-1' }));

  it("gives the request its invocation's end, from the context's remaining time", () => {
    const context = { awsRequestId: 'r-1', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;

    const before = performance.now();
    const request = requestOf(runtime, { prompt: 'Where is Las Vegas?' }, context);
    const after = performance.now();

    expect(request.deadline).toBeGreaterThanOrEqual(before + 30_000);
    expect(request.deadline).toBeLessThanOrEqual(after + 30_000);
  });

  it('gives no deadline outside Lambda (no context, or one without the method)', () => {
    expect(requestOf(runtime, { prompt: 'Where is Las Vegas?' }).deadline).toBeUndefined();
    expect(requestOf(runtime, { prompt: 'Where is Las Vegas?' }, { awsRequestId: 'r-2' } as unknown as Context).deadline).toBeUndefined();
  });
});

describe('workOf', () => {
  const runtime = createRuntime(loadConfig({ CACHE_BACKEND: 'memory', AWS_REGION: 'us-east-1' }));

  it("takes an action apart from a request, with the invocation's end as its deadline", () => {
    const context = { awsRequestId: 'r-3', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;

    const work = workOf(runtime, { action: 'purge', namespace: 'tenant-a' }, context);

    expect(work).toEqual({ kind: 'action', action: { action: 'purge', namespace: 'tenant-a' }, deadline: expect.any(Number) });
  });

  it('refuses an action where only requests are answered (the streaming entry point)', () => {
    expect(() => requestOf(runtime, { action: 'purge', namespace: 'tenant-a' })).toThrow(/streaming entry point answers requests only/);
  });
});
