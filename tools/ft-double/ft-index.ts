import { prepare, readFloat32 } from './numbers';
import type { FieldSpec, IndexDefinition } from './schema';

/** A hash as HGETALL returns it: field names (latin1, byte-exact) and raw values, in server order. */
export type HashFields = ReadonlyArray<readonly [string, Buffer]>;

/** What the index keeps of one document. */
export interface IndexedDocument {
  readonly key: string;
  readonly id: number;
  readonly tags: ReadonlyMap<string, ReadonlySet<string>>;
  readonly numbers: ReadonlyMap<string, number>;
  /** Prepared vectors (normalised for COSINE), by attribute name. */
  readonly vectors: ReadonlyMap<string, Float32Array>;
  /** Indexed values (one per TAG / NUMERIC / VECTOR value present), for FT.INFO's num_records. */
  readonly records: number;
}

/**
 * One index's documents, kept in step with the hashes under its prefixes. Like RediSearch, any
 * hash under a prefix is a document (missing fields are simply not indexed), a hash whose
 * vector has the wrong byte length or whose NUMERIC value is not a number is not indexed and
 * counts in `failures`, and every change of a document gives it a new doc id.
 */
export class FtIndex {
  readonly docs = new Map<string, IndexedDocument>();
  /** Last content seen per key (indexed or failed), so an unchanged hash is not re-indexed. */
  private readonly seen = new Map<string, HashFields>();
  maxDocId = 0;
  failures = 0;
  uses = 0;
  indexingTimeMs = 0;
  readonly dialects = new Set<number>();
  /** Set when the index must be rebuilt from a SCAN of the backing server. */
  needsScan = true;
  /** Resolves once the first backfill is done. */
  ready: Promise<void> = Promise.resolve();
  /** Until when (performance.now()) the index reports a backfill in progress. */
  backfillUntil = 0;

  constructor(readonly definition: IndexDefinition) {}

  get name(): string {
    return this.definition.name;
  }

  /** Whether `key` (latin1) is under one of the index's prefixes. */
  covers(key: string): boolean {
    return this.definition.prefixes.some((prefix) => key.startsWith(prefix));
  }

  /** Whether the index still reports a backfill in progress (see FtEngineOptions.backfillMs). */
  backfilling(): boolean {
    return performance.now() < this.backfillUntil;
  }

  field(attribute: string): FieldSpec | undefined {
    return this.definition.fields.find((field) => field.attribute === attribute);
  }

  /** Applies a hash's current content (null: the key is gone or is not a hash). */
  apply(key: string, fields: HashFields | null): void {
    if (fields === null) {
      this.docs.delete(key);
      this.seen.delete(key);
      return;
    }
    const previous = this.seen.get(key);
    if (previous !== undefined && sameFields(previous, fields)) return;
    this.seen.set(key, fields);
    const started = performance.now();
    const doc = this.build(key, fields);
    this.indexingTimeMs += performance.now() - started;
    if (doc === undefined) {
      this.failures++;
      this.docs.delete(key);
    } else {
      this.docs.set(key, doc);
    }
  }

  private build(key: string, fields: HashFields): IndexedDocument | undefined {
    const values = new Map(fields);
    const tags = new Map<string, Set<string>>();
    const numbers = new Map<string, number>();
    const vectors = new Map<string, Float32Array>();
    let records = 0;
    for (const spec of this.definition.fields) {
      const raw = values.get(spec.identifier);
      if (raw === undefined) continue;
      if (spec.type === 'TAG') {
        const set = new Set(splitTags(raw.toString('utf8'), spec.separator ?? ',', spec.caseSensitive === true));
        tags.set(spec.attribute, set);
        records += set.size;
      } else if (spec.type === 'NUMERIC') {
        const value = parseNumeric(raw.toString('latin1'));
        if (value === undefined) return undefined;
        numbers.set(spec.attribute, value);
        records++;
      } else {
        const dim = spec.vector?.dim ?? 0;
        if (raw.length !== dim * 4) return undefined;
        vectors.set(spec.attribute, prepare(readFloat32(raw), spec.vector?.metric ?? 'COSINE'));
        records++;
      }
    }
    return { key, id: ++this.maxDocId, tags, numbers, vectors, records };
  }
}

/** Splits a TAG value like RediSearch: by the separator, trimmed, empty parts dropped, lower-cased unless CASESENSITIVE. */
export function splitTags(text: string, separator: string, caseSensitive: boolean): string[] {
  return text
    .split(separator)
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part) => (caseSensitive ? part : part.toLowerCase()));
}

function parseNumeric(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^[+-]?inf$/i.test(trimmed)) return trimmed.startsWith('-') ? -Infinity : Infinity;
  if (trimmed === '' || !/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(trimmed)) return undefined;
  return Number(trimmed);
}

function sameFields(a: HashFields, b: HashFields): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i][0] !== b[i][0] || !a[i][1].equals(b[i][1])) return false;
  }
  return true;
}
