import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

describe('scripts/verify.ts as a command', () => {
  it('exits 1 with a readable message and no stack trace on a bad backend', () => {
    const run = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/verify.ts', 'redis'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, AWS_REGION: 'us-east-1' },
    });

    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe('Unknown backend "redis"; valid values: redis-stack, elasticache-serverless, memorydb, memorydb-vector, elasticache-valkey-search');
  });
});
