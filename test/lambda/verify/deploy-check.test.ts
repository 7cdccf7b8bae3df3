import { performance } from 'node:perf_hooks';
import { NAMESPACE_PATTERN } from '../../../lambda/settings/values';
import { CHECK_PARAPHRASE, CHECK_PROMPT, CHECK_STEPS, checkNamespace, runDeployCheck, type InvokeFunction } from '../../../lambda/verify/deploy-check';
import type { BedrockEmulator } from '../../../tools/bedrock-emulator/server';
import { startBedrockEmulator } from '../../../tools/bedrock-emulator/server';

type CacheHandler = typeof import('../../../lambda/handler').handler;

describe('the check plan', () => {
  it('asks for a miss, an exact hit and a semantic hit, in that order', () => {
    expect(CHECK_STEPS.map((s) => s.name)).toEqual(['miss', 'exact', 'semantic']);
    expect(CHECK_STEPS.map((s) => s.prompt)).toEqual([CHECK_PROMPT, CHECK_PROMPT, CHECK_PARAPHRASE]);
  });

  it('paraphrases by case and punctuation only (same words, different exact key)', () => {
    const words = (text: string) => text.toLowerCase().replace(/[^a-z ]/g, '').split(/\s+/);
    expect(CHECK_PARAPHRASE).not.toBe(CHECK_PROMPT);
    expect(words(CHECK_PARAPHRASE)).toEqual(words(CHECK_PROMPT));
  });

  it('makes namespaces the function accepts, different on each run', () => {
    const names = new Set(Array.from({ length: 50 }, () => checkNamespace()));
    expect(names.size).toBe(50);
    for (const name of names) expect(name).toMatch(NAMESPACE_PATTERN);
    expect(checkNamespace(0, () => 0)).toBe('verify-0-000000');
  });
});

/**
 * The check against the real cache handler (embedded backend) and the real Bedrock SDK client
 * pointed at the local emulator, which counts the model and embedding calls: the cost the README
 * states per deploy.
 */
describe('the check against the real cache handler', () => {
  let emulator: BedrockEmulator;
  let cacheHandler: CacheHandler;
  const saved = { ...process.env };

  beforeAll(async () => {
    emulator = await startBedrockEmulator();
    Object.assign(process.env, { CACHE_BACKEND: 'memory', BEDROCK_ENDPOINT: emulator.url, AWS_REGION: 'us-east-1', AWS_MAX_ATTEMPTS: '1' });
    ({ handler: cacheHandler } = await import('../../../lambda/handler'));
  });

  afterAll(async () => {
    process.env = saved;
    await emulator.close();
  });

  const inProcess: InvokeFunction = async (request) => {
    const started = performance.now();
    const result = await cacheHandler({ ...request });
    return { payload: JSON.stringify(result), roundTripMs: performance.now() - started };
  };

  it('passes and costs one model call and two embeddings', async () => {
    emulator.reset();

    const report = await runDeployCheck(inProcess, { namespace: checkNamespace(), threshold: 0.9 });

    expect(report.steps.map((s) => s.cache)).toEqual(['miss', 'exact', 'semantic']);
    expect(report.steps[2].similarity).toBeGreaterThanOrEqual(0.9);
    expect(emulator.calls.converse).toBe(1);
    expect(emulator.calls.embed).toBe(2);
  });

  it('passes again on a second run, in its own namespace', async () => {
    await runDeployCheck(inProcess, { namespace: checkNamespace() });
    emulator.reset();

    const report = await runDeployCheck(inProcess, { namespace: checkNamespace() });

    expect(report.steps.map((s) => s.cache)).toEqual(['miss', 'exact', 'semantic']);
    expect(emulator.calls.converse).toBe(1);
  });
});
