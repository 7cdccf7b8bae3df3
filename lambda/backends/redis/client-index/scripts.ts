/**
 * Stores a document in one round trip, atomically, in the scope's slot:
 * KEYS[1] document (float32 vector + answer, with the entry's TTL), KEYS[2] change log.
 * ARGV: document bytes, TTL ms, log cap, id, quantized vector, expires-at ms.
 * The log keeps the TTL of its longest-lived entry, so an abandoned scope vanishes.
 * The commands it calls (SET, XADD, PTTL, PEXPIRE) are in `REDIS_COMMANDS_USED`: an ACL checks them too.
 */
export const STORE_DOCUMENT = `redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'd', ARGV[4], 'q', ARGV[5], 'x', ARGV[6])
if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
return 1`;
