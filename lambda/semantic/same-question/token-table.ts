/**
 * A fixed set of strings (an asked prompt's words, roles and sequence items), found by a span of
 * another string without cutting it out: the verdict on a stored form reads its lists in place, so
 * a neighbour costs no array and no string per item. Open addressing on FNV-1a hashes; built once
 * per asked prompt (while its embedding is in flight), then only read. The reading loop is plain
 * character-code work (no call per item into the string builtins, whose cost per call outweighs an
 * item of a few letters).
 */
export class TokenTable {
  /** The strings, by id (their index in the list given, first occurrence). */
  readonly keys: readonly string[];
  /** Per id, its hash's low 30 bits (a small integer, as the slots hold: plain arrays, cheap to make per request). */
  private readonly hashes: number[] = [];
  private readonly slots: number[];
  private readonly mask: number;

  constructor(strings: readonly string[]) {
    const keys: string[] = [];
    this.keys = keys;
    let size = 8;
    while (size < strings.length * 2) size *= 2;
    this.slots = new Array<number>(size).fill(-1);
    this.mask = size - 1;
    for (const key of strings) {
      const hash = hashOf(key, 0, key.length);
      if (this.find(key, 0, key.length, hash) !== -1) continue;
      let slot = hash & this.mask;
      while (this.slots[slot] !== -1) slot = (slot + 1) & this.mask;
      this.slots[slot] = keys.length;
      this.hashes.push(hash & SMALL);
      keys.push(key);
    }
  }

  /** How many distinct strings it holds. */
  get size(): number {
    return this.keys.length;
  }

  /** The id of `key`, or -1. */
  idOf(key: string): number {
    return this.find(key, 0, key.length, hashOf(key, 0, key.length));
  }

  /**
   * Reads the list field `text[from, end)` as decoding splits it (no item when empty, else one
   * per space and one more): the id of each item (-1 for a string it does not hold) and where
   * the item begins and ends, into `items`. Returns the number of items. A run inside a field
   * (`whole` false) holds one item when empty.
   */
  read(text: string, from: number, end: number, items: Items, whole = true): number {
    if (whole && from === end) return 0;
    let count = 0;
    let start = from;
    let hash = SEED;
    for (let i = from; i < end; i++) {
      const code = text.charCodeAt(i);
      if (code !== SPACE) {
        hash = Math.imul(hash ^ code, PRIME);
        continue;
      }
      items.put(count++, this.find(text, start, i, hash), start, i);
      start = i + 1;
      hash = SEED;
    }
    items.put(count++, this.find(text, start, end, hash), start, end);
    return count;
  }

  /** The id of the string equal to `text[start, end)`, whose hash is `hash`, or -1. */
  private find(text: string, start: number, end: number, hash: number): number {
    const length = end - start;
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const id = this.slots[slot]!;
      if (id === -1) return -1;
      if (this.hashes[id] !== (hash & SMALL)) continue;
      const key = this.keys[id]!;
      if (key.length !== length) continue;
      let i = 0;
      while (i < length && key.charCodeAt(i) === text.charCodeAt(start + i)) i++;
      if (i === length) return id;
    }
  }
}

/** The items of one list field read by TokenTable.read: reused from read to read. */
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

const SPACE = 32;
/** The low 30 bits: a small integer. */
const SMALL = 0x3fffffff;
const SEED = 0x811c9dc5 | 0;
const PRIME = 0x01000193;

/** 32-bit FNV-1a of `text[start, end)`. */
function hashOf(text: string, start: number, end: number): number {
  let hash = SEED;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), PRIME);
  return hash;
}
