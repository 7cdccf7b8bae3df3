import { INVALIDATE_USAGE, parseInvalidateArgs } from '../../scripts/invalidate-args';

describe('parseInvalidateArgs', () => {
  it('invalidates an entry id through a deployed backend', () => {
    expect(parseInvalidateArgs(['memorydb', '--entry-id', 'e1.abc'])).toEqual({ target: { kind: 'deployed', backend: 'memorydb' }, action: { action: 'invalidate', entryId: 'e1.abc' } });
  });

  it('purges a namespace', () => {
    expect(parseInvalidateArgs(['redis-stack', '--namespace', 'tenant-a', '--purge']).action).toEqual({ action: 'purge', namespace: 'tenant-a' });
  });

  it('invalidates by the fields of a request, passing only those given', () => {
    expect(parseInvalidateArgs(['memorydb', '--prompt', 'Where is Las Vegas?']).action).toEqual({ action: 'invalidate', prompt: 'Where is Las Vegas?' });
    expect(parseInvalidateArgs(['memorydb', '--prompt', 'Where is Las Vegas?', '--namespace', 'tenant-a', '--system', 'Be brief.', '--model-id', 'amazon.nova-micro-v1:0']).action).toEqual({
      action: 'invalidate',
      prompt: 'Where is Las Vegas?',
      namespace: 'tenant-a',
      system: 'Be brief.',
      modelId: 'amazon.nova-micro-v1:0',
    });
  });

  it('runs locally with --redis-url instead of a backend, as a standalone client unless told otherwise', () => {
    expect(parseInvalidateArgs(['--redis-url', 'redis://localhost:6379', '--entry-id', 'e1.abc']).target).toEqual({ kind: 'local', redisUrl: 'redis://localhost:6379', client: 'redis' });
    expect(parseInvalidateArgs(['--redis-url', 'rediss://node:7000', '--backend', 'redis-cluster', '--namespace', 'x', '--purge']).target).toEqual({ kind: 'local', redisUrl: 'rediss://node:7000', client: 'redis-cluster' });
  });

  it.each<[string, string[], RegExp]>([
    ['no action', ['memorydb'], /choose one of --entry-id, --purge, --prompt/],
    ['two actions', ['memorydb', '--entry-id', 'e1.abc', '--prompt', 'hi'], /choose one of/],
    ['a purge without a namespace', ['memorydb', '--purge'], /--purge needs --namespace/],
    ['an entry id with a namespace', ['memorydb', '--entry-id', 'e1.abc', '--namespace', 'x'], /leave out --namespace/],
    ['request fields without a prompt', ['memorydb', '--entry-id', 'e1.abc', '--system', 'x'], /--system go with --prompt/],
    ['no backend', ['--entry-id', 'e1.abc'], /name a deployed backend, or --redis-url/],
    ['two backends', ['memorydb', 'redis-stack', '--entry-id', 'e1.abc'], /one backend/],
    ['a backend with --redis-url', ['memorydb', '--redis-url', 'redis://h:1', '--entry-id', 'e1.abc'], /leave out the backend/],
    ['a client kind without --redis-url', ['memorydb', '--backend', 'redis', '--entry-id', 'e1.abc'], /--backend goes with --redis-url/],
    ['an unknown client kind', ['--redis-url', 'redis://h:1', '--backend', 'memcached', '--entry-id', 'e1.abc'], /--backend must be redis or redis-cluster/],
    ['an option without its value', ['memorydb', '--entry-id'], /--entry-id needs a value/],
    ['an option followed by another', ['memorydb', '--namespace', '--purge'], /--namespace needs a value/],
    ['an unknown option', ['memorydb', '--entry-id', 'e1.abc', '--force'], /unknown option --force/],
  ])('refuses %s, with the usage', (_label, argv, problem) => {
    expect(() => parseInvalidateArgs(argv)).toThrow(problem);
    expect(() => parseInvalidateArgs(argv)).toThrow(INVALIDATE_USAGE);
  });
});
