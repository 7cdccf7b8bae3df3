import { CACHE_KEY_PREFIX, CACHE_USER_ACCESS_STRING } from '../../lib/config/cache-acl';
import { KEY_PREFIX } from '../../lambda/core/keys';
import { REDIS_COMMAND_LIST } from '../../lambda/redis/commands-used';

/**
 * The cache user's ACL (ElastiCache Serverless and MemoryDB users) against what the runtime
 * really sends (`lambda/redis/commands-used.ts`): every command the runtime uses is granted, on
 * the runtime's key prefix only, and nothing broader.
 */
describe('cache user ACL vs the runtime', () => {
  const rules = CACHE_USER_ACCESS_STRING.split(/\s+/);
  const granted = rules.filter((r) => r.startsWith('+')).map((r) => r.slice(1).toLowerCase());

  const grants = (command: string): boolean => granted.includes(command) || (command.includes('|') && granted.includes(command.split('|')[0]));

  it('reaches only the key prefix the runtime writes under', () => {
    expect(CACHE_KEY_PREFIX).toBe(KEY_PREFIX);
    expect(rules.filter((r) => r.startsWith('~') || r.startsWith('%'))).toEqual([`~${KEY_PREFIX}*`]);
    for (const broad of ['~*', 'allkeys', '%RW~*', '%R~*', '%W~*', 'allcommands', '+@all', 'nopass', 'allchannels', '&*']) expect(rules).not.toContain(broad);
  });

  it('starts from no commands and grants no category', () => {
    expect(rules.indexOf('-@all')).toBeGreaterThanOrEqual(0);
    expect(rules.indexOf('-@all')).toBeLessThan(rules.findIndex((r) => r.startsWith('+')));
    expect(granted.filter((g) => g.startsWith('@'))).toEqual([]);
  });

  /** Commands the runtime sends that the ACL does not grant yet (see the known defect below). */
  const KNOWN_MISSING = ['cluster|info'];

  it('grants every command the runtime sends, including those its scripts call, but the known missing ones', () => {
    expect(REDIS_COMMAND_LIST.filter((command) => !grants(command) && !KNOWN_MISSING.includes(command))).toEqual([]);
  });

  // Known defect (lib/config/cache-acl.ts, owned by the infrastructure): `cluster|info` is not
  // granted, yet ioredis' Cluster client sends CLUSTER INFO as its ready check on every connection
  // (test/reliability/acl.int.test.ts shows the cluster client never becomes ready without it), so
  // on ElastiCache Serverless and MemoryDB every request would fail open. Remove `.failing` and
  // KNOWN_MISSING once the ACL grants it.
  it.failing('grants every command the runtime sends', () => {
    expect(REDIS_COMMAND_LIST.filter((command) => !grants(command))).toEqual([]);
  });

  it('grants no administrative or keyspace-wide command', () => {
    const dangerous = ['flushall', 'flushdb', 'keys', 'scan', 'config', 'debug', 'acl', 'module', 'shutdown', 'monitor', 'client', 'cluster', 'script|flush', 'script', 'ft.dropindex', 'ft._dropindexifx', 'ft.aliasadd', 'ft.alter', 'function', 'migrate', 'restore', 'replicaof', 'slaveof', 'bgsave', 'save'];
    expect(granted.filter((g) => dangerous.includes(g))).toEqual([]);
  });

  // Known defect (lib/config/cache-acl.ts, owned by the infrastructure): the ACL grants commands
  // the runtime never sends (unlink, exists, expire, hget, hmget, hgetall, xrevrange, xtrim,
  // xlen, evalsha, script|load, ft.info, hello, ping, cluster|shards, cluster|nodes,
  // readonly). Least privilege means exactly the runtime's list; remove `.failing` once the ACL is
  // built from REDIS_COMMANDS_USED.
  it.failing('grants nothing the runtime does not send', () => {
    expect(granted.filter((g) => !REDIS_COMMAND_LIST.includes(g))).toEqual([]);
  });
});
