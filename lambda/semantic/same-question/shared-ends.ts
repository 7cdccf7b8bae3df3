import { codeUnitsOf } from './token-table';

const SPACE = 32;

/**
 * How many of an asked list's first and last items a stored list field repeats, found by comparing
 * the stored field with the asked one character by character from each end (no call into the
 * string builtins, no string cut out): a neighbour above the threshold usually repeats most of the
 * asked prompt's words in order, so only the run between the shared ends is read item by item.
 *
 * An asked list of `count` items is given by where its field is in a pool string (`at`, `length`)
 * and where each item begins in the field (`count` + 1 ints from `startsAt` of an Int32Array: item
 * i at `data[startsAt + i]`, then one past the field's end plus one; fillStarts writes them), so
 * that a verdict reads them from the one array and the one string its owner packs its tables in.
 */

/** Writes where each of the `count` items of `field` (joined by spaces, none holding one) begins into `data` from `startsAt`. */
export function fillStarts(field: string, count: number, data: Int32Array, startsAt: number): void {
  data[startsAt] = 0;
  for (let i = 1, at = 0; i <= count; i++) {
    at = field.indexOf(' ', at) + 1 || field.length + 1;
    data[startsAt + i] = at;
  }
}

/**
 * The most items k such that the stored field `stored[from, end)` begins with the asked field's
 * first k items, each followed by a space. Returns k; `prefixLength(k)` is the characters they take.
 */
export function sharedPrefix(data: Int32Array, startsAt: number, count: number, pool: string, poolUnits: Uint16Array, at: number, length: number, stored: string, units: Uint16Array, from: number, end: number): number {
  const same = commonPrefix(stored, units, from, pool, poolUnits, at, Math.min(length, end - from));
  if (same === length && same < end - from && units[from + same] === SPACE) return count;
  // The most k below count whose items fit in the characters shared (data[startsAt + k], rising with k).
  let low = 0;
  let high = count - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (data[startsAt + mid]! > same) high = mid - 1;
    else low = mid;
  }
  return Math.max(low, 0);
}

/**
 * The most items m such that the stored field `stored[from, end)` ends with the asked field's
 * last m items, each after a space, in at most `room` characters. Returns m; `suffixLength(m)`
 * is the characters they take.
 */
export function sharedSuffix(data: Int32Array, startsAt: number, count: number, pool: string, poolUnits: Uint16Array, at: number, length: number, stored: string, units: Uint16Array, from: number, end: number, room: number): number {
  const same = commonSuffix(stored, units, end, pool, poolUnits, at + length, Math.min(length, end - from));
  if (same === length && length + 1 <= room && same < end - from && units[end - 1 - same] === SPACE) return count;
  // The most m below count whose items fit in the characters shared and in the room (the field's length + 1 less where item count - m begins, rising with m).
  const fits = Math.min(same, room);
  let low = 0;
  let high = count - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (data[startsAt + count]! - data[startsAt + count - mid]! > fits) high = mid - 1;
    else low = mid;
  }
  return Math.max(low, 0);
}

/**
 * Below this many characters a span is compared code unit by code unit: a comparison of two spans
 * (sameSpan, about 40 ns whatever their length) halves the candidates, which saves a loop over a
 * quarter of them on average, about as long. Measured (A/B, first neighbour with other words): 128
 * a little better than 64, 256 and no span comparison at all.
 */
const WINDOW = 128;

/**
 * How many characters `stored[from, from + limit)` and `pool[at, at + limit)` share from their
 * start (`units`, `poolUnits`: their code units, CodeUnits): a binary search on spans (sameSpan)
 * while the candidates are many, then a loop on the code units.
 * (No first comparison of the whole: a field equal to the asked one is found before, by length.)
 */
export function commonPrefix(stored: string, units: Uint16Array, from: number, pool: string, poolUnits: Uint16Array, at: number, limit: number): number {
  let low = 0;
  let high = limit;
  while (high - low > WINDOW) {
    const mid = (low + high) >> 1;
    if (sameSpan(stored, from + low, pool, at + low, mid - low)) low = mid;
    else high = mid - 1;
  }
  while (low < high && units[from + low] === poolUnits[at + low]) low++;
  return low;
}

/** How many characters `stored[end - limit, end)` and `pool[poolEnd - limit, poolEnd)` share from their end, as commonPrefix. */
export function commonSuffix(stored: string, units: Uint16Array, end: number, pool: string, poolUnits: Uint16Array, poolEnd: number, limit: number): number {
  let low = 0;
  let high = limit;
  while (high - low > WINDOW) {
    const mid = (low + high) >> 1;
    if (sameSpan(stored, end - mid, pool, poolEnd - mid, mid - low)) low = mid;
    else high = mid - 1;
  }
  while (low < high && units[end - 1 - low] === poolUnits[poolEnd - 1 - low]) low++;
  return low;
}

/**
 * Whether `stored[from, from + chars)` and `pool[at, at + chars)` are one string. Two substrings
 * compared with `===` (the engine compares their characters at once; a substring of 13 or more
 * characters is a view, not a copy): about 40 ns, a character loop over 15 characters or so.
 */
export function sameSpan(stored: string, from: number, pool: string, at: number, chars: number): boolean {
  return stored.substring(from, from + chars) === pool.substring(at, at + chars);
}

/** The shared ends of one asked list given as a field of its own: the functions above, on a pool of that field alone. */
export class SharedEnds {
  private readonly starts: Int32Array;
  private readonly units: Uint16Array;

  /** `field`: the asked list of `count` items joined by spaces, its items holding no space. */
  constructor(
    private readonly field: string,
    private readonly count: number,
  ) {
    this.starts = new Int32Array(count + 1);
    fillStarts(field, count, this.starts, 0);
    this.units = codeUnitsOf(field);
  }

  /** sharedPrefix: the most first items the stored field repeats, each followed by a space. */
  prefix(stored: string, from: number, end: number): number {
    return sharedPrefix(this.starts, 0, this.count, this.field, this.units, 0, this.field.length, stored, codeUnitsOf(stored), from, end);
  }

  /** sharedSuffix: the most last items the stored field repeats, each after a space, in at most `room` characters. */
  suffix(stored: string, from: number, end: number, room: number): number {
    return sharedSuffix(this.starts, 0, this.count, this.field, this.units, 0, this.field.length, stored, codeUnitsOf(stored), from, end, room);
  }

  /** The characters the first k items take with a space after each. */
  prefixLength(k: number): number {
    return this.starts[k]!;
  }

  /** The characters the last m items take with a space before each. */
  suffixLength(m: number): number {
    return this.starts[this.count]! - this.starts[this.count - m]!;
  }
}
