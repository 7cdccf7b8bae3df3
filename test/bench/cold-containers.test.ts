import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { notMeasured, outcomeOf, QUOTA_TIMER_SLACK_MS, served, summarizeContainers, type ColdCase } from '../../bench/cold-containers';
import { coldChecks, coldPanels, coldTableRows } from '../../bench/cold-report';
import { scopeOfLogKey } from '../../bench/cold-scope-filler';
import { cacheLatencyOf, faultsOf, type ColdStartRun } from '../../bench/cold-start';
import { cfsQuotaUs, cpuShareOf, createCpuQuota, joinGroupScript } from '../../bench/cpu-quota';

function run(firstCache: string, firstRequestMs: number, extra: Partial<ColdStartRun> = {}): ColdStartRun {
  return { spawnToAnswerMs: firstRequestMs + 300, requireMs: 250, firstRequestMs, requireCpuMs: 70, firstRequestCpuMs: 60, firstCache, ...extra };
}

const exactCase: ColdCase = { id: 'cluster-exact', label: 'cluster, exact', env: {}, expect: 'exact', ask: {} };
const deadCase: ColdCase = { id: 'dead-silent', label: 'dead cache', env: {}, expect: 'fail-open', ask: {}, connectDeadlineMs: 1000 };

describe('CPU quota of a Lambda-sized container', () => {
  it('gives 512 MB 0.29 of a CPU and 1,769 MB one CPU, as 29 ms and 100 ms of each 100 ms period', () => {
    expect(cpuShareOf(512)).toBeCloseTo(0.289, 3);
    expect(cfsQuotaUs(cpuShareOf(512))).toBe(28_943);
    expect(cfsQuotaUs(cpuShareOf(1769))).toBe(100_000);
  });

  it('joins the group before the program starts: the shell writes its own pid, then execs', () => {
    expect(joinGroupScript('/sys/fs/cgroup/cpu/g/cgroup.procs')).toBe(`echo $$ > '/sys/fs/cgroup/cpu/g/cgroup.procs' && exec "$0" "$@"`);
  });

  it('writes the period and quota into a new group, wraps commands into it, and removes it', () => {
    const root = mkdtempSync(join(tmpdir(), 'cgroup-root-'));
    try {
      writeFileSync(join(root, 'cpu.cfs_quota_us'), '-1');
      const created = createCpuQuota('bench', 0.29, root);
      if (!created.ok) throw new Error(created.reason);

      expect(readFileSync(join(root, 'bench', 'cpu.cfs_period_us'), 'utf8')).toBe('100000');
      expect(readFileSync(join(root, 'bench', 'cpu.cfs_quota_us'), 'utf8')).toBe('29000');
      expect(created.quota.wrap('/usr/bin/node', ['child.js'])).toEqual({ file: '/bin/sh', args: ['-c', joinGroupScript(join(root, 'bench', 'cgroup.procs')), '/usr/bin/node', 'child.js'] });
      rmSync(join(root, 'bench', 'cpu.cfs_period_us'));
      rmSync(join(root, 'bench', 'cpu.cfs_quota_us'));
      created.quota.remove();
      expect(existsSync(join(root, 'bench'))).toBe(false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('says why it cannot limit the CPU where there is no cgroup v1 cpu controller', () => {
    const created = createCpuQuota('bench', 0.29, join(tmpdir(), 'no-such-cgroup-root'));

    expect(created).toEqual({ ok: false, reason: expect.stringMatching(/not root|no cgroup v1 cpu controller/) });
  });
});

describe('cold-container rows', () => {
  it('names an outcome with its skip reason', () => {
    expect(outcomeOf(run('exact', 300))).toBe('exact');
    expect(outcomeOf(run('miss', 600, { cacheSkipped: 'timeout' }))).toBe('miss/timeout');
  });

  it('counts a hit only when it is the expected kind and nothing was skipped', () => {
    expect(served(run('exact', 300), 'exact')).toBe(true);
    expect(served(run('semantic', 300), 'exact')).toBe(false);
    expect(served(run('miss', 600, { cacheSkipped: 'timeout' }), 'exact')).toBe(false);
  });

  it('counts a fail-open only for a miss whose cache time is within the connect deadline and the quota\'s slack', () => {
    expect(served(run('miss', 1300, { cacheSkipped: 'timeout', cacheMs: 1000 + QUOTA_TIMER_SLACK_MS }), 'fail-open', 1000)).toBe(true);
    expect(served(run('miss', 1400, { cacheSkipped: 'timeout', cacheMs: 1000 + QUOTA_TIMER_SLACK_MS + 1 }), 'fail-open', 1000)).toBe(false);
    expect(served(run('miss', 1300, { cacheSkipped: 'timeout' }), 'fail-open', 1000)).toBe(false);
  });

  it('summarizes containers: served count, outcomes, and first-request median with its spread', () => {
    const row = summarizeContainers(exactCase, [run('exact', 400), run('exact', 500), run('miss', 700, { cacheSkipped: 'timeout' })], 1.5);

    expect(row).toMatchObject({ served: 2, containers: 3, outcomes: { exact: 2, 'miss/timeout': 1 }, firstRequestMs: { p50: 500, min: 400, max: 700 }, load: 1.5 });
    expect(row).not.toHaveProperty('cacheMs');
  });

  it('passes a case only when every container was served, and says NOT MEASURED with the reason otherwise', () => {
    const all = summarizeContainers(exactCase, [run('exact', 400), run('exact', 500)], 0.5);
    const some = summarizeContainers(exactCase, [run('exact', 400), run('miss', 700, { cacheSkipped: 'timeout' })], 0.5);
    const dead = summarizeContainers(deadCase, [run('miss', 1300, { cacheSkipped: 'timeout', cacheMs: 1004 })], 0.5);
    const missing = notMeasured(exactCase, 'not root (a cgroup needs root)');

    const checks = coldChecks({ memoryMb: 512, share: 0.29, rows: [all, some, dead, missing] });

    expect(checks.map((check) => check.result)).toEqual(['PASS', 'MISS', 'PASS', 'NOT MEASURED']);
    expect(checks[2]!.detail).toContain('1004 ms vs deadline 1000 ms');
    expect(checks[3]!.detail).toBe('not measured: not root (a cgroup needs root)');
  });

  it('shows each row in the table and the chart, and the unmeasured one only in the table', () => {
    const row = summarizeContainers(exactCase, [run('exact', 400, { cacheMs: 380 })], 0.5);
    const result = { memoryMb: 512, share: 0.29, rows: [row, notMeasured(deadCase, 'no engine')] };

    expect(coldTableRows(result)).toEqual([
      ['cluster, exact', '1/1', '400 (400-400)', '380 (380-380)', '', '0.50', 'exact=1'],
      ['dead cache', 'not measured', '-', '-', '', '', 'no engine'],
    ]);
    const [served] = coldPanels(result);
    expect(served).toMatchObject({ kind: 'ratio', bars: [{ label: 'cluster, exact', median: 1 }] });
  });
});

describe('what the bench reads from a child', () => {
  it('takes the first request\'s cache time from its EMF line', () => {
    const output = ['BENCH_COLD_START {}', '{"_aws":{},"CacheLatency":412.5,"CacheHit":1}', 'other'].join('\n');

    expect(cacheLatencyOf(output)).toBe(412.5);
    expect(cacheLatencyOf('{"CacheLatency": [7, 8]}')).toBe(7);
    expect(cacheLatencyOf('no metrics here')).toBeUndefined();
  });

  it('takes the cache faults from its log lines', () => {
    const output = ['{"level":"WARN","message":"cache operation failed open","operation":"semantic-lookup","reason":"timeout","error":"Error: Command timed out"}', 'BENCH_COLD_START {}', '{"level":"INFO","message":"answered"}'].join('\n');

    expect(faultsOf(output)).toEqual(['semantic-lookup/timeout: Error: Command timed out']);
  });

  it('counts the containers\' faults in the row', () => {
    const row = summarizeContainers(exactCase, [run('miss', 700, { faults: ['lookup/timeout: x'] }), run('miss', 700, { faults: ['lookup/timeout: x'] })], 1);

    expect(row.faults).toEqual({ 'lookup/timeout: x': 2 });
  });

  it('finds the scope of a client-index change log from its key', () => {
    expect(scopeOfLogKey('llmcache:cv:v2:amazon-titan:1024:default:{abc123}:log')).toBe('abc123');
    expect(scopeOfLogKey('llmcache:v1:entry')).toBeUndefined();
  });
});
