const SPACE = 32;

/**
 * How many of an asked list's first and last items a stored list field repeats, found by comparing
 * the stored field with the asked one character by character from each end (no call into the
 * string builtins, no string cut out): a neighbour above the threshold usually repeats most of the
 * asked prompt's words in order, so only the run between the shared ends is read item by item.
 */
export class SharedEnds {
  /** Where each item begins in the field; `starts[n]` is one past the field's end. */
  private readonly starts: number[] = [0];

  /** `field`: the asked list of `count` items joined by spaces, its items holding no space. */
  constructor(
    private readonly field: string,
    private readonly count: number,
  ) {
    for (let i = 1, at = 0; i <= count; i++) {
      at = field.indexOf(' ', at) + 1 || field.length + 1;
      this.starts.push(at);
    }
  }

  /**
   * The most items k such that the stored field `stored[from, end)` begins with the asked field's
   * first k items, each followed by a space. Returns k; `prefixLength(k)` is the characters they take.
   */
  prefix(stored: string, from: number, end: number): number {
    const field = this.field;
    const limit = Math.min(field.length, end - from);
    let same = 0;
    while (same < limit && stored.charCodeAt(from + same) === field.charCodeAt(same)) same++;
    if (same === field.length && same < end - from && stored.charCodeAt(from + same) === SPACE) return this.count;
    let k = this.count - 1;
    while (k > 0 && this.starts[k]! > same) k--;
    return Math.max(k, 0);
  }

  /**
   * The most items m such that the stored field `stored[from, end)` ends with the asked field's
   * last m items, each after a space, in at most `room` characters. Returns m; `suffixLength(m)`
   * is the characters they take.
   */
  suffix(stored: string, from: number, end: number, room: number): number {
    const field = this.field;
    const limit = Math.min(field.length, end - from);
    let same = 0;
    while (same < limit && stored.charCodeAt(end - 1 - same) === field.charCodeAt(field.length - 1 - same)) same++;
    if (same === field.length && field.length + 1 <= room && same < end - from && stored.charCodeAt(end - 1 - same) === SPACE) return this.count;
    let m = this.count - 1;
    while (m > 0 && (this.suffixLength(m) > same || this.suffixLength(m) > room)) m--;
    return Math.max(m, 0);
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
