/**
 * The cache user's ACL access string, shared by the ElastiCache Serverless user and the MemoryDB
 * users (both services take Redis 7 ACL syntax: `on`, `~pattern`, `-@all`, `+cmd`,
 * `+cmd|subcommand`; neither accepts passwords or `reset` in the string).
 *
 * Least privilege: the user reaches only keys under the runtime's prefix and only the commands
 * the runtime sends. Search commands are named one by one rather than through `+@search`, so
 * FT.DROPINDEX and friends stay out of reach.
 */

/** Every key the runtime writes starts with this prefix (see DESIGN.md "Keys and scope"). */
export const CACHE_KEY_PREFIX = 'llmcache:';

/** Commands the runtime uses, grouped by purpose. Subcommands use the `cmd|sub` form. */
export const CACHE_COMMANDS: Readonly<Record<string, readonly string[]>> = {
  connection: ['auth', 'hello', 'ping', 'info', 'client|setname', 'cluster|slots', 'cluster|shards', 'cluster|nodes', 'readonly'],
  strings: ['get', 'set', 'del', 'unlink', 'exists', 'pexpire', 'expire', 'pttl', 'mget'],
  hashes: ['hset', 'hget', 'hmget', 'hgetall'],
  streams: ['xadd', 'xrange', 'xrevrange', 'xtrim', 'xlen'],
  scripting: ['eval', 'evalsha', 'script|load'],
  search: ['ft.search', 'ft.create', 'ft.info', 'ft._list'],
};

/** Access string of the cache's application user. */
export const CACHE_USER_ACCESS_STRING = [
  'on',
  `~${CACHE_KEY_PREFIX}*`,
  '-@all',
  ...Object.values(CACHE_COMMANDS).flat().map((command) => `+${command}`),
].join(' ');

/** Access string of the `default`-named user ElastiCache requires in a user group: switched off. */
export const DISABLED_USER_ACCESS_STRING = 'off -@all';
