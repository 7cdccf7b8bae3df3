import { performance } from 'node:perf_hooks';
import { NAMESPACE_PATTERN } from '../../../lambda/settings/values';
import { CHECK_PARAPHRASE, CHECK_PROMPT, CHECK_STEPS, checkNamespace, DeployCheckError, runDeployCheck, SEMANTIC_RETRIES, type InvokeFunction } from '../../../lambda/verify/deploy-check';
import type { BedrockEmulator } from '../../../tools/bedrock-emulator/server';
import { startBedrockEmulator } from '../../../tools/bedrock-emulator/server';
import { answer } from './replies';

type CacheHandler = typeof import('../../../lambda/handler').handler;

describe('the check plan', () => {
  const words = (text: string) => text.toLowerCase().replace(/[^a-z ]/g, '').split(/\s+/);

  it('asks for a miss, an exact hit and a semantic hit, in that order', () => {
    expect(CHECK_STEPS.map((s) => s.name)).toEqual(['miss', 'exact', 'semantic']);
    expect(CHECK_STEPS.map((s) => s.prompt)).toEqual([CHECK_PROMPT, CHECK_PROMPT, CHECK_PARAPHRASE]);
  });

  it('paraphrases by case and punctuation only (same words, different exact key)', () => {
    expect(CHECK_PARAPHRASE).not.toBe(CHECK_PROMPT);
    expect(words(CHECK_PARAPHRASE)).toEqual(words(CHECK_PROMPT));
  });

  it('retries the semantic step with paraphrases of the same kind, each under its own exact key', () => {
    const prompts = [CHECK_PROMPT, CHECK_PARAPHRASE, ...SEMANTIC_RETRIES.map((retry) => retry.prompt)];
    expect(new Set(prompts).size).toBe(prompts.length);
    for (const prompt of prompts) expect(words(prompt)).toEqual(words(CHECK_PROMPT));
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

/** A cache function that answers from a script: one reply per call, in order; records the prompts. */
function scripted(outcomes: readonly Record<string, unknown>[]) {
  const prompts: string[] = [];
  const invoke: InvokeFunction = async (request) => {
    prompts.push(String(request.prompt));
    const body = outcomes[prompts.length - 1];
    if (body === undefined) throw new Error('no more scripted replies');
    return { payload: JSON.stringify(body), roundTripMs: 1 };
  };
  const pauses: number[] = [];
  const sleep = async (ms: number): Promise<void> => void pauses.push(ms);
  return { invoke, prompts, pauses, sleep };
}

describe('the semantic step when the vector index lags behind the write', () => {
  it('tries again after a pause with another paraphrase, and passes when that one hits', async () => {
    const run = scripted([answer('miss'), answer('exact'), answer('miss'), answer('semantic', { similarity: 0.97 })]);

    const report = await runDeployCheck(run.invoke, { namespace: 'verify-x', sleep: run.sleep });

    expect(report.steps.map((s) => [s.cache, s.attempts])).toEqual([['miss', 1], ['exact', 1], ['semantic', 2]]);
    expect(report.steps[2]!.prompt).toBe(SEMANTIC_RETRIES[0]!.prompt);
    expect(run.prompts).toEqual([CHECK_PROMPT, CHECK_PROMPT, CHECK_PARAPHRASE, SEMANTIC_RETRIES[0]!.prompt]);
    expect(run.pauses).toEqual([SEMANTIC_RETRIES[0]!.afterMs]);
  });

  it('fails after every attempt missed, saying how many and how long the index had', async () => {
    const run = scripted([answer('miss'), answer('exact'), ...Array.from({ length: 1 + SEMANTIC_RETRIES.length }, () => answer('miss'))]);

    const failed = runDeployCheck(run.invoke, { namespace: 'verify-x', sleep: run.sleep });

    await expect(failed).rejects.toThrow(DeployCheckError);
    await expect(failed).rejects.toThrow(/step 3 of 3 \(semantic\): expected cache "semantic" but got "miss".*3 attempts .* over 4 s of pauses/);
    expect(run.prompts).toHaveLength(2 + 1 + SEMANTIC_RETRIES.length);
    expect(run.pauses).toEqual(SEMANTIC_RETRIES.map((retry) => retry.afterMs));
  });

  it('does not retry a semantic step that failed for another reason (cache skipped, no index, an error)', async () => {
    for (const third of [answer('miss', { cacheSkipped: 'timeout' }), answer('miss', { semantic: 'unavailable', semanticReason: 'no-index' }), { error: { code: 'ModelThrottled', message: 'slow down' } }]) {
      const run = scripted([answer('miss'), answer('exact'), third, answer('semantic')]);

      const failed = runDeployCheck(run.invoke, { namespace: 'verify-x', sleep: run.sleep });

      await expect(failed).rejects.toThrow(/step 3 of 3/);
      await expect(failed).rejects.not.toThrow(/attempts/);
      expect(run.prompts).toHaveLength(3);
      expect(run.pauses).toEqual([]);
    }
  });

  it('stops at a retry that fails for another reason, saying how many attempts were made', async () => {
    const run = scripted([answer('miss'), answer('exact'), answer('miss'), answer('miss', { cacheSkipped: 'timeout' }), answer('semantic')]);

    const failed = runDeployCheck(run.invoke, { namespace: 'verify-x', sleep: run.sleep });

    await expect(failed).rejects.toThrow(/cacheSkipped: "timeout".*\(2 attempts .* over 1 s of pauses/);
    expect(run.prompts).toHaveLength(4);
  });

  it('never retries the miss or the exact step', async () => {
    const run = scripted([answer('miss'), answer('miss')]);

    await expect(runDeployCheck(run.invoke, { namespace: 'verify-x', sleep: run.sleep })).rejects.toThrow(/step 2 of 3 \(exact\)/);
    expect(run.prompts).toHaveLength(2);
  });
});
