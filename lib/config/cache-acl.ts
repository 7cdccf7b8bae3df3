import { KEY_PREFIX } from '../../lambda/core/keys';
import { REDIS_COMMANDS_USED } from '../../lambda/backends/redis/connection/commands-used';

/**
 * The cache user's ACL access string, for the ElastiCache users (serverless and the node-based
 * Valkey search cluster) and the MemoryDB users.
 *
 * Built only from rule forms the services document (sources in docs/aws-facts.md, "ACL access
 * strings"): `on`, `~pattern`, `-@all` and `+command` are on both services' pages;
 * `+command|subcommand` comes from the Valkey ACL page both link for the syntax (ElastiCache's own
 * page shows `|` only in the blocking form `-config|set`). No password, `reset` or `nopass`, which
 * both forbid in the string.
 *
 * Least privilege, from the one list of what the runtime needs granted
 * (`lambda/backends/redis/connection/commands-used.ts`): only keys under the runtime's prefix,
 * only those commands, no category grants. FT.* is granted by name only where the server has
 * vector search; valkey-search also requires the key pattern to cover the index's prefix, which
 * `~llmcache:*` does.
 */

/** Every key the runtime writes starts with this prefix. */
export const CACHE_KEY_PREFIX = KEY_PREFIX;

/** One rule of an access string and why it is there. */
export interface AclRule {
  readonly rule: string;
  readonly reason: string;
}

/** Why each group of `REDIS_COMMANDS_USED` is granted; the group's doc comment has the detail. */
const GROUP_REASONS: Readonly<Record<keyof typeof REDIS_COMMANDS_USED, string>> = {
  connection: 'ioredis ready checks and the cluster slot map',
  entries: 'exact entries and the single-flight lock',
  scripted: 'called inside the runtime Lua scripts, which the ACL checks too',
  search: 'server-side vector search (only where the server has it)',
  clientIndex: 'client-side semantic index: vectors, change log, TTL upkeep',
  removal: 'removing one entry and its FT document (the invalidate action)',
  purge: 'purge of a namespace: SCAN each master, UNLINK what belongs to it',
};

/** The commands granted to the cache user of a backend with or without server-side vector search. */
export function cacheUserCommands(vectorSearch: boolean): readonly string[] {
  return [...new Set(commandRules(vectorSearch).map((entry) => entry.rule.slice(1)))];
}

function commandRules(vectorSearch: boolean): AclRule[] {
  const seen = new Set<string>();
  const rules: AclRule[] = [];
  for (const [group, commands] of Object.entries(REDIS_COMMANDS_USED) as [keyof typeof REDIS_COMMANDS_USED, readonly string[]][]) {
    if (group === 'search' && !vectorSearch) continue;
    for (const command of commands) {
      if (seen.has(command)) continue;
      seen.add(command);
      rules.push({ rule: `+${command}`, reason: `${group}: ${GROUP_REASONS[group]}` });
    }
  }
  return rules;
}

/** The cache user's rules in order, each with its reason. */
export function cacheUserAclRules(vectorSearch: boolean): readonly AclRule[] {
  return [
    { rule: 'on', reason: 'enabled: a string without on or off leaves the user off (both services)' },
    { rule: `~${CACHE_KEY_PREFIX}*`, reason: 'only keys under the runtime prefix (entries, locks, vectors, change logs, search documents)' },
    { rule: '-@all', reason: 'start from no command; everything after is granted by name' },
    ...commandRules(vectorSearch),
  ];
}

/** Access string of the cache's application user. */
export function cacheUserAccessString(vectorSearch: boolean): string {
  return cacheUserAclRules(vectorSearch).map((entry) => entry.rule).join(' ');
}

/** Access string of the `default`-named user ElastiCache requires in a Redis-engine user group: switched off. */
export const DISABLED_USER_ACCESS_STRING = 'off -@all';
