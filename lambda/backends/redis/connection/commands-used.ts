/**
 * Every Redis command the runtime needs granted, including the ones the client library sends for
 * it and the ones its Lua scripts call (an ACL checks those too); the few it sends without needing
 * a grant are `REDIS_COMMANDS_NOT_GRANTED`. The cache user's ACL in the stacks grants exactly these
 * (`lib/config/cache-acl.ts`, test/infra/config/cache-acl.test.ts). Add a command here in the
 * change that starts using it. Lower case; subcommands as `command|subcommand`, the ACL's own syntax.
 */
export const REDIS_COMMANDS_USED = {
  /**
   * ioredis: INFO for each connection's ready check (it also waits out a server still loading
   * data), CLUSTER INFO for the cluster's ready check, CLUSTER SLOTS for the slot map. Granted as
   * subcommands: `+cluster` would also name subcommands ElastiCache and MemoryDB restrict
   * (`cluster failover`, `cluster setslot`, ...), which their pages say makes the user's creation
   * fail. AUTH and CLIENT SETNAME are sent too but need no grant: `REDIS_COMMANDS_NOT_GRANTED`.
   */
  connection: ['info', 'cluster|info', 'cluster|slots'],
  /** Exact entries and the single-flight lock (`RedisStore`): GET, SET PX [NX], EVAL of the release and renewal scripts. */
  entries: ['get', 'set', 'eval'],
  /**
   * Called inside the lock release script (GET, DEL), the lock renewal script (GET, PEXPIRE), the
   * search document script (HSET, PEXPIRE), the FT reject script (HGET, HSET), and the client-side
   * index's remove script (DEL, PTTL, XADD) and reject script (PTTL, GET, SET).
   */
  scripted: ['del', 'hset', 'pexpire'],
  /**
   * Server-side vector search (`SearchIndex`, `hasVectorSearch`); HGET reads the matched
   * document's answer by key (MemoryDB's FT.SEARCH RETURN may name only declared fields);
   * FT.DROPINDEX (without DD) removes the index an earlier index version gave the same model, so
   * superseded indexes do not pile up against the 10-index limit (index-naming.ts).
   */
  search: ['ft._list', 'ft.create', 'ft.search', 'hget', 'ft.dropindex'],
  /** Client-side semantic index (`ClientIndex`): vectors read with MGET, the scope's change log (a stream: XADD in its script, XRANGE), TTL upkeep. */
  clientIndex: ['mget', 'xadd', 'xrange', 'pttl'],
  /**
   * Removing one entry (the invalidate action): UNLINK of the exact entry (`RedisStore.delete`) and
   * of an FT document (`SearchIndex.remove`). UNLINK rather than DEL: the same reply and the same
   * effect for every reader at once, but the value's memory is freed off the server's main thread.
   */
  removal: ['unlink'],
  /**
   * Purge of a namespace (`purge/redis-purge.ts`): SCAN with MATCH and COUNT on each master, UNLINK
   * of the keys found; entry-form keys are unlinked by an EVAL whose script calls GET and UNLINK
   * (to tell an entry from a lock marker), so `eval` and `get` are listed again here.
   */
  purge: ['scan', 'unlink', 'eval', 'get'],
} as const satisfies Readonly<Record<string, readonly string[]>>;

/**
 * Commands the runtime's client sends that the cache user is deliberately not granted, each with
 * the reason that is safe. `test/reliability/acl.int.test.ts` checks that these are the only
 * denials a real server logs (ACL LOG) while the runtime serves requests.
 */
export const REDIS_COMMANDS_NOT_GRANTED = {
  /** Valkey ACL page, "ACL rules": commands that need no authentication (AUTH, HELLO, RESET) cannot be removed from a user. */
  auth: 'always allowed to every user',
  /**
   * ioredis names the cluster's slot-refresh connection (`ioredis-cluster(refresher)`) and ignores
   * a refusal: `client("setname", ...).catch(noop)` in `ioredis/built/redis/event_handler.js`.
   */
  'client|setname': 'ioredis ignores the refusal',
  /**
   * ioredis sends CLIENT SETINFO LIB-NAME/LIB-VER on every connection (Valkey and Redis 7.2+) and
   * ignores a refusal the same way; ElastiCache Serverless does not list it as supported.
   */
  'client|setinfo': 'ioredis ignores the refusal',
} as const satisfies Readonly<Record<string, string>>;

/** The flat list of `REDIS_COMMANDS_USED`. */
export const REDIS_COMMAND_LIST: readonly string[] = [...new Set(Object.values(REDIS_COMMANDS_USED).flat())];
