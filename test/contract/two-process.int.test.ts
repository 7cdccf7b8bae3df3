import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CacheResponse } from '../../lambda/core/types';
import { startBedrockEmulator, type BedrockEmulator } from '../../tools/bedrock-emulator/server';
import { startCluster, type RedisTestCluster } from '../../tools/redis-servers';

const run = promisify(execFile);
const ASK = join(__dirname, '..', 'support', 'two-process', 'ask.ts');

/**
 * Two separate Node processes (two "containers") share one 3-master TLS cluster with an ACL
 * user and no vector search: what one stores, the other finds semantically on its first lookup.
 */
describe('client-side semantic index across processes', () => {
  let cluster: RedisTestCluster;
  let emulator: BedrockEmulator;

  beforeAll(async () => {
    [cluster, emulator] = await Promise.all([startCluster(), startBedrockEmulator()]);
  });

  afterAll(async () => {
    await Promise.all([cluster?.stop(), emulator?.close()]);
  });

  async function ask(env: Record<string, string>, ...prompts: string[]): Promise<CacheResponse[]> {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', ASK, ...prompts], {
      env: { ...process.env, ...env },
      cwd: join(__dirname, '..', '..'),
      timeout: 30_000,
    });
    return stdout.trim().split('\n').map((line) => JSON.parse(line) as CacheResponse);
  }

  it.each(['client', 'auto'])('process B hits semantically on an entry process A stored (SEMANTIC_INDEX=%s)', async (semanticIndex) => {
    const env = {
      ...cluster.env(),
      SEMANTIC_INDEX: semanticIndex,
      CACHE_NAMESPACE: `two-${randomUUID().slice(0, 8)}`,
      BEDROCK_ENDPOINT: emulator.url,
      AWS_REGION: 'us-east-1',
      CACHE_TIMEOUT_MS: '2000',
      CACHE_CONNECT_TIMEOUT_MS: '3000',
    };
    emulator.reset();

    const [stored] = await ask(env, 'Where is Las Vegas?');
    expect(stored!.cache).toBe('miss');
    expect(emulator.calls.converse).toBe(1);

    const [found] = await ask(env, 'Where is Vegas?');

    expect(found!.cache).toBe('semantic');
    expect(found!.text).toBe(stored!.text);
    expect(found!.similarity).toBeGreaterThanOrEqual(0.9);
    expect(found!.similarity).toBeLessThan(1);
    expect(emulator.calls.converse).toBe(1);
  });
});
