import { performance } from 'node:perf_hooks';
import { namespaceOfKey } from '../../../core/key-layout';
import { namespaceScanPattern } from '../../../core/purge-keys';
import type { PurgeResult } from '../../backend';
import type { RedisCommands } from '../connection/redis-commands';
import { withRetry } from './retry';
import { scanTargets, type ScanTarget } from './scan-targets';
import { unlinkGroups } from './unlink-groups';

/** SCAN's COUNT: keys the server looks at per call (a hint), so one batch holds about this many keys at most. */
export const DEFAULT_SCAN_COUNT = 1000;

export interface PurgeOptions {
  /** SCAN COUNT. @default 1000 */
  readonly count?: number;
  /** The clock `deadline` is read on. @default performance.now */
  readonly now?: () => number;
}

/**
 * Removes every key of `namespace` (see `key-layout.ts`) from a standalone server or from every
 * master a cluster client sees: each master is walked with SCAN MATCH COUNT, one batch at a time
 * (only one batch of key names is ever held), each match is checked with the key-layout parser,
 * and the batch is unlinked, grouped by hash slot on a cluster. Writers may keep writing meanwhile:
 * SCAN returns every key present for the whole walk, so every key written before the purge started
 * and not removed by someone else is found; keys written during it may or may not be. Stops before
 * the next SCAN call once `deadline` (on `options.now`) has passed, with `complete: false`; a rerun
 * walks again and finds what is left.
 */
export async function purgeNamespace(client: RedisCommands, namespace: string, deadline?: number, options: PurgeOptions = {}): Promise<PurgeResult> {
  const pattern = namespaceScanPattern(namespace); // throws InvalidRequestError on a namespace no request may name
  const count = options.count ?? DEFAULT_SCAN_COUNT;
  const now = options.now ?? (() => performance.now());
  const totals = { entries: 0, keys: 0 };
  const { targets, cluster } = scanTargets(client);
  for (const target of targets) {
    const complete = await purgeTarget(target, async (batch) => {
      const ours = batch.filter((key) => namespaceOfKey(key) === namespace);
      const removed = await unlinkGroups(client, ours, namespace, cluster);
      totals.entries += removed.entries;
      totals.keys += removed.keys;
    }, { pattern, count, deadline, now });
    if (!complete) return { ...totals, complete: false };
  }
  return { ...totals, complete: true };
}

/** Walks one server's keyspace; false when the deadline stopped it. */
async function purgeTarget(
  target: ScanTarget,
  remove: (batch: string[]) => Promise<void>,
  walk: { pattern: string; count: number; deadline: number | undefined; now: () => number },
): Promise<boolean> {
  let cursor = '0';
  do {
    if (walk.deadline !== undefined && walk.now() >= walk.deadline) return false;
    const [next, keys] = scanReply(await withRetry(() => target.call('scan', cursor, 'MATCH', walk.pattern, 'COUNT', walk.count)));
    cursor = next;
    if (keys.length > 0) await remove(keys);
  } while (cursor !== '0');
  return true;
}

/** `[cursor, [key, ...]]`, as SCAN answers. */
function scanReply(reply: unknown): [string, string[]] {
  if (!Array.isArray(reply) || reply.length !== 2 || !Array.isArray(reply[1])) throw new Error('unexpected SCAN reply');
  return [String(reply[0]), (reply[1] as unknown[]).map(String)];
}
