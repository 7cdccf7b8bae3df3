import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REDIS_HOST_BOOT_SCRIPT } from '../../../lib/backends/redis-stack-user-data';
import { startFtDouble, type FtDouble } from '../../../tools/ft-double';
import { startStandalone, type RedisTestServer } from '../../../tools/redis-servers';

/**
 * Runs the real boot script's functions (sourced, `main` not run) against real redis-server
 * processes. A `docker` stand-in on PATH turns `docker exec [-e NAME] redis redis-cli ARGS` into
 * a local `redis-cli -p PORT ARGS`, passes REDISCLI_AUTH only when `-e REDISCLI_AUTH` asks for it
 * (as docker does), and records its argv so a test can prove the password was on no command line.
 */
const DOCKER_STAND_IN = `#!/bin/bash
printf '%s\\n' "$*" >> "$SHIM_ARGV_LOG"
[[ $1 == exec ]] || exit 90
shift
pass_auth=0
while [[ $1 == -e ]]; do
  [[ $2 == REDISCLI_AUTH ]] && pass_auth=1
  shift 2
done
[[ $1 == redis && $2 == redis-cli ]] || exit 91
shift 2
if ((pass_auth)); then exec redis-cli -p "$SHIM_REDIS_PORT" "$@"; fi
exec env -u REDISCLI_AUTH redis-cli -p "$SHIM_REDIS_PORT" "$@"
`;

const PASSWORD = 'Boot0Script0Password0Of0Redis0X';

interface Sandbox {
  readonly dir: string;
  /** Runs bash asynchronously: the FT double lives in this process and must keep answering. */
  run(script: string, port: number): Promise<{ status: number | null; stdout: string; stderr: string }>;
  argv(): string;
  file(name: string): string;
}

function sandbox(password: string): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'llmcache-boot-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  mkdirSync(join(dir, 'state'), { mode: 0o700 });
  writeFileSync(join(bin, 'docker'), DOCKER_STAND_IN);
  chmodSync(join(bin, 'docker'), 0o755);
  writeFileSync(join(bin, 'cfn-signal'), '#!/bin/bash\nprintf \'%s\\n\' "$*" >> "$SHIM_SIGNAL_LOG"\n');
  chmodSync(join(bin, 'cfn-signal'), 0o755);
  writeFileSync(join(dir, 'state', 'password'), `${password}\n`, { mode: 0o600 });
  writeFileSync(join(dir, 'argv.log'), '');
  return {
    dir,
    run(body, port) {
      const header = [
        "readonly REGION='us-east-1' SECRET_ARN='arn:test' IMAGE='redis:test' STACK_NAME='Stack' LOGICAL_ID='Host1'",
        'readonly MAXMEMORY_PERCENT=60',
        `source ${JSON.stringify(REDIS_HOST_BOOT_SCRIPT)}`,
      ].join('\n');
      const env = {
        PATH: `${bin}:${process.env.PATH ?? ''}`,
        LLMCACHE_BOOT_SOURCE_ONLY: '1',
        LLMCACHE_STATE_DIR: join(dir, 'state'),
        LLMCACHE_BOOT_LOG: join(dir, 'boot.log'),
        LLMCACHE_CONSOLE: join(dir, 'console'),
        LLMCACHE_CFN_SIGNAL: join(bin, 'cfn-signal'),
        RETRY_BASE_SECONDS: '0',
        SHIM_REDIS_PORT: String(port),
        SHIM_ARGV_LOG: join(dir, 'argv.log'),
        SHIM_SIGNAL_LOG: join(dir, 'signal.log'),
      };
      return new Promise((resolve) => {
        execFile('bash', ['-c', `${header}\n${body}`], { encoding: 'utf8', timeout: 60_000, env }, (error, stdout, stderr) => {
          const status = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
          resolve({ status, stdout, stderr });
        });
      });
    },
    argv: () => readFileSync(join(dir, 'argv.log'), 'utf8'),
    file: (name) => readFileSync(join(dir, name), 'utf8'),
  };
}

describe('the Redis host boot script, on real redis-server processes', () => {
  let plain: RedisTestServer;
  let searchBackend: RedisTestServer;
  let search: FtDouble;
  const sandboxes: Sandbox[] = [];
  const make = (password: string) => {
    const box = sandbox(password);
    sandboxes.push(box);
    return box;
  };

  beforeAll(async () => {
    plain = await startStandalone({ password: PASSWORD });
    searchBackend = await startStandalone({ password: PASSWORD });
    search = await startFtDouble({ host: searchBackend.host, port: searchBackend.port, password: PASSWORD });
  });
  afterAll(async () => {
    await search?.stop();
    await Promise.all([plain?.stop(), searchBackend?.stop()]);
    for (const box of sandboxes) rmSync(box.dir, { recursive: true, force: true });
  });

  it('passes the health check on a password-protected server with the query engine, without the password on any command line', async () => {
    const box = make(PASSWORD);
    const result = await box.run('health_check', search.port);
    expect(result).toMatchObject({ status: 0 });
    const argv = box.argv();
    expect(argv).toContain('exec -e REDISCLI_AUTH redis redis-cli FT._LIST');
    expect(argv).toContain('exec redis redis-cli PING');
    expect(argv).not.toContain(PASSWORD);
  });

  it('fails the health check when the server has no query engine (FT._LIST unknown)', async () => {
    const box = make(PASSWORD);
    const result = await box.run('health_check', plain.port);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/FT\._LIST refused \(no query engine\?\): ERR unknown command/);
  });

  it('fails the health check when the password is wrong', async () => {
    const box = make('not-the-password');
    const result = await box.run('health_check', search.port);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/authenticated PING failed: .*(WRONGPASS|invalid)/s);
  });

  it('fails the health check when the server answers without a password', async () => {
    const open = await startStandalone();
    try {
      const box = make(PASSWORD);
      const result = await box.run('health_check', open.port);
      expect(result.status).toBe(1);
      expect(result.stdout).toContain('PING without the password was not refused: PONG');
    } finally {
      await open.stop();
    }
  });

  it('retries a failing step with backoff and gives up after the allowed attempts', async () => {
    const box = make(PASSWORD);
    const result = await box.run('n=0; flaky() { n=$((n + 1)); ((n >= 3)); }; retry 5 flaky && echo "ok after $n"; retry 2 false', search.port);
    expect(result.stdout).toContain('ok after 3');
    expect(result.stdout).toMatch(/attempt 1 of 5 failed: flaky/);
    expect(result.stdout).toMatch(/giving up after 2 attempts: false/);
    expect(result.status).toBe(1);
  });

  it('on any failure signals exit code 1 naming the step, and copies the log tail to the console', async () => {
    const box = make(PASSWORD);
    const result = await box.run('exec >> "$BOOT_LOG" 2>&1; trap on_error ERR; STEP=image; log "pulling"; false; echo unreachable', search.port);
    expect(result.status).toBe(1);
    expect(box.file('signal.log')).toBe('--exit-code 1 --id boot-failed-at-image --stack Stack --resource Host1 --region us-east-1\n');
    const console = box.file('console');
    expect(console).toMatch(/^llmcache-boot: .*\[image\] pulling$/m);
    expect(console).toMatch(/^llmcache-boot: .*FAILED at step 'image' \(exit 1\)/m);
    expect(box.file('boot.log')).not.toContain('unreachable');
  });
});
