/**
 * Reading FT.SEARCH replies and errors in the form every engine documents (docs/ft-dialect.md):
 * `[total, key, [field, value, ...], key, [...], ...]`, the KNN distance under the default score
 * field name `__<vector field>_score`. The order of the documents is the engine's: RediSearch 2.6
 * returns a KNN without `SORTBY` in document order, valkey-search 1.0 nearest first, and no page
 * promises either, so the runtime ranks them itself (`rankCandidates`).
 */

/** One KNN neighbour: the document's key and its cosine distance (similarity = 1 - distance). */
export interface Candidate {
  readonly key: string;
  readonly distance: number;
  /** The document's `check` TAG as the reply carries it (a declared field comes back without RETURN), if any. */
  readonly check?: string;
}

/**
 * Every document of a KNN reply that carries a finite score, in reply order (any order: see
 * `rankCandidates`). A document without its score (an expired, not yet reclaimed document comes
 * back with no fields) is skipped, so it never hides the live neighbours behind it.
 */
export function parseCandidates(reply: unknown, scoreField: string): Candidate[] {
  if (!Array.isArray(reply)) return [];
  const candidates: Candidate[] = [];
  for (let i = 1; i + 1 < reply.length; i += 2) {
    const key = reply[i];
    const fields = reply[i + 1];
    if ((typeof key !== 'string' && !Buffer.isBuffer(key)) || !Array.isArray(fields)) continue;
    const distance = scoreOf(fields, scoreField);
    if (distance === undefined) continue;
    const check = fieldOf(fields, 'check');
    candidates.push(check === undefined ? { key: String(key), distance } : { key: String(key), distance, check });
  }
  return candidates;
}

/**
 * The candidates nearest first (smallest cosine distance), whatever order the engine replied in;
 * equal distances keep their reply order. A new array: the input is not changed.
 */
export function rankCandidates(candidates: readonly Candidate[]): Candidate[] {
  return [...candidates].sort((a, b) => a.distance - b.distance);
}

function scoreOf(fields: readonly unknown[], scoreField: string): number | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (String(fields[i]) !== scoreField) continue;
    const value = Number(String(fields[i + 1]));
    return Number.isFinite(value) ? value : undefined;
  }
  return undefined;
}

function fieldOf(fields: readonly unknown[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (String(fields[i]) === name) return String(fields[i + 1]);
  }
  return undefined;
}

/**
 * The engines' "no such index" errors, so a dropped index (a restarted server that keeps no data)
 * is recreated: RediSearch / Redis 8 `<idx>: no such index` (FT.SEARCH) and `Unknown Index name`
 * (FT.INFO); valkey-search `Index with name '<idx>' not found`. MemoryDB documents no wording; if
 * it differs, the search fails open (a miss) until the container is recycled.
 */
export function isUnknownIndex(error: unknown): boolean {
  return error instanceof Error && /no such index|unknown index name|index with name .* not found/i.test(error.message);
}
