import type { Context } from 'aws-lambda';
import { loadConfig } from '../../lambda/core/config';
import { requestOf } from '../../lambda/invocation';
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
