import { createServer } from 'node:net';
import { startBedrockEmulator, type BedrockEmulator } from '../../tools/bedrock-emulator/server';

/**
 * Cold start: the packages that dominate loading the bundle are evaluated only when a request
 * needs them. A mock factory records each package's evaluation and hands back the real module.
 */
const TRACKED = ['@aws-sdk/client-bedrock-runtime', '@aws-sdk/client-secrets-manager', 'ioredis'] as const;
type Tracked = (typeof TRACKED)[number];

type Handler = typeof import('../../lambda/handler').handler;

interface Container {
  readonly handler: Handler;
  readonly loaded: Set<Tracked>;
  close(): Promise<void>;
}

/** A fresh container (new module registry) built from `env` as Lambda's init does; the warm-up has had a turn. */
async function freshContainer(env: Record<string, string>): Promise<Container> {
  Object.assign(process.env, env);
  const loaded = new Set<Tracked>();
  let handler: Handler | undefined;
  let close: (() => Promise<void>) | undefined;
  await jest.isolateModulesAsync(async () => {
    for (const name of TRACKED) {
      jest.doMock(name, () => {
        loaded.add(name);
        return jest.requireActual(name);
      });
    }
    ({ handler } = await import('../../lambda/handler'));
    const { getRuntime } = await import('../../lambda/runtime');
    close = () => getRuntime().close();
  });
  await new Promise((resolve) => setImmediate(resolve));
  return { handler: handler as Handler, loaded, close: close as () => Promise<void> };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('lazy loading at cold start', () => {
  let emulator: BedrockEmulator;
  let container: Container | undefined;
  const saved = { ...process.env };

  beforeAll(async () => {
    emulator = await startBedrockEmulator();
  });
  afterAll(async () => {
    await emulator.close();
  });
  afterEach(async () => {
    await container?.close();
    container = undefined;
    process.env = { ...saved };
    for (const name of TRACKED) jest.dontMock(name);
  });

  const base = (): Record<string, string> => ({ BEDROCK_ENDPOINT: emulator.url, AWS_REGION: 'us-east-1', AWS_MAX_ATTEMPTS: '1', CACHE_MODE: 'standard' });

  it('loads neither AWS SDK client nor ioredis when the embedded backend initialises', async () => {
    container = await freshContainer({ ...base(), CACHE_BACKEND: 'memory' });

    expect([...container.loaded]).toEqual([]);
  });

  it('loads the Bedrock SDK on the first miss, and only it', async () => {
    container = await freshContainer({ ...base(), CACHE_BACKEND: 'memory' });

    const answer = await container.handler({ prompt: 'Where is Las Vegas?', namespace: 'lazy' });

    expect(answer).toMatchObject({ cache: 'miss', text: expect.any(String) });
    expect([...container.loaded]).toEqual(['@aws-sdk/client-bedrock-runtime']);
  });

  it('starts connecting to a Redis backend at init without loading either AWS SDK client', async () => {
    container = await freshContainer({ ...base(), CACHE_BACKEND: 'redis', CACHE_URL: `redis://127.0.0.1:${await closedPort()}` });

    expect([...container.loaded]).toEqual(['ioredis']);
  });

  it('resolves credentials without a secret ARN without loading the Secrets Manager SDK', async () => {
    const loaded = new Set<string>();
    let credentials: unknown;
    await jest.isolateModulesAsync(async () => {
      jest.doMock('@aws-sdk/client-secrets-manager', () => {
        loaded.add('@aws-sdk/client-secrets-manager');
        return jest.requireActual('@aws-sdk/client-secrets-manager');
      });
      const { resolveCredentials } = await import('../../lambda/backends/redis/connection/credentials');
      credentials = await resolveCredentials({ secretArn: undefined, username: 'app', password: 'pw', region: 'us-east-1' });
    });

    expect(credentials).toEqual({ username: 'app', password: 'pw' });
    expect(loaded.size).toBe(0);
  });
});
