/**
 * The semantic evaluation set (eval/semantic/pairs.jsonl, see its README): pairs of prompts that
 * ask different questions (`near-miss`) or the same one (`rewording`), by category and split.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const DEFAULT_PAIRS_FILE = join(__dirname, '..', '..', 'eval', 'semantic', 'pairs.jsonl');

export type PairLabel = 'near-miss' | 'rewording';
export type PairSplit = 'dev' | 'heldout';

export interface EvalPair {
  readonly id: string;
  /** Asked first; its answer is stored. */
  readonly a: string;
  /** Asked second: a near-miss must not get `a`'s answer, a rewording should. */
  readonly b: string;
  readonly label: PairLabel;
  readonly category: string;
  /** Absent in a user's own pairs file: counted as `dev`. */
  readonly split: PairSplit;
}

/** A pairs file that is not what the evaluation reads. */
export class PairsFileError extends Error {
  override readonly name = 'PairsFileError';
}

/** The seed of the held-out rule; never change it (that would move pairs between splits). */
export const HELDOUT_SEED = 'issue20-heldout-v1';

/**
 * Near-miss categories whose target is zero wrong answers (the literal differs); the others
 * (units, entity, antonym and order swaps) may serve at most 5 %.
 */
export function isLiteralCategory(category: string): boolean {
  return category.startsWith('numbers-') || ['negation', 'quoted', 'email', 'url', 'path', 'identifier'].includes(category);
}

/** Parses a pairs file's text (JSON Lines); a bad line is a `PairsFileError` naming it. */
export function parsePairs(text: string, source = 'pairs file'): EvalPair[] {
  const pairs: EvalPair[] = [];
  const ids = new Set<string>();
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `${source} line ${index + 1}`;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new PairsFileError(`${where}: not JSON`);
    }
    if (row === null || typeof row !== 'object' || Array.isArray(row)) throw new PairsFileError(`${where}: not a JSON object`);
    for (const field of ['a', 'b'] as const) {
      if (typeof row[field] !== 'string' || (row[field] as string).trim() === '') throw new PairsFileError(`${where}: "${field}" must be a non-empty string`);
    }
    if (row.label !== 'near-miss' && row.label !== 'rewording') throw new PairsFileError(`${where}: "label" must be "near-miss" or "rewording"`);
    if (row.split !== undefined && row.split !== 'dev' && row.split !== 'heldout') throw new PairsFileError(`${where}: "split" must be "dev" or "heldout" when given`);
    const id = typeof row.id === 'string' && row.id !== '' ? row.id : `line-${index + 1}`;
    if (ids.has(id)) throw new PairsFileError(`${where}: id "${id}" appears twice`);
    ids.add(id);
    const category = typeof row.category === 'string' && row.category !== '' ? row.category : row.label;
    pairs.push({ id, a: row.a as string, b: row.b as string, label: row.label, category, split: (row.split as PairSplit | undefined) ?? 'dev' });
  });
  if (pairs.length === 0) throw new PairsFileError(`${source}: no pairs`);
  return pairs;
}

export function loadPairs(file = DEFAULT_PAIRS_FILE): EvalPair[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new PairsFileError(`cannot read ${file}: ${(error as Error).message}`);
  }
  return parsePairs(text, file);
}

/**
 * The ids the held-out rule puts in `heldout`: within each category, ids sorted by
 * sha256(`${HELDOUT_SEED}:${id}`), the first round(n / 3).
 */
export function heldoutIds(pairs: readonly EvalPair[]): Set<string> {
  const byCategory = new Map<string, string[]>();
  for (const pair of pairs) byCategory.set(pair.category, [...(byCategory.get(pair.category) ?? []), pair.id]);
  const held = new Set<string>();
  for (const ids of byCategory.values()) {
    const rank = (id: string): string => createHash('sha256').update(`${HELDOUT_SEED}:${id}`).digest('hex');
    const sorted = [...ids].sort((x, y) => (rank(x) < rank(y) ? -1 : 1));
    for (const id of sorted.slice(0, Math.round(ids.length / 3))) held.add(id);
  }
  return held;
}
