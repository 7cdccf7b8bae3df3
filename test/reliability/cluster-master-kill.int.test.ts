import { keySlot } from '../../lambda/backends/redis/cluster/key-slot';
import { exactKey, toConverseRequest } from '../../lambda/core/keys';
import { parseRequest } from '../../lambda/core/request';
import { startBedrockEmulator, type BedrockEmulator } from '../../tools/bedrock-emulator/server';
import { startCluster, type RedisTestCluster } from '../../tools/redis-servers';
import { eventually, sleep, startContainer, type TestContainer } from '../support/reliability';

const NAMESPACE = 'cluster-kill';
const PROMPTS = Array.from({ length: 30 }, (_, i) => `Where is cluster city ${i}?`);
const KILLED = 1;

/**
 * One of three masters is SIGKILLed: requests whose keys live on it fail open (answered by the
 * model), the others keep hitting; the node restarts empty with its slots and the cache recovers.
 */
describe('cluster with one master killed', () => {
  let cluster: RedisTestCluster;
  let emulator: BedrockEmulator;
  let container: TestContainer;

  beforeAll(async () => {
    [cluster, emulator] = await Promise.all([startCluster({ masters: 3 }), startBedrockEmulator({ latencyMs: 10 })]);
    container = startContainer({
      ...cluster.env(),
      BEDROCK_ENDPOINT: emulator.url,
      SEMANTIC_INDEX: 'none',
      CACHE_TIMEOUT_MS: '250',
      CACHE_CONNECT_TIMEOUT_MS: '1000',
      CACHE_BREAKER_COOLDOWN_MS: '1000',
    });
  }, 60_000);
  afterAll(async () => {
    container?.close();
    await Promise.all([cluster?.stop(), emulator?.close()]);
  });

  const onKilledNode = (prompt: string): boolean => {
    const key = exactKey(NAMESPACE, toConverseRequest(parseRequest({ prompt, namespace: NAMESPACE, mode: 'standard' }, container.config)));
    const slot = keySlot(key);
    const [first, last] = cluster.slotRanges[KILLED];
    return slot >= first && slot <= last;
  };
  const ask = (prompt: string) => container.ask({ prompt, namespace: NAMESPACE, mode: 'standard' });

  it('keeps serving while a master is down and recovers after it restarts', async () => {
    const admin = cluster.nodes[0].adminClient();
    try {
      const key = exactKey(NAMESPACE, toConverseRequest(parseRequest({ prompt: PROMPTS[0], namespace: NAMESPACE }, container.config)));
      expect(await admin.call('CLUSTER', 'KEYSLOT', key)).toBe(keySlot(key));
    } finally {
      admin.disconnect();
    }
    const dead = PROMPTS.filter(onKilledNode);
    const live = PROMPTS.filter((p) => !onKilledNode(p));
    expect(dead.length).toBeGreaterThan(0);
    expect(live.length).toBeGreaterThan(0);
    for (const prompt of PROMPTS) await ask(prompt);
    for (const prompt of PROMPTS) expect((await ask(prompt)).cache).toBe('exact');

    await cluster.nodes[KILLED].kill('SIGKILL');
    const failures: unknown[] = [];
    const reasons: Record<string, number> = {};
    const tally = { liveHit: 0, liveOther: 0, deadHit: 0, deadSkipped: 0, deadOther: 0 };
    const outageEnds = Date.now() + 3000;
    while (Date.now() < outageEnds) {
      // One request at a time, as a Lambda container serves them, interleaving both kinds of keys.
      for (const prompt of PROMPTS) {
        try {
          const response = await ask(prompt);
          const reason = `${live.includes(prompt) ? 'live' : 'dead'}:${response.cacheSkipped ?? response.cache}`;
          reasons[reason] = (reasons[reason] ?? 0) + 1;
          if (live.includes(prompt)) {
            if (response.cache === 'exact') tally.liveHit++;
            else tally.liveOther++;
          }
          else if (response.cache === 'exact') tally.deadHit++;
          else if (response.cacheSkipped !== undefined) tally.deadSkipped++;
          else tally.deadOther++;
        } catch (error) {
          failures.push(error);
        }
      }
    }
    process.stdout.write(`cluster master kill: during the outage ${JSON.stringify(tally)} ${JSON.stringify(reasons)}, ${failures.length} failed\n`);
    expect(failures).toEqual([]);
    expect(tally.deadHit).toBe(0);
    expect(tally.deadSkipped).toBeGreaterThan(0);
    // Keys on the healthy masters keep hitting through the outage.
    expect(tally.liveHit).toBeGreaterThan(0.8 * (tally.liveHit + tally.liveOther));

    await cluster.nodes[KILLED].restart();
    await cluster.waitUntilHealthy(20_000);
    await sleep(1000);
    // The restarted master is empty: its keys miss once, are stored again, then hit.
    const recovered = await eventually(async () => {
      const first = await ask(dead[0]);
      if (first.cacheSkipped !== undefined) throw new Error(`still skipped: ${first.cacheSkipped}`);
      return first;
    }, 20_000, 200);
    expect(['miss', 'exact']).toContain(recovered.cache);
    for (const prompt of dead) await ask(prompt);
    for (const prompt of dead) expect((await ask(prompt)).cache).toBe('exact');
    for (const prompt of live) expect((await ask(prompt)).cache).toBe('exact');
  }, 90_000);
});
