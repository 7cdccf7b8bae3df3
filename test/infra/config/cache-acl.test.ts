import { CACHE_KEY_PREFIX, cacheUserAccessString, cacheUserCommands, DISABLED_USER_ACCESS_STRING } from '../../../lib/config/cache-acl';
import { KEY_PREFIX } from '../../../lambda/core/keys';
import { REDIS_COMMAND_LIST, REDIS_COMMANDS_USED } from '../../../lambda/redis/commands-used';

/**
 * The cache user's ACL (ElastiCache Serverless and MemoryDB users) against what the runtime really
 * sends (`lambda/redis/commands-used.ts`, established with MONITOR and ACL LOG): exactly those
 * commands, on the runtime's key prefix only, and nothing broader.
 */
describe.each([
  ['with vector search', true],
  ['without vector search', false],
])('cache user access string %s', (_label, vectorSearch) => {
  const rules = cacheUserAccessString(vectorSearch).split(' ');
  const granted = rules.filter((rule) => rule.startsWith('+')).map((rule) => rule.slice(1));
  const expected = REDIS_COMMAND_LIST.filter((command) => vectorSearch || !(REDIS_COMMANDS_USED.search as readonly string[]).includes(command));

  it('switches the user on and reaches only keys under the runtime prefix', () => {
    expect(CACHE_KEY_PREFIX).toBe(KEY_PREFIX);
    expect(rules[0]).toBe('on');
    expect(rules.filter((rule) => rule.startsWith('~') || rule.startsWith('%'))).toEqual([`~${KEY_PREFIX}*`]);
    for (const broad of ['~*', 'allkeys', 'allcommands', '+@all', 'nopass', 'allchannels', '&*']) expect(rules).not.toContain(broad);
  });

  it('starts from no commands and grants no category', () => {
    expect(rules.indexOf('-@all')).toBeGreaterThan(0);
    expect(rules.indexOf('-@all')).toBeLessThan(rules.findIndex((rule) => rule.startsWith('+')));
    expect(granted.filter((command) => command.startsWith('@'))).toEqual([]);
  });

  it('grants exactly the commands the runtime sends, scripts included', () => {
    expect([...granted].sort()).toEqual([...expected].sort());
    expect(cacheUserCommands(vectorSearch)).toEqual(granted);
  });

  it('holds nothing the services forbid in an access string and no administrative command', () => {
    expect(rules.some((rule) => rule.startsWith('>') || rule.startsWith('#'))).toBe(false);
    expect(rules).not.toContain('reset');
    const admin = ['flushall', 'flushdb', 'keys', 'scan', 'config', 'debug', 'acl', 'module', 'shutdown', 'monitor', 'client', 'cluster', 'script', 'ft.dropindex', 'function', 'migrate', 'restore'];
    expect(granted.filter((command) => admin.includes(command))).toEqual([]);
  });
});

describe('search commands in the ACL', () => {
  it('are granted only where the server has vector search', () => {
    expect(cacheUserCommands(true)).toEqual(expect.arrayContaining(['ft.search', 'ft.create', 'ft._list']));
    expect(cacheUserCommands(false).filter((command) => command.startsWith('ft.'))).toEqual([]);
  });
});

describe('DISABLED_USER_ACCESS_STRING', () => {
  it('switches the required default user off with no commands', () => {
    expect(DISABLED_USER_ACCESS_STRING).toBe('off -@all');
  });
});
