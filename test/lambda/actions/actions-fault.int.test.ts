import { parseAction } from '../../../lambda/actions/parse-action';
import { encodeEntryId } from '../../../lambda/core/entry-id';
import { loadConfig } from '../../../lambda/core/config';
import { sha256Hex } from '../../../lambda/core/keys';
import { createRuntime, type Runtime } from '../../../lambda/runtime';
import { startStandalone, type RedisTestServer } from '../../../tools/redis-servers';

/** An action on a cache that stopped answering fails loudly, unlike a request: CacheUnavailable naming the step. */
describe('an action on a paused redis-server', () => {
  let server: RedisTestServer;
  let runtime: Runtime;

  beforeAll(async () => {
    server = await startStandalone({ password: 'fault-password' });
    runtime = createRuntime(loadConfig({ ...server.env(), SEMANTIC_INDEX: 'client', CACHE_TIMEOUT_MS: '200', AWS_REGION: 'us-east-1' }));
  });

  afterAll(async () => {
    await runtime.close();
    await server.stop();
  });

  it('answers CacheUnavailable (retryable) naming both steps and the timeout, and succeeds once the server answers again', async () => {
    const entryId = encodeEntryId({ namespace: 'fault', scope: sha256Hex('scope'), id: sha256Hex('id') });
    const action = parseAction({ action: 'invalidate', entryId }, runtime.config);
    await runtime.actions.perform(action); // connected, index resolved

    await server.kill('SIGSTOP');
    let failure: unknown;
    try {
      await runtime.actions.perform(action);
    } catch (error) {
      failure = error;
    } finally {
      await server.kill('SIGCONT');
    }

    expect(failure).toMatchObject({ code: 'CacheUnavailable', retryable: true, message: expect.stringMatching(/removing the exact entry \(timeout.*\) and removing its semantic document \(timeout.*\) failed; retry it/) });
    expect(await runtime.actions.perform(action)).toEqual({ invalidated: 0 });
  });
});
