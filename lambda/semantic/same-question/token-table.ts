/**
 * A fixed set of strings (an asked prompt's words, roles and sequence items), found by a span of
 * another string without cutting it out: the verdict on a stored form reads its lists in place, so
 * a neighbour costs no array and no string per item. Open addressing on FNV-1a hashes; built once
 * per asked prompt (while its embedding is in flight), then only read.
 *
 * The table lives in an Int32Array its owner allocates with the rest of its tables (`TABLE_SLOT`
 * ints per slot: id + 1, 0 for an empty slot; the string's hash; where it begins in the owner's
 * pool string; its length), and each string is read from that pool: a verdict on a check built
 * long before (its tables out of the processor's cache) touches one cache line per slot probed and
 * one in the pool, where separate arrays and one heap string per key cost a cache miss each. The
 * reading loop is plain character-code work (no call per item into the string builtins, whose cost
 * per call outweighs an item of a few letters).
 */

/** Ints per slot: id + 1 (0: empty), hash, where the string begins in the pool, its length. */
export const TABLE_SLOT = 4;

/**
 * After the slots, a filter of 1024 bits (32 ints, two cache lines), one set per string by ten
 * bits of its hash (others than the slot's): a stored item whose bit is clear is no string of the
 * table, found so without reading a slot. A stored word the asked prompt lacks (the words a
 * neighbour with other content words adds or swaps) is usually found so, and a slot read is a
 * cache miss on a check made long before (about 0.1 µs each, measured).
 */
const FILTER_INTS = 32;

/** The ints a table of `slots` slots takes (its slots, then its filter). */
export function tableInts(slots: number): number {
  return slots * TABLE_SLOT + FILTER_INTS;
}

/** The filter's bit for `hash`: bits 20 to 29. */
function filterBit(hash: number): number {
  return (hash >>> 20) & 1023;
}

/** Slots for at most `strings` strings: a power of two, at least twice as many. */
export function tableSlots(strings: number): number {
  let size = 8;
  while (size < strings * 2) size *= 2;
  return size;
}

/**
 * Fills a table in `data[0, tableInts(slots))` (zeroed), string by string; gives ids in order of
 * first occurrence. A string is either at a known place in the pool its owner builds (`at`) or
 * appended to the extras, a part of the pool that begins at `extrasAt` (joined by spaces).
 */
export class TableBuilder {
  /** The strings, by id. */
  readonly keys: string[] = [];
  private readonly extras: string[] = [];
  private extrasLength = 0;
  private readonly mask: number;
  private readonly filterAt: number;

  constructor(
    private readonly data: Int32Array,
    slots: number,
    private readonly extrasAt: number,
  ) {
    this.mask = slots - 1;
    this.filterAt = slots * TABLE_SLOT;
  }

  /** The id of `key` (added when new, found at `at` in the pool, or appended to the extras when `at` is -1). */
  add(key: string, at: number): number {
    const data = this.data;
    const hash = hashOf(key, 0, key.length);
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const s = slot * TABLE_SLOT;
      const id = data[s]! - 1;
      if (id === -1) {
        let where = at;
        if (where === -1) {
          where = this.extrasAt + this.extrasLength;
          this.extras.push(key);
          this.extrasLength += key.length + 1;
        }
        const bit = filterBit(hash);
        data[this.filterAt + (bit >> 5)] |= 1 << (bit & 31);
        data[s] = this.keys.length + 1;
        data[s + 1] = hash;
        data[s + 2] = where;
        data[s + 3] = key.length;
        this.keys.push(key);
        return this.keys.length - 1;
      }
      if (data[s + 1] === hash && this.keys[id] === key) return id;
    }
  }

  /** The id of `key`, or -1. */
  idOf(key: string): number {
    const data = this.data;
    const hash = hashOf(key, 0, key.length);
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const s = slot * TABLE_SLOT;
      const id = data[s]! - 1;
      if (id === -1) return -1;
      if (data[s + 1] === hash && this.keys[id] === key) return id;
    }
  }

  /** The extras' part of the pool. */
  get extrasText(): string {
    return this.extras.join(' ');
  }
}

/**
 * Reads the list field `text[from, end)` (code units: CodeUnits) as decoding splits it (no item when empty, else one
 * per space and one more): the id of each item (-1 for a string the table in `data` does not
 * hold, its `mask` the slots less one, its strings in `pool`, as code units) and where the item begins and ends,
 * into `items`. Returns the number of items. A run inside a field (`whole` false) holds one item
 * when empty.
 *
 * `expected` names the asked items the run most likely repeats, in order (their ids and starts
 * in `data`, their field at `fieldAt` in the pool; see ExpectedItems): an item equal to the next
 * of them takes its id without a look-up, so a run that adds or swaps a word or two reads the
 * table only for those (each look-up is a cache miss on a check made long before, the next asked
 * item is beside the characters just compared).
 */
export function readItems(data: Int32Array, mask: number, pool: Uint16Array, text: Uint16Array, from: number, end: number, items: Items, whole: boolean, expected: ExpectedItems): number {
  if (whole && from === end) return 0;
  const { idsAt, startsAt, fieldAt, last } = expected;
  let next = expected.first;
  let count = 0;
  let start = from;
  let hash = SEED;
  for (let i = from; ; i++) {
    const code = i < end ? text[i]! : SPACE;
    if (code !== SPACE) {
      hash = Math.imul(hash ^ code, PRIME);
      continue;
    }
    let id = -1;
    if (next < last && data[startsAt + next + 1]! - data[startsAt + next]! - 1 === i - start && sameChars(pool, fieldAt + data[startsAt + next]!, text, start, i - start)) {
      id = data[idsAt + next]!;
      next++;
    } else {
      id = findId(data, mask, pool, text, start, i, hash);
      // An asked item dropped or swapped: the one after it comes next.
      if (next + 1 < last && id === data[idsAt + next + 1]) next += 2;
    }
    items.put(count++, id, start, i);
    if (i >= end) return count;
    start = i + 1;
    hash = SEED;
  }
}

/**
 * The asked items a read run most likely repeats: items [first, last) of an asked list whose ids
 * begin at `idsAt` and item starts at `startsAt` in the table's array, its field at `fieldAt` in
 * the pool. None when `first` is not below `last`.
 */
export interface ExpectedItems {
  idsAt: number;
  startsAt: number;
  fieldAt: number;
  first: number;
  last: number;
}

/** Whether `pool[at, at + length)` and `text[start, start + length)` are one string. */
function sameChars(pool: Uint16Array, at: number, text: Uint16Array, start: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (pool[at + i] !== text[start + i]) return false;
  return true;
}

/** The id of the string equal to `text[start, end)`, whose hash is `hash`, or -1. */
function findId(data: Int32Array, mask: number, pool: Uint16Array, text: Uint16Array, start: number, end: number, hash: number): number {
  const bit = filterBit(hash);
  if ((data[(mask + 1) * TABLE_SLOT + (bit >> 5)]! & (1 << (bit & 31))) === 0) return -1;
  const length = end - start;
  for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
    const s = slot * TABLE_SLOT;
    const id = data[s]! - 1;
    if (id === -1) return -1;
    if (data[s + 1] !== hash || data[s + 3] !== length) continue;
    const at = data[s + 2]!;
    let i = 0;
    while (i < length && pool[at + i] === text[start + i]) i++;
    if (i === length) return id;
  }
}

/** The items of one list field read by readItems: reused from read to read. */
export class Items {
  ids = new Int32Array(64);
  starts = new Int32Array(64);
  ends = new Int32Array(64);

  /** Item `at`: its id, where it begins and ends. */
  put(at: number, id: number, start: number, end: number): void {
    if (at === this.ids.length) this.grow();
    this.ids[at] = id;
    this.starts[at] = start;
    this.ends[at] = end;
  }

  /** Twice the room, the items read so far kept. */
  private grow(): void {
    const size = this.ids.length * 2;
    const ids = new Int32Array(size);
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    ids.set(this.ids);
    starts.set(this.starts);
    ends.set(this.ends);
    this.ids = ids;
    this.starts = starts;
    this.ends = ends;
  }
}

/**
 * A string's UTF-16 code units in a Uint16Array, copied by the engine (Buffer#write, `utf16le`:
 * every code unit as it is, lone surrogates included): a loop over a typed array reads a unit in
 * about a third of the time `charCodeAt` takes (which tells the string's kind apart at every
 * call), so the verdict copies a stored form once (about 0.1 µs for 700 characters) and reads the
 * copy. `of` reuses one buffer; codeUnitsOf makes one to keep.
 */
export class CodeUnits {
  private bytes = Buffer.allocUnsafeSlow(4096);
  private units = unitsOf(this.bytes);

  /** The code units of `text`, from 0 (valid until the next call). */
  of(text: string): Uint16Array {
    if (text.length > this.units.length) {
      this.bytes = Buffer.allocUnsafeSlow(text.length * 4);
      this.units = unitsOf(this.bytes);
    }
    return write(text, this.bytes, this.units);
  }
}

/** The code units of `text`, in an array of their own. */
export function codeUnitsOf(text: string): Uint16Array {
  const bytes = Buffer.allocUnsafe(text.length * 2 + 2);
  return write(text, bytes, unitsOf(bytes));
}

/** A Uint16Array over `bytes` (Buffer.allocUnsafe's offsets in its pool are multiples of 8). */
function unitsOf(bytes: Buffer): Uint16Array {
  return new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length >> 1);
}

/** Little-endian (the code units `utf16le` writes read back as they are), else written one by one. */
const LITTLE_ENDIAN = new Uint16Array(new Uint8Array([1, 0]).buffer)[0] === 1;

function write(text: string, bytes: Buffer, units: Uint16Array): Uint16Array {
  if (LITTLE_ENDIAN) bytes.write(text, 0, 'utf16le');
  else for (let i = 0; i < text.length; i++) units[i] = text.charCodeAt(i);
  return units;
}

const SPACE = 32;
const SEED = 0x811c9dc5 | 0;
const PRIME = 0x01000193;

/** 32-bit FNV-1a of `text[start, end)`. */
function hashOf(text: string, start: number, end: number): number {
  let hash = SEED;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), PRIME);
  return hash;
}
