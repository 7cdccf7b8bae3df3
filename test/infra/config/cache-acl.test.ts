import {
  CACHE_KEY_PREFIX,
  cacheUserAccessString,
  cacheUserAclRules,
  cacheUserCommands,
  DISABLED_USER_ACCESS_STRING,
} from '../../../lib/config/cache-acl';
import { KEY_PREFIX } from '../../../lambda/core/keys';
import { indexNames } from '../../../lambda/backends/redis/search/index-naming';
import { REDIS_COMMAND_LIST, REDIS_COMMANDS_NOT_GRANTED, REDIS_COMMANDS_USED } from '../../../lambda/backends/redis/connection/commands-used';

/**
 * The cache user's ACL (ElastiCache Serverless, node-based ElastiCache and MemoryDB users) against
 * two things: what the runtime really sends (`lambda/backends/redis/connection/commands-used.ts`,
 * established with MONITOR and ACL LOG),
 * and each service's documented access-string syntax (validators below, written from the pages
 * cited in docs/aws-facts.md, section "ACL access strings").
 */

/** `page`: the service's own page lists the form; `reference`: only through its link to the Valkey ACL page. */
type Documented = 'page' | 'reference';

interface TokenForm {
  readonly name: string;
  readonly pattern: RegExp;
  readonly documented: Documented;
}

interface AclGrammar {
  readonly service: string;
  readonly forms: readonly TokenForm[];
  /** The service's restricted commands: `cmd` or `cmd|subcommand`, lower case. */
  readonly restricted: readonly string[];
}

const NAME = '[a-z][a-z0-9._-]*';
const ON_OFF: TokenForm = { name: 'on/off', pattern: /^(on|off)$/, documented: 'page' };
const KEYS: TokenForm = { name: '~pattern', pattern: /^~\S+$/, documented: 'page' };
const CHANNELS: TokenForm = { name: '&pattern', pattern: /^&\S+$/, documented: 'page' };
const CATEGORY: TokenForm = { name: '+@/-@category', pattern: /^[+-]@[a-z]+$/, documented: 'page' };
const ADD_COMMAND: TokenForm = { name: '+command', pattern: new RegExp(`^\\+${NAME}$`), documented: 'page' };

/**
 * ElastiCache, "Role-Based Access Control (RBAC)" > "Specifying Permissions Using an Access
 * String": on/off, ~, +command, +@category; `&*` from Redis OSS 6.2; from 7.0 (every engine this
 * project deploys is 7.0 or later) `|` "for blocking subcommands (e.g. -config|set)", %R~/%W~/%RW~,
 * selectors and clearselectors. `-command` and the allowing form `+command|subcommand` are only in
 * the Valkey ACL page the section links for the syntax. Selectors are left out: our strings do
 * not use them, so the validator fails closed on them.
 */
const ELASTICACHE_FORMS: readonly TokenForm[] = [
  ON_OFF,
  KEYS,
  CHANNELS,
  { name: '%R~/%W~/%RW~pattern', pattern: /^%(R|W|RW)~\S+$/, documented: 'page' },
  CATEGORY,
  ADD_COMMAND,
  { name: '-command|subcommand', pattern: new RegExp(`^-${NAME}\\|[a-z][a-z0-9-]*$`), documented: 'page' },
  { name: 'clearselectors', pattern: /^clearselectors$/, documented: 'page' },
  { name: '-command', pattern: new RegExp(`^-${NAME}$`), documented: 'reference' },
  { name: '+command|subcommand', pattern: new RegExp(`^\\+${NAME}\\|[a-z][a-z0-9-]*$`), documented: 'reference' },
];

/** "Supported and restricted ... commands" > "Restricted Valkey and Redis OSS commands": every cache. */
const ELASTICACHE_RESTRICTED = [
  'acl|setuser', 'acl|load', 'acl|save', 'acl|deluser', 'bgrewriteaof', 'bgsave', 'cluster|addslot', 'cluster|addslotsrange',
  'cluster|bumpepoch', 'cluster|delslot', 'cluster|delslotsrange', 'cluster|failover', 'cluster|flushslots', 'cluster|forget',
  'cluster|links', 'cluster|meet', 'cluster|setslot', 'config', 'debug', 'migrate', 'psync', 'replicaof', 'save', 'slaveof',
  'shutdown', 'sync',
];

/** The same section: "In addition, the following commands are unavailable for serverless caches". */
const SERVERLESS_RESTRICTED = [
  ...ELASTICACHE_RESTRICTED,
  'acl|log', 'client|caching', 'client|getredir', 'client|id', 'client|info', 'client|kill', 'client|list', 'client|no-evict',
  'client|pause', 'client|tracking', 'client|trackinginfo', 'client|unblock', 'client|unpause', 'cluster|count-failure-reports',
  'commandlog', 'fcall', 'fcall_ro', 'function', 'keys', 'lastsave', 'latency', 'memory', 'monitor', 'move', 'object', 'pfdebug',
  'pfselftest', 'psubscribe', 'pubsub|numpat', 'punsubscribe', 'script|kill', 'slowlog', 'swapdb', 'wait',
];

/**
 * An excerpt of the same page's "Supported Valkey and Redis OSS commands" (serverless), copied for
 * the command families the runtime could use: a serverless grant must name one of these.
 */
const SERVERLESS_SUPPORTED = new Set([
  'cluster|countkeysinslot', 'cluster|getkeysinslot', 'cluster|info', 'cluster|keyslot', 'cluster|myid', 'cluster|nodes',
  'cluster|replicas', 'cluster|shards', 'cluster|slots', 'readonly', 'readwrite', 'auth', 'client|getname', 'client|reply',
  'client|setname', 'echo', 'hello', 'ping', 'quit', 'reset', 'select', 'copy', 'del', 'dump', 'exists', 'expire', 'pexpire',
  'pexpireat', 'persist', 'pttl', 'scan', 'ttl', 'type', 'unlink', 'touch', 'hdel', 'hexists', 'hget', 'hgetall', 'hmget', 'hmset', 'hset',
  'hlen', 'eval', 'eval_ro', 'evalsha', 'evalsha_ro', 'script|exists', 'script|load', 'info', 'time', 'xadd', 'xdel', 'xlen',
  'xrange', 'xrevrange', 'xtrim', 'append', 'get', 'getdel', 'getex', 'mget', 'mset', 'set', 'setex', 'psetex', 'setnx', 'strlen',
  'multi', 'exec', 'discard',
]);

/**
 * MemoryDB, "Authenticating users with Access Control Lists (ACLs)" > "Specifying Permissions
 * Using an Access String": on/off, ~, &, +command, +@category (and -@all in its example). For
 * anything else it sends the reader to the Valkey ACL page ("For information about the syntax of
 * the ACL rules, see ACL"), which is where `-command` and `+command|subcommand` are documented.
 */
const MEMORYDB_FORMS: readonly TokenForm[] = [
  ON_OFF,
  KEYS,
  CHANNELS,
  CATEGORY,
  ADD_COMMAND,
  { name: '-command', pattern: new RegExp(`^-${NAME}$`), documented: 'reference' },
  { name: '+/-command|subcommand', pattern: new RegExp(`^[+-]${NAME}\\|[a-z][a-z0-9-]*$`), documented: 'reference' },
];

/** MemoryDB, "Restricted commands". */
const MEMORYDB_RESTRICTED = [
  'acl|deluser', 'acl|load', 'acl|save', 'acl|setuser', 'bgrewriteaof', 'bgsave', 'cluster|addslot', 'cluster|delslot',
  'cluster|setslot', 'config', 'debug', 'migrate', 'module', 'psync', 'replicaof', 'save', 'shutdown', 'slaveof', 'sync',
];

const ELASTICACHE_SERVERLESS: AclGrammar = { service: 'ElastiCache Serverless', forms: ELASTICACHE_FORMS, restricted: SERVERLESS_RESTRICTED };
/** Node-based ElastiCache (the Valkey 8.2 vector-search cluster): the same grammar, only the every-cache restrictions. */
const ELASTICACHE_NODE_BASED: AclGrammar = { service: 'ElastiCache (node-based)', forms: ELASTICACHE_FORMS, restricted: ELASTICACHE_RESTRICTED };

/** ElastiCache, "Vector search commands": the FT commands node-based Valkey 8.2+ clusters support. */
const ELASTICACHE_VECTOR_COMMANDS = new Set(['ft.create', 'ft.search', 'ft.dropindex', 'ft.info', 'ft._list']);
const MEMORYDB: AclGrammar = { service: 'MemoryDB', forms: MEMORYDB_FORMS, restricted: MEMORYDB_RESTRICTED };

/** `cmd` or `cmd|sub` named by a `+`/`-` command rule; undefined for any other rule. */
function commandOf(token: string): string | undefined {
  return /^[+-][^@]/.test(token) ? token.slice(1) : undefined;
}

/**
 * A granted command collides with a restricted one when they are equal, when the whole command is
 * restricted, or when the grant names a whole command some of whose subcommands are restricted
 * (`+cluster` would include `cluster|failover`: the pages say a forbidden command in the string
 * throws an exception, so a parent grant is treated as naming its restricted subcommands).
 */
function collides(granted: string, restricted: string): boolean {
  const [command, sub] = granted.split('|');
  const [restrictedCommand, restrictedSub] = restricted.split('|');
  if (command !== restrictedCommand) return false;
  return sub === undefined || restrictedSub === undefined || sub === restrictedSub;
}

interface Verdict {
  readonly errors: readonly string[];
  /** Tokens accepted only through the service's reference to the Valkey ACL page. */
  readonly referenceOnly: readonly string[];
}

function validate(accessString: string, grammar: AclGrammar): Verdict {
  const errors: string[] = [];
  const referenceOnly: string[] = [];
  const tokens = accessString.split(' ');
  if (tokens.some((token) => token === '')) errors.push('empty token (double or edge space)');
  if (!tokens.includes('on') && !tokens.includes('off')) errors.push('neither on nor off: the user would be assigned off');
  for (const token of tokens.filter((t) => t !== '')) {
    if (/^[><#!]/.test(token)) {
      errors.push(`${token[0]}...: passwords cannot be specified in an access string`);
      continue;
    }
    if (token === 'reset' || token === 'resetpass' || token === 'nopass') errors.push(`${token}: password state is set through the service API, not the string`);
    const form = grammar.forms.find((candidate) => candidate.pattern.test(token));
    if (form === undefined) {
      errors.push(`${token}: not a documented ${grammar.service} access-string rule`);
      continue;
    }
    if (form.documented === 'reference') referenceOnly.push(token);
    const command = commandOf(token);
    if (command !== undefined && token.startsWith('+')) {
      for (const restricted of grammar.restricted.filter((r) => collides(command, r))) errors.push(`+${command}: ${restricted} is restricted on ${grammar.service}`);
    }
  }
  return { errors: [...new Set(errors)], referenceOnly };
}

describe('the access-string validators', () => {
  it.each([
    ['ElastiCache', ELASTICACHE_SERVERLESS, 'on ~app::* -@all +@read'],
    ['ElastiCache', ELASTICACHE_SERVERLESS, 'on ~* +@all'],
    ['ElastiCache', ELASTICACHE_SERVERLESS, 'off +get ~keys*'],
    ['ElastiCache', ELASTICACHE_SERVERLESS, 'on ~* &* -config|set +@all'],
    ['MemoryDB', MEMORYDB, 'on ~* &* +@all'],
    ['MemoryDB', MEMORYDB, 'on ~app::* -@all +@read'],
  ])('accept the example strings of the %s page: %s', (_service, grammar, example) => {
    expect(validate(example, grammar).errors).toEqual([]);
  });

  it.each([
    ['a password', 'on >hunter2hunter2hunter2 ~* +@all', 'passwords cannot be specified'],
    ['a password hash', `on #${'a'.repeat(64)} ~* +@all`, 'passwords cannot be specified'],
    ['reset', 'on reset ~* +@all', 'reset: password state is set through the service API'],
    ['nopass', 'on nopass ~* +@all', 'nopass: password state is set through the service API'],
    ['an unknown token', 'on ~* +@all sudo', 'sudo: not a documented'],
    ['no on or off', '~* +@all', 'neither on nor off'],
    ['a restricted command', 'on ~* -@all +config', '+config: config is restricted'],
    ['a parent of restricted subcommands', 'on ~* -@all +cluster', '+cluster: cluster|addslot is restricted'],
    ['a restricted subcommand', 'on ~* -@all +client|list', '+client|list: client|list is restricted'],
    ['a double space', 'on  ~* +@all', 'empty token'],
  ])('make ElastiCache Serverless refuse %s', (_label, accessString, message) => {
    expect(validate(accessString, ELASTICACHE_SERVERLESS).errors.join('\n')).toContain(message);
  });

  it.each([
    ['a password', 'on >hunter2hunter2hunter2 ~* +@all', 'passwords cannot be specified'],
    ['reset', 'on reset ~* +@all', 'reset: password state is set through the service API'],
    ['a read/write key selector the page does not list', 'on %R~app:* -@all +get', '%R~app:*: not a documented'],
    ['MODULE', 'on ~* -@all +module', '+module: module is restricted'],
    ['an unknown token', 'on ~* allkeys +@all', 'allkeys: not a documented'],
  ])('make MemoryDB refuse %s', (_label, accessString, message) => {
    expect(validate(accessString, MEMORYDB).errors.join('\n')).toContain(message);
  });

  it('never echo a password it refuses', () => {
    expect(validate('on >hunter2hunter2hunter2 ~* +@all', MEMORYDB).errors.join('\n')).not.toContain('hunter2');
  });
});

describe.each([
  ['ElastiCache Serverless', ELASTICACHE_SERVERLESS, false],
  ['MemoryDB', MEMORYDB, false],
  ['MemoryDB with vector search', MEMORYDB, true],
  ['ElastiCache for Valkey with vector search', ELASTICACHE_NODE_BASED, true],
])('the cache user access string on %s', (_service, grammar, vectorSearch) => {
  const accessString = cacheUserAccessString(vectorSearch);

  it('uses only documented rules and no restricted command', () => {
    expect(validate(accessString, grammar).errors).toEqual([]);
  });

  it('relies on the Valkey ACL reference only for the CLUSTER subcommands a cluster client needs', () => {
    expect(validate(accessString, grammar).referenceOnly).toEqual(['+cluster|info', '+cluster|slots']);
  });
});

it('makes node-based ElastiCache refuse a restricted command but not the serverless-only ones', () => {
  expect(validate('on ~* -@all +save', ELASTICACHE_NODE_BASED).errors.join('\n')).toContain('+save: save is restricted');
  expect(validate('on ~* -@all +client|list', ELASTICACHE_NODE_BASED).errors).toEqual([]);
});

it('grants on ElastiCache for Valkey only FT commands its vector-search command list names', () => {
  const ft = cacheUserCommands(true).filter((command) => command.startsWith('ft.'));
  expect(ft.length).toBeGreaterThan(0);
  expect(ft.filter((command) => !ELASTICACHE_VECTOR_COMMANDS.has(command))).toEqual([]);
});

it('covers the search index document prefix with the user key pattern, which valkey-search checks on FT.CREATE and FT.SEARCH', () => {
  const { documentPrefix } = indexNames('amazon.titan-embed-text-v2:0', 1024);
  expect(documentPrefix.startsWith(CACHE_KEY_PREFIX)).toBe(true);
  expect(cacheUserAccessString(true).split(' ')).toContain(`~${CACHE_KEY_PREFIX}*`);
});

it('grants what a purge sends: SCAN on each master, UNLINK, and the EVAL whose script calls GET and UNLINK', () => {
  for (const vectorSearch of [false, true]) expect(cacheUserCommands(vectorSearch)).toEqual(expect.arrayContaining(['scan', 'unlink', 'eval', 'get']));
});

it('grants on ElastiCache Serverless only commands its supported-commands page lists', () => {
  expect(cacheUserCommands(false).filter((command) => !SERVERLESS_SUPPORTED.has(command))).toEqual([]);
});

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

  it('grants exactly the commands the runtime needs granted, scripts included', () => {
    expect([...granted].sort()).toEqual([...expected].sort());
    expect(cacheUserCommands(vectorSearch)).toEqual(granted);
  });

  it('leaves out what needs no grant: AUTH, and the CLIENT calls ioredis lets fail', () => {
    expect(granted.filter((command) => Object.keys(REDIS_COMMANDS_NOT_GRANTED).includes(command))).toEqual([]);
    expect(granted).not.toContain('auth');
    expect(granted.filter((command) => command.startsWith('client'))).toEqual([]);
  });

  it('holds no administrative command', () => {
    // ft.dropindex is granted on purpose: the runtime drops its own superseded index versions
    // (index-naming.ts); it keeps their documents, which the user could delete anyway. So is scan:
    // a purge walks the keyspace in batches (purge/redis-purge.ts); it lists key names only, and
    // UNLINK still reaches only keys under the prefix.
    const admin = ['flushall', 'flushdb', 'keys', 'config', 'debug', 'acl', 'module', 'shutdown', 'monitor', 'client', 'cluster', 'script', 'function', 'migrate', 'restore'];
    expect(granted.filter((command) => admin.includes(command))).toEqual([]);
  });

  it('gives every rule a reason', () => {
    const table = cacheUserAclRules(vectorSearch);
    expect(table.map((entry) => entry.rule).join(' ')).toBe(cacheUserAccessString(vectorSearch));
    for (const entry of table) expect(entry.reason.length).toBeGreaterThan(20);
  });
});

describe('search commands in the ACL', () => {
  it('are granted only where the server has vector search', () => {
    expect(cacheUserCommands(true)).toEqual(expect.arrayContaining(['ft.search', 'ft.create', 'ft._list', 'ft.dropindex']));
    expect(cacheUserCommands(false).filter((command) => command.startsWith('ft.'))).toEqual([]);
  });
});

describe('DISABLED_USER_ACCESS_STRING', () => {
  it('switches the required default user off with no commands, in documented syntax', () => {
    expect(DISABLED_USER_ACCESS_STRING).toBe('off -@all');
    expect(validate(DISABLED_USER_ACCESS_STRING, ELASTICACHE_SERVERLESS).errors).toEqual([]);
  });
});
