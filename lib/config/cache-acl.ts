import { KEY_PREFIX } from '../../lambda/core/keys';
import { REDIS_COMMANDS_USED } from '../../lambda/redis/commands-used';

/**
 * The cache user's ACL access string, for the ElastiCache Serverless user and the MemoryDB users
 * (both services take Redis 7 ACL syntax: `on`, `~pattern`, `-@all`, `+cmd`, `+cmd|subcommand`;
 * neither accepts passwords or `reset` in the string).
 *
 * Least privilege, built from the one list of what the runtime sends
 * (`lambda/redis/commands-used.ts`): only keys under the runtime's prefix, only those commands,
 * no category grants. The FT.* commands are granted only where the server has vector search.
 */

/** Every key the runtime writes starts with this prefix. */
export const CACHE_KEY_PREFIX = KEY_PREFIX;

/** The commands granted to the cache user of a backend with or without server-side vector search. */
export function cacheUserCommands(vectorSearch: boolean): readonly string[] {
  const groups = Object.entries(REDIS_COMMANDS_USED)
    .filter(([group]) => vectorSearch || group !== 'search')
    .flatMap(([, commands]) => commands);
  return [...new Set(groups)];
}

/** Access string of the cache's application user. */
export function cacheUserAccessString(vectorSearch: boolean): string {
  return ['on', `~${CACHE_KEY_PREFIX}*`, '-@all', ...cacheUserCommands(vectorSearch).map((command) => `+${command}`)].join(' ');
}

/** Access string of the `default`-named user ElastiCache requires in a user group: switched off. */
export const DISABLED_USER_ACCESS_STRING = 'off -@all';
