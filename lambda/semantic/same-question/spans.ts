/**
 * The backticked and quoted spans of a prompt, taken out before the scanner reads its runs (a span
 * may hold white space): each replaced by a space, its text kept.
 */

/** Longest backticked or quoted span, in characters between the marks. */
const MAX_SPAN = 200;

/** JavaScript's `\s`. */
function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || (code >= 0xa0 && (code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff));
}

/** Backticked spans (`` `x` ``, 1 to 200 characters on one line) replaced by a space each, their text kept trimmed. */
export function takeBackticked(text: string, into: string[]): string {
  let out = '';
  let from = 0;
  for (let at = text.indexOf('`'); at !== -1; at = text.indexOf('`', at + 1)) {
    const end = spanEnd(text, at, 96);
    if (end === -1) continue;
    into.push(text.slice(at + 1, end).trim());
    out += `${text.slice(from, at)} `;
    from = end + 1;
    at = end;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** The opening quotation marks and their closing ones. */
const OPENING = ['"', "'", '“', '‘'];
const CLOSING = [34, 39, 0x201d, 0x2019];
/** Where the next opening mark of each kind is, from where the search has got to (-1: none left). */
const nextOpening = [0, 0, 0, 0];

/**
 * Quoted spans replaced by a space each, their text kept trimmed and in lower case. A span opens
 * with `"`, `“`, `'` or `‘` at the start or after white space, `(`, `[`, `:` or `,`, and closes
 * at the next `"`, `”`, `'` or `’` on the same line, 1 to 200 characters later; a `'` span
 * only where white space, punctuation or the end follows. The search jumps from mark to mark.
 */
export function takeQuoted(text: string, into: string[]): string {
  const n = text.length;
  for (let k = 0; k < 4; k++) nextOpening[k] = text.indexOf(OPENING[k]!);
  let out = '';
  let from = 0;
  for (;;) {
    let k = -1;
    for (let m = 0; m < 4; m++) if (nextOpening[m]! !== -1 && (k === -1 || nextOpening[m]! < nextOpening[k]!)) k = m;
    if (k === -1) break;
    const at = nextOpening[k]!;
    let resume = at + 1;
    const before = at > 0 ? text.charCodeAt(at - 1) : 32;
    // After white space, an opening bracket, ":", "," or "=" (an attribute's or option's value: placeholder="Search").
    if (isSpace(before) || before === 40 || before === 91 || before === 58 || before === 44 || before === 61) {
      const end = spanEnd(text, at, CLOSING[k]!);
      if (end !== -1 && (k !== 1 || end + 1 === n || endsQuote(text.charCodeAt(end + 1)))) {
        into.push(text.slice(at + 1, end).trim().toLowerCase());
        out += `${text.slice(from, at)} `;
        from = end + 1;
        resume = end + 1;
      }
    }
    for (let m = 0; m < 4; m++) if (nextOpening[m]! !== -1 && nextOpening[m]! < resume) nextOpening[m] = text.indexOf(OPENING[m]!, resume);
  }
  return from === 0 ? text : out + text.slice(from);
}

/** Where the span opened at `open` closes with `close` (1 to MAX_SPAN characters, one line), or -1. */
function spanEnd(text: string, open: number, close: number): number {
  const limit = Math.min(text.length, open + MAX_SPAN + 2);
  for (let at = open + 1; at < limit; at++) {
    const code = text.charCodeAt(at);
    if (code === close) return at > open + 1 ? at : -1;
    if (code === 10) return -1;
  }
  return -1;
}

/** [\s.,;:!?)\]]: what may follow a closing `'`. */
function endsQuote(code: number): boolean {
  return isSpace(code) || code === 46 || code === 44 || code === 59 || code === 58 || code === 33 || code === 63 || code === 41 || code === 93;
}
