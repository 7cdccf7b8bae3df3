import { exactKey, toConverseRequest } from '../lambda/core/keys';
import { parseRequest } from '../lambda/core/request';
import { median } from './stats';
import { HIT_PROMPT, type HitVariants } from './variants';

/**
 * How fast the hit's own CPU work runs depending on what came just before it. The work is what the
 * library does before its GET (validate the request, canonical JSON, SHA-256 of the key), timed
 * back to back, right after the floor's round trip (the process waited on the socket), and right
 * after a busy wait of about as long (no wait on the socket, same time passed). On a machine whose
 * cores idle during a round trip, code right after one runs slower, so every microsecond of CPU on
 * the hit path costs more than a microsecond of the hit's latency.
 */
export interface IdlePenalty {
  readonly samples: number;
  /** Medians, µs. */
  readonly backToBackUs: number;
  readonly afterRoundTripUs: number;
  readonly afterBusyWaitUs: number;
  /** The busy wait's length: the floor's median round trip, measured first. */
  readonly busyWaitUs: number;
}

export async function measureIdlePenalty(variants: HitVariants, samples = 3000): Promise<IdlePenalty> {
  const config = variants.runtime.config;
  const input = { prompt: HIT_PROMPT, mode: 'standard' };
  const work = (): string => {
    const request = parseRequest(input, config);
    return exactKey(request.namespace, toConverseRequest(request));
  };
  const timed = (): number => {
    const start = performance.now();
    work();
    return (performance.now() - start) * 1000;
  };
  const roundTrips: number[] = [];
  for (let i = 0; i < 500; i++) {
    const start = performance.now();
    await variants.floor.hit();
    roundTrips.push((performance.now() - start) * 1000);
  }
  const busyWaitUs = median(roundTrips);
  const backToBack: number[] = [];
  const afterRoundTrip: number[] = [];
  const afterBusyWait: number[] = [];
  for (let i = 0; i < samples; i++) {
    work();
    backToBack.push(timed());
    await variants.floor.hit();
    afterRoundTrip.push(timed());
    const until = performance.now() + busyWaitUs / 1000;
    while (performance.now() < until);
    afterBusyWait.push(timed());
  }
  return { samples, backToBackUs: median(backToBack), afterRoundTripUs: median(afterRoundTrip), afterBusyWaitUs: median(afterBusyWait), busyWaitUs };
}
