import type { DistanceMetric } from './numbers';

/** One SCHEMA attribute of an index. */
export interface FieldSpec {
  /** Hash field name (the identifier). */
  readonly identifier: string;
  /** Name queries use (`AS alias`, else the identifier). */
  readonly attribute: string;
  readonly type: 'TAG' | 'NUMERIC' | 'VECTOR';
  readonly separator?: string;
  readonly caseSensitive?: boolean;
  readonly sortable?: boolean;
  readonly vector?: VectorSpec;
}

export interface VectorSpec {
  readonly algorithm: 'HNSW' | 'FLAT';
  readonly dim: number;
  readonly metric: DistanceMetric;
  readonly params: ReadonlyMap<string, string>;
}

/** A parsed `FT.CREATE`. Keys, prefixes and names are latin1 strings: byte-exact. */
export interface IndexDefinition {
  readonly name: string;
  readonly prefixes: readonly string[];
  readonly fields: readonly FieldSpec[];
}

/** A command the double answers with an error reply carrying exactly this text. */
export class FtCommandError extends Error {}

const OUTSIDE_SUBSET = 'is outside the portable FT dialect this test double accepts (docs/ft-dialect.md: HASH documents; TAG, NUMERIC and VECTOR fields)';

/** Parses `FT.CREATE <name> [ON HASH] [PREFIX n p...] SCHEMA ...` (arguments after the command name). */
export function parseCreate(args: readonly string[]): IndexDefinition {
  const name = args[0];
  let i = 1;
  let prefixes: string[] = [''];
  const upper = (k: number): string => (args[k] ?? '').toUpperCase();
  if (upper(i) !== 'ON') throw new FtCommandError(`FT.CREATE without ON HASH ${OUTSIDE_SUBSET}: MemoryDB's syntax requires ON HASH | JSON`);
  for (; i < args.length && upper(i) !== 'SCHEMA'; ) {
    const option = upper(i);
    if (option === 'ON') {
      if (upper(i + 1) !== 'HASH') throw new FtCommandError(`ON ${args[i + 1] ?? ''} ${OUTSIDE_SUBSET}`);
      i += 2;
    } else if (option === 'PREFIX') {
      const count = parseCount(args[i + 1], 'PREFIX');
      prefixes = args.slice(i + 2, i + 2 + count);
      if (prefixes.length !== count) throw new FtCommandError('Bad arguments for PREFIX: not enough prefixes');
      i += 2 + count;
    } else {
      throw new FtCommandError(`FT.CREATE option ${args[i]} ${OUTSIDE_SUBSET}`);
    }
  }
  if (i >= args.length) throw new FtCommandError('No schema found');
  i++;
  const fields: FieldSpec[] = [];
  while (i < args.length) {
    const identifier = args[i++];
    let attribute = identifier;
    if (upper(i) === 'AS') {
      attribute = args[i + 1];
      i += 2;
    }
    if (fields.some((field) => field.attribute === attribute)) throw new FtCommandError(`Duplicate field in schema - ${attribute}`);
    const type = upper(i++);
    if (type === 'TAG') {
      let separator = ',';
      let caseSensitive = false;
      for (;;) {
        if (upper(i) === 'SEPARATOR') {
          separator = args[i + 1] ?? '';
          if (separator.length !== 1) throw new FtCommandError(`Tag separator must be a single character. Got \`${separator}\``);
          i += 2;
        } else if (upper(i) === 'CASESENSITIVE') {
          caseSensitive = true;
          i++;
        } else if (upper(i) === 'SORTABLE') {
          throw new FtCommandError(`SORTABLE (field \`${identifier}\`) ${OUTSIDE_SUBSET}: not in MemoryDB's or ElastiCache's FT.CREATE syntax`);
        } else break;
      }
      fields.push({ identifier, attribute, type: 'TAG', separator, caseSensitive });
    } else if (type === 'NUMERIC') {
      if (upper(i) === 'SORTABLE') throw new FtCommandError(`SORTABLE (field \`${identifier}\`) ${OUTSIDE_SUBSET}: not in MemoryDB's or ElastiCache's FT.CREATE syntax`);
      fields.push({ identifier, attribute, type: 'NUMERIC' });
    } else if (type === 'VECTOR') {
      const parsed = parseVector(args, i);
      i = parsed.next;
      fields.push({ identifier, attribute, type: 'VECTOR', vector: parsed.spec });
    } else if (type === '') {
      throw new FtCommandError(`Field \`${identifier}\` has no type`);
    } else {
      throw new FtCommandError(`Field type ${type} (field \`${identifier}\`) ${OUTSIDE_SUBSET}; MemoryDB and valkey-search have no TEXT fields`);
    }
  }
  if (fields.length === 0) throw new FtCommandError('Fields arguments are missing');
  // valkey-search 1.0.3 refuses an index without a vector field (RediSearch accepts it)
  if (!fields.some((field) => field.type === 'VECTOR')) throw new FtCommandError('At least one attribute must be indexed as a vector');
  return { name, prefixes, fields };
}

function parseCount(text: string | undefined, what: string): number {
  const count = Number(text);
  if (!Number.isInteger(count) || count < 0) throw new FtCommandError(`Bad arguments for ${what}: expected a count`);
  return count;
}

function parseVector(args: readonly string[], start: number): { spec: VectorSpec; next: number } {
  const algorithm = (args[start] ?? '').toUpperCase();
  if (algorithm !== 'HNSW' && algorithm !== 'FLAT') throw new FtCommandError(`Bad arguments for vector similarity algorithm: ${args[start] ?? 'missing'}`);
  const count = parseCount(args[start + 1], `vector similarity ${algorithm} index`);
  if (count % 2 !== 0) throw new FtCommandError(`Bad arguments for vector similarity ${algorithm} index: odd number of parameters`);
  const params = new Map<string, string>();
  const list = args.slice(start + 2, start + 2 + count);
  if (list.length !== count) throw new FtCommandError(`Bad arguments for vector similarity ${algorithm} index: missing parameters`);
  // MemoryDB's FT.CREATE lists these; RediSearch's EPSILON (HNSW) and BLOCK_SIZE (FLAT) are not portable
  const known = algorithm === 'HNSW' ? ['TYPE', 'DIM', 'DISTANCE_METRIC', 'INITIAL_CAP', 'M', 'EF_CONSTRUCTION', 'EF_RUNTIME'] : ['TYPE', 'DIM', 'DISTANCE_METRIC', 'INITIAL_CAP'];
  for (let k = 0; k < list.length; k += 2) {
    const key = list[k].toUpperCase();
    if (key === 'EPSILON' || key === 'BLOCK_SIZE') throw new FtCommandError(`Vector parameter ${list[k]} ${OUTSIDE_SUBSET}: not in MemoryDB's FT.CREATE`);
    if (!known.includes(key)) throw new FtCommandError(`Bad arguments for vector similarity ${algorithm} index: unknown parameter ${list[k]}`);
    params.set(key, list[k + 1]);
  }
  const type = (params.get('TYPE') ?? '').toUpperCase();
  if (type !== 'FLOAT32') throw new FtCommandError(`Vector TYPE ${type || '(missing)'} ${OUTSIDE_SUBSET}: only FLOAT32`);
  const dim = Number(params.get('DIM'));
  if (!Number.isInteger(dim) || dim <= 0) throw new FtCommandError(`Bad arguments for vector similarity ${algorithm} index dim`);
  const metric = (params.get('DISTANCE_METRIC') ?? '').toUpperCase();
  if (metric !== 'COSINE' && metric !== 'L2' && metric !== 'IP') throw new FtCommandError(`Bad arguments for vector similarity ${algorithm} index metric`);
  return { spec: { algorithm, dim, metric, params }, next: start + 2 + count };
}
