import { LOCK_MARKER_PREFIX } from '../../../core/entry';
import { isEntryKey } from '../../../core/purge-keys';
import { keySlot } from '../cluster/key-slot';
import type { RedisCommands } from '../connection/redis-commands';
import { withRetry } from './retry';

/**
 * Commands of a batch in flight at once. Each waits behind the ones before it on the connection,
 * and the client's command timeout (`CACHE_TIMEOUT_MS`, 250 ms by default) counts that wait: a
 * whole batch of per-key commands at once (a cluster's exact keys) could exceed it on a loaded
 * server. @default 256
 */
export const IN_FLIGHT = 256;

/**
 * Removes entry-form keys (`llmcache:v1:<ns>:<id>`) and tells an entry from a single-flight lock
 * marker (`{"lock":...}`) in the same step, so `entries` counts exactly the answers removed even
 * while locks come and go. KEYS share one hash slot (the caller groups them). Replies
 * `{entries, removed}`.
 */
export const UNLINK_ENTRIES = `local entries, removed = 0, 0
for _, key in ipairs(KEYS) do
  local value = redis.pcall('GET', key)
  if redis.call('UNLINK', key) == 1 then
    removed = removed + 1
    if type(value) == 'string' and string.sub(value, 1, ${LOCK_MARKER_PREFIX.length}) ~= '${LOCK_MARKER_PREFIX}' then entries = entries + 1 end
  end
end
return {entries, removed}`;

/** What one batch removed: answers (`entries`) and keys of every kind (`keys`). */
export interface Removed {
  readonly entries: number;
  readonly keys: number;
}

/**
 * Unlinks `keys` (already checked to be `namespace`'s). Entry-form keys go through
 * `UNLINK_ENTRIES`, every other key through UNLINK. On a cluster each command carries the keys of
 * one hash slot only (a multi-key command must; exact keys have no hash tag, so they mostly go one
 * by one, while a client-side index scope's keys share their `{scope}` tag); on a standalone server
 * one command of each kind takes the whole batch. Up to `IN_FLIGHT` commands are sent together
 * (ioredis writes each at once, so they travel pipelined); a transient failure is retried.
 */
export async function unlinkGroups(client: RedisCommands, keys: readonly string[], namespace: string, cluster: boolean): Promise<Removed> {
  const entryKeys = new Map<number, string[]>();
  const otherKeys = new Map<number, string[]>();
  for (const key of new Set(keys)) {
    const groups = isEntryKey(key, namespace) ? entryKeys : otherKeys;
    const slot = cluster ? keySlot(key) : 0;
    const group = groups.get(slot);
    if (group === undefined) groups.set(slot, [key]);
    else group.push(key);
  }
  const commands: (() => Promise<Removed>)[] = [
    ...[...entryKeys.values()].map((group) => () => client.eval(UNLINK_ENTRIES, group.length, ...group).then(entryReply)),
    ...[...otherKeys.values()].map((group) => () => client.call('unlink', ...group).then((removed) => ({ entries: 0, keys: Number(removed) }))),
  ];
  let entries = 0;
  let removed = 0;
  for (let start = 0; start < commands.length; start += IN_FLIGHT) {
    for (const reply of await Promise.all(commands.slice(start, start + IN_FLIGHT).map((command) => withRetry(command)))) {
      entries += reply.entries;
      removed += reply.keys;
    }
  }
  return { entries, keys: removed };
}

function entryReply(reply: unknown): Removed {
  if (!Array.isArray(reply) || reply.length !== 2) throw new Error('unexpected reply of the purge script');
  return { entries: Number(reply[0]), keys: Number(reply[1]) };
}
