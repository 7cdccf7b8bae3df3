import { loadConfig } from '../../lambda/core/config';
import { parseRequest } from '../../lambda/core/request';
import type { CacheRequestInput } from '../../lambda/core/types';
import { createRuntime, type Runtime } from '../../lambda/runtime';
import { startBedrockEmulator, type BedrockEmulator } from '../../tools/bedrock-emulator/server';
import { getFreePort, releasePort } from '../../tools/redis-servers';
import { expectStored } from './cache-contract';

// A test of the contract suite itself: its isolation tests must not pass on a backend whose
// every cache operation fails, so their precondition has to fail there.
describe('the contract suite precondition', () => {
  let emulator: BedrockEmulator;
  let runtime: Runtime;
  let port: number;

  beforeAll(async () => {
    emulator = await startBedrockEmulator();
    port = await getFreePort(); // reserved and never listened on: every connection is refused
    runtime = createRuntime(
      loadConfig({ CACHE_BACKEND: 'redis', CACHE_URL: `redis://127.0.0.1:${port}`, BEDROCK_ENDPOINT: emulator.url, AWS_REGION: 'us-east-1', CACHE_CONNECT_TIMEOUT_MS: '200', CACHE_TIMEOUT_MS: '200' }),
    );
  });

  afterAll(async () => {
    await runtime?.close();
    await emulator?.close();
    releasePort(port);
  });

  it('fails when the first entry could not be stored', async () => {
    const ask = (input: CacheRequestInput) => runtime.cache.answer(parseRequest({ namespace: 'precondition', ...input }, runtime.config));
    const first = await ask({ prompt: 'Where is Las Vegas?', mode: 'semantic' });

    expect(first.cache).toBe('miss');
    await expect(expectStored(ask, true)).rejects.toThrow(/precondition: the first entry was not stored/);
  });
});
