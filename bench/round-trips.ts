import type Redis from 'ioredis';
import type { HitVariant, HitVariants } from './variants';

export interface RoundTripRow {
  readonly variant: HitVariant['id'];
  readonly label: string;
  readonly hits: number;
  /** Commands the server executed per hit (all commands, from `INFO commandstats` deltas). */
  readonly commandsPerHit: number;
  /** Per command name: calls per hit. */
  readonly byCommand: Readonly<Record<string, number>>;
}

/** Commands the measurement itself sends; never counted. */
const OWN_COMMANDS = new Set(['config|resetstat', 'config', 'info']);

/** Parses `INFO commandstats` into calls per command (`cmdstat_get:calls=3,...` -> { get: 3 }). */
export function parseCommandStats(info: string): Record<string, number> {
  const calls: Record<string, number> = {};
  for (const line of info.split(/\r?\n/)) {
    const match = /^cmdstat_([^:]+):calls=(\d+)/.exec(line);
    if (match) calls[match[1]!] = Number(match[2]);
  }
  return calls;
}

async function countCommands(admin: Redis, variant: HitVariant, hits: number): Promise<RoundTripRow> {
  await admin.config('RESETSTAT');
  variant.begin?.();
  try {
    for (let i = 0; i < hits; i++) await variant.hit();
  } finally {
    variant.end?.();
  }
  const stats = parseCommandStats(await admin.info('commandstats'));
  const byCommand: Record<string, number> = {};
  let total = 0;
  for (const [name, calls] of Object.entries(stats)) {
    if (OWN_COMMANDS.has(name)) continue;
    byCommand[name] = calls / hits;
    total += calls;
  }
  return { variant: variant.id, label: variant.label, hits, commandsPerHit: total / hits, byCommand };
}

/**
 * Round trips per standard hit, counted on the server: `CONFIG RESETSTAT`, K sequential hits of
 * one variant, then `INFO commandstats`. Nothing else talks to the server meanwhile, and every
 * command here is its own round trip (none of the variants pipelines a hit). The handler rows
 * count too: parsing the event, logging and EMF must not add a command.
 */
export async function runRoundTrips(variants: HitVariants, admin: Redis, handlerRows: readonly HitVariant[] = [], hits = 500): Promise<RoundTripRow[]> {
  const rows: RoundTripRow[] = [];
  for (const variant of [variants.floor, variants.ours, variants.langchain, ...handlerRows]) rows.push(await countCommands(admin, variant, hits));
  return rows;
}
