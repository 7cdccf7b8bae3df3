/**
 * Every Redis command the runtime sends, including the ones the client library sends for it and
 * the ones its Lua scripts call (an ACL checks those too). The cache user's ACL in the stacks must
 * grant exactly these (test/infra/cache-acl.test.ts). Add a command here in the change that
 * starts using it. Lower case; subcommands as `command|subcommand`, the ACL's own syntax.
 */
export const REDIS_COMMANDS_USED = {
  /**
   * ioredis: AUTH on connect, INFO (standalone) or CLUSTER INFO (cluster) for the ready check,
   * CLUSTER SLOTS for the slot map, CLIENT SETNAME on the cluster's slot-refresh connection.
   */
  connection: ['auth', 'info', 'cluster|info', 'cluster|slots', 'client|setname'],
  /** Exact entries and the single-flight lock (`RedisStore`): GET, SET PX [NX], EVAL of the release script. */
  entries: ['get', 'set', 'eval'],
  /** Called inside the lock release script (GET, DEL) and the search document script (HSET, PEXPIRE). */
  scripted: ['del', 'hset', 'pexpire'],
  /** Server-side vector search (`SearchIndex`, `hasVectorSearch`). */
  search: ['ft._list', 'ft.create', 'ft.search'],
  /** Client-side semantic index (`ClientIndex`): vectors read with MGET, the scope's change log (a stream: XADD in its script, XRANGE), TTL upkeep. */
  clientIndex: ['mget', 'xadd', 'xrange', 'pttl'],
} as const satisfies Readonly<Record<string, readonly string[]>>;

/** The flat list of `REDIS_COMMANDS_USED`. */
export const REDIS_COMMAND_LIST: readonly string[] = [...new Set(Object.values(REDIS_COMMANDS_USED).flat())];
