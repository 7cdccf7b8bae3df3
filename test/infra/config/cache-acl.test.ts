import { CACHE_COMMANDS, CACHE_KEY_PREFIX, CACHE_USER_ACCESS_STRING, DISABLED_USER_ACCESS_STRING } from '../../../lib/config/cache-acl';

describe('CACHE_USER_ACCESS_STRING', () => {
  const rules = CACHE_USER_ACCESS_STRING.split(' ');

  it('switches the user on and reaches only keys under the runtime prefix', () => {
    expect(CACHE_KEY_PREFIX).toBe('llmcache:');
    expect(rules[0]).toBe('on');
    expect(rules.filter((r) => r.startsWith('~'))).toEqual(['~llmcache:*']);
    expect(rules).not.toContain('~*');
    expect(rules).not.toContain('allkeys');
  });

  it('starts from no commands and never grants a whole category', () => {
    expect(rules).toContain('-@all');
    expect(rules.indexOf('-@all')).toBeLessThan(rules.findIndex((r) => r.startsWith('+')));
    expect(rules.filter((r) => r.startsWith('+@'))).toEqual([]);
    expect(CACHE_USER_ACCESS_STRING).not.toContain('+@all');
  });

  it('names each command the runtime uses, subcommands in cmd|sub form', () => {
    for (const command of ['get', 'set', 'hset', 'xadd', 'evalsha', 'script|load', 'cluster|slots', 'ft.search', 'ft._list']) {
      expect(rules).toContain(`+${command}`);
    }
    expect(rules.filter((r) => r.startsWith('+'))).toHaveLength(Object.values(CACHE_COMMANDS).flat().length);
  });

  it('holds nothing the services forbid in an access string (passwords, reset) and no admin commands', () => {
    expect(rules.some((r) => r.startsWith('>') || r.startsWith('#'))).toBe(false);
    expect(rules).not.toContain('reset');
    for (const admin of ['+flushall', '+flushdb', '+config', '+keys', '+ft.dropindex', '+acl']) expect(rules).not.toContain(admin);
  });

  it('switches the required default user off with no commands', () => {
    expect(DISABLED_USER_ACCESS_STRING).toBe('off -@all');
  });
});
