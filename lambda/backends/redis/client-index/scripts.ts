import { APPEND_REJECTED_ASKER } from '../rejected-askers';

/**
 * Stores a document in one round trip, atomically, in the scope's slot:
 * KEYS[1] document (float32 vector + answer, with the entry's TTL), KEYS[2] change log,
 * KEYS[3] the document's rejections (`REJECT_DOCUMENT`): a re-store (a refresh) keeps them, with
 * the new TTL, since it replaces the answer, not the question; PEXPIRE of an absent key does nothing.
 * ARGV: document bytes, TTL ms, log cap, id, quantized vector, expires-at ms.
 * The log keeps the TTL of its longest-lived entry, so an abandoned scope vanishes.
 * The commands it calls (SET, XADD, PTTL, PEXPIRE) are in `REDIS_COMMANDS_USED`: an ACL checks them too.
 */
export const STORE_DOCUMENT = `redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'd', ARGV[4], 'q', ARGV[5], 'x', ARGV[6])
if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
redis.call('PEXPIRE', KEYS[3], ARGV[2])
return 1`;

/**
 * Removes a document (the invalidate action) in one round trip, atomically, in the scope's slot:
 * KEYS[1] document, KEYS[2] change log, KEYS[3] its rejections. ARGV: log cap, id.
 * When the document existed, a delete record (`r` = id) goes to the log, so every container drops
 * the vector at its next catch-up; only to a log that exists (PTTL > 0: a log is never without
 * its TTL), so a removal never creates a log that would not expire. Answers 1 when the document existed.
 * Calls DEL, PTTL, XADD (`REDIS_COMMANDS_USED`).
 */
export const REMOVE_DOCUMENT = `local existed = redis.call('DEL', KEYS[1])
redis.call('DEL', KEYS[3])
if existed == 1 and redis.call('PTTL', KEYS[2]) > 0 then
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1], '*', 'r', ARGV[2])
end
return existed`;

/**
 * Records an asker on a document's rejections (the reject action), atomically:
 * KEYS[1] document, KEYS[2] its rejections (space-separated askers, oldest first).
 * ARGV: asker, most askers kept. Answers 0 when the document is gone (nothing written), else 1.
 * The rejections get the document's remaining TTL, so they go with it; an asker already there is
 * not added twice; past the bound the oldest are dropped. Calls PTTL, GET, SET (`REDIS_COMMANDS_USED`).
 */
export const REJECT_DOCUMENT = `local ttl = redis.call('PTTL', KEYS[1])
if ttl == -2 then return 0 end
local held = redis.call('GET', KEYS[2])
${APPEND_REJECTED_ASKER}
if ttl > 0 then redis.call('SET', KEYS[2], value, 'PX', ttl) else redis.call('SET', KEYS[2], value) end
return 1`;
