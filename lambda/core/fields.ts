import { InvalidRequestError } from './errors';

/**
 * Field validators shared by the request parser and the conversation parser, so a prompt and a
 * message's text block are held to the same rules with the same wording.
 */

/** An optional string of at most `maxChars` UTF-16 code units, with no lone surrogate. */
export function text(value: unknown, name: string, maxChars: number): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new InvalidRequestError(`"${name}" must be a string`);
  if (value.length > maxChars) throw new InvalidRequestError(`"${name}" is ${value.length} characters; the limit is ${maxChars}`);
  if (!value.isWellFormed()) throw new InvalidRequestError(`"${name}" contains invalid Unicode (a lone surrogate)`);
  return value;
}

/** Echoes a caller-supplied name safely: bounded length, control characters escaped by JSON. */
export function quoteName(name: string): string {
  return JSON.stringify(name.length > 64 ? `${name.slice(0, 64)}...` : name);
}

/** A plain JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
