/**
 * The runs of a prompt the scanner reads by character code although they hold a literal: one plain
 * number, or one identifier, e-mail address or absolute path of a usual shape, perhaps in brackets
 * and before closing marks. Each is read exactly as the literal passes (literals.ts) would read
 * it, into the same lists; any other run is left to them (the readers return false).
 */
import type { PassLiterals } from './literals';

export function isLetter(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
}
function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Opening marks a plain number may follow in its run: `(`, `[`, `"`, `$`. */
function opensNumber(code: number): boolean {
  return code === 40 || code === 91 || code === 34 || code === 36;
}
/** Marks a plain number may be followed by in its run: . , ; : ! ? ) ] " %. */
function closesNumber(code: number): boolean {
  return code === 46 || code === 44 || code === 59 || code === 58 || code === 33 || code === 63 || code === 41 || code === 93 || code === 34 || code === 37;
}

/**
 * A run that is one plain number (digits, perhaps a decimal part), perhaps after an opening mark
 * and before closing punctuation, read here; false (nothing read) for any other run with digits.
 */
export function readNumberRun(text: string, start: number, end: number, found: PassLiterals): boolean {
  let at = start;
  while (at < end && opensNumber(text.charCodeAt(at))) at++;
  const from = at;
  while (at < end && isDigit(text.charCodeAt(at))) at++;
  if (at === from) return false;
  let integer = at;
  if (at + 1 < end && text.charCodeAt(at) === 46 && isDigit(text.charCodeAt(at + 1))) {
    at++;
    while (at < end && isDigit(text.charCodeAt(at))) at++;
    integer = -1;
  }
  const to = at;
  while (at < end && closesNumber(text.charCodeAt(at))) at++;
  if (at !== end) return false;
  const digits = integer - from;
  // canonicalNumber of digits with at most one decimal part is String(Number(...)); an integer of
  // up to 15 digits without a leading zero is already that.
  const value = text.slice(from, to);
  found.number.push(integer !== -1 && digits <= 15 && (digits === 1 || text.charCodeAt(from) !== 48) ? value : String(Number(value)));
  return true;
}

/** [\w]: a letter, digit or `_`. */
function isWordChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95;
}
/** What may close a run after its one literal: . , ; : ! ? ) ] " (no word character, `-`, `/` or `@`). */
function closesLiteral(code: number): boolean {
  return code === 46 || code === 44 || code === 59 || code === 58 || code === 33 || code === 63 || code === 41 || code === 93 || code === 34;
}
/** Whether `text[at, end)` is only closing marks. */
function closedFrom(text: string, at: number, end: number): boolean {
  while (at < end && closesLiteral(text.charCodeAt(at))) at++;
  return at === end;
}

/**
 * A run that is one literal of a usual shape, read here exactly as the literal passes would read
 * it (and then nothing is left of it for the words): an identifier (`snake_case`, `camelCase`,
 * `PascalCase`, `call()`), an e-mail address or an absolute path, perhaps in brackets and before
 * closing marks. False (nothing read) for any other run.
 */
export function readLiteralRun(text: string, start: number, end: number, found: PassLiterals): boolean {
  let at = start;
  // An opening bracket or a stray double quote: none can start a match of any pass.
  while (at < end && (text.charCodeAt(at) === 40 || text.charCodeAt(at) === 91 || text.charCodeAt(at) === 34)) at++;
  if (at === end) return false;
  const first = text.charCodeAt(at);
  if (isLetter(first)) return readIdentifierOrAddress(text, at, end, found);
  if (first === 47 || first === 126) return readPath(text, start, at, end, found);
  return false;
}

function readIdentifierOrAddress(text: string, from: number, end: number, found: PassLiterals): boolean {
  let at = from;
  while (at < end && isWordChar(text.charCodeAt(at))) at++;
  const next = at < end ? text.charCodeAt(at) : 32;
  if (next === 64 || next === 46 || next === 43 || next === 45) return readAddress(text, from, at, end, found);
  // An identifier pass match at the word's start (its alternatives in order), or none.
  const second = text.charCodeAt(from + 1);
  const call = next === 40 && at + 1 < end && text.charCodeAt(at + 1) === 41;
  let named = false;
  if (isLower(text.charCodeAt(from)) && from + 1 < at) {
    // [a-z]+[A-Z]: lower-case letters, then a capital.
    let i = from;
    while (i < at && isLower(text.charCodeAt(i))) i++;
    named = i > from && i < at && isUpper(text.charCodeAt(i));
  }
  if (!named && isUpper(text.charCodeAt(from)) && from + 2 < at && (isLower(second) || isDigit(second))) {
    // [A-Z][a-z0-9]+[A-Z]
    let i = from + 1;
    while (i < at && (isLower(text.charCodeAt(i)) || isDigit(text.charCodeAt(i)))) i++;
    named = i < at && isUpper(text.charCodeAt(i));
  }
  if (!named) {
    // [A-Za-z]\w*_\w+: an underscore after the first letter, a word character after it.
    for (let i = from + 1; i + 1 < at && !named; i++) named = text.charCodeAt(i) === 95;
  }
  if (!named && !call) return false;
  const to = call ? at + 2 : at;
  if (!closedFrom(text, to, end)) return false;
  found.identifier.push(text.slice(from, to));
  return true;
}

function isLower(code: number): boolean {
  return code >= 97 && code <= 122;
}
function isUpper(code: number): boolean {
  return code >= 65 && code <= 90;
}
/** [\w-]: a character of a domain label. */
function inLabel(code: number): boolean {
  return isWordChar(code) || code === 45;
}

/** local@domain.tld: [\w.+-]+@[\w-]+(\.[\w-]+)+, in lower case. */
function readAddress(text: string, from: number, at: number, end: number, found: PassLiterals): boolean {
  while (at < end && (isWordChar(text.charCodeAt(at)) || text.charCodeAt(at) === 46 || text.charCodeAt(at) === 43 || text.charCodeAt(at) === 45)) at++;
  if (at >= end || text.charCodeAt(at) !== 64) return false;
  at++;
  const domain = at;
  while (at < end && inLabel(text.charCodeAt(at))) at++;
  if (at === domain) return false;
  let labels = 0;
  while (at + 1 < end && text.charCodeAt(at) === 46 && inLabel(text.charCodeAt(at + 1))) {
    at += 2;
    while (at < end && inLabel(text.charCodeAt(at))) at++;
    labels++;
  }
  if (labels === 0 || !closedFrom(text, at, end)) return false;
  found.email.push(text.slice(from, at).toLowerCase());
  return true;
}

/**
 * ~/x or /x/y: ~?\/[\w.@-]+(\/[\w.@-]*)* at the run's start or after `(`, without `@` or
 * `www.` (an address or URL pass would see it first); its closing dots dropped.
 */
function readPath(text: string, start: number, from: number, end: number, found: PassLiterals): boolean {
  if (from !== start && !(from === start + 1 && text.charCodeAt(start) === 40)) return false;
  let at = from;
  if (text.charCodeAt(at) === 126) at++;
  if (at + 1 >= end || text.charCodeAt(at) !== 47 || !inPath(text.charCodeAt(at + 1))) return false;
  at++;
  while (at < end && (inPath(text.charCodeAt(at)) || text.charCodeAt(at) === 47)) at++;
  if (!closedFrom(text, at, end)) return false;
  const path = text.slice(from, at);
  if (path.toLowerCase().includes('www.')) return false;
  let to = at;
  while (text.charCodeAt(to - 1) === 46) to--;
  found.path.push(to === at ? path : text.slice(from, to));
  return true;
}

/** [\w.-]: a character of a path segment (`@` is left to the literal passes). */
function inPath(code: number): boolean {
  return isWordChar(code) || code === 46 || code === 45;
}
