import { FtCommandError } from './schema';

/** The portable dialect: what Redis 8, MemoryDB and valkey-search all document (docs/ft-dialect.md). */
const OUTSIDE_PORTABLE = 'is outside the portable FT dialect (docs/ft-dialect.md) this test double accepts';

/** One AND-ed condition of a query's pre-filter. */
export type Clause =
  | { readonly kind: 'tag'; readonly attribute: string; readonly values: readonly string[] }
  | { readonly kind: 'numeric'; readonly attribute: string; readonly min: number; readonly max: number; readonly minExclusive: boolean; readonly maxExclusive: boolean };

export interface KnnClause {
  readonly k: number;
  readonly attribute: string;
  readonly param: string;
  /** Score field name (`AS`), else `__<attribute>_score`. */
  readonly scoreField: string;
}

export interface ParsedQuery {
  readonly filter: readonly Clause[];
  readonly knn?: KnnClause;
}

export interface ReturnField {
  readonly name: string;
  readonly as: string;
}

/** The arguments of one FT.SEARCH. Strings are latin1 (byte-exact). */
export interface SearchRequest {
  readonly index: string;
  readonly query: string;
  readonly params: ReadonlyMap<string, Buffer>;
  readonly dialect: number;
  readonly returnFields?: readonly ReturnField[];
  readonly noContent: boolean;
  readonly offset: number;
  readonly limit: number;
}

/** Parses `FT.SEARCH <index> <query> [options...]` (arguments after the command name). */
export function parseSearchArgs(args: readonly Buffer[]): SearchRequest {
  if (args.length < 2) throw new FtCommandError("ERR wrong number of arguments for 'FT.SEARCH' command");
  const text = (k: number): string => (args[k] === undefined ? '' : args[k].toString('latin1'));
  const params = new Map<string, Buffer>();
  let dialect = 1;
  let returnFields: ReturnField[] | undefined;
  let noContent = false;
  let offset = 0;
  let limit = 10;
  for (let i = 2; i < args.length; ) {
    const option = text(i).toUpperCase();
    if (option === 'TIMEOUT') {
      i += 2;
    } else if (option === 'DIALECT') {
      dialect = Number(text(i + 1));
      if (!Number.isInteger(dialect) || dialect < 1 || dialect > 3) throw new FtCommandError('DIALECT requires a non negative integer >=1 and <= 3');
      // valkey-search (ElastiCache): "The only supported dialect is 2"
      if (dialect !== 2) throw new FtCommandError(`DIALECT ${dialect} ${OUTSIDE_PORTABLE}: valkey-search supports only DIALECT 2`);
      i += 2;
    } else if (option === 'LIMIT') {
      offset = Number(text(i + 1));
      limit = Number(text(i + 2));
      if (!Number.isInteger(offset) || !Number.isInteger(limit) || offset < 0 || limit < 0) throw new FtCommandError('LIMIT: Bad arguments');
      i += 3;
    } else if (option === 'PARAMS') {
      const count = Number(text(i + 1));
      if (!Number.isInteger(count) || count < 2 || count % 2 !== 0 || i + 2 + count > args.length) throw new FtCommandError('Bad arguments for PARAMS: Expected an even number of arguments');
      for (let k = i + 2; k < i + 2 + count; k += 2) params.set(text(k), args[k + 1]);
      i += 2 + count;
    } else if (option === 'RETURN') {
      const count = Number(text(i + 1));
      if (!Number.isInteger(count) || count < 0 || i + 2 + count > args.length) throw new FtCommandError('Bad arguments for RETURN: Expected a count');
      returnFields = [];
      const list = args.slice(i + 2, i + 2 + count).map((arg) => arg.toString('latin1'));
      for (let k = 0; k < list.length; k++) {
        if (list[k + 1]?.toUpperCase() === 'AS' && k + 2 < list.length) {
          returnFields.push({ name: list[k], as: list[k + 2] });
          k += 2;
        } else {
          returnFields.push({ name: list[k], as: list[k] });
        }
      }
      i += 2 + count;
    } else {
      // NOCONTENT, VERBATIM, SORTBY, WITHSCORES...: not on MemoryDB's FT.SEARCH page (docs/ft-dialect.md)
      throw new FtCommandError(`FT.SEARCH option ${text(i)} ${OUTSIDE_PORTABLE}`);
    }
  }
  if (returnFields !== undefined && returnFields.length === 0) noContent = true;
  return { index: text(0), query: text(1), params, dialect, returnFields, noContent, offset, limit };
}

/** Parses a query string: `*` or a TAG / NUMERIC pre-filter, optionally `=>[KNN k @vec $B [AS name]]`. */
export function parseQuery(query: string, dialect: number, params: ReadonlyMap<string, Buffer>): ParsedQuery {
  const arrow = findArrow(query);
  if (arrow >= 0 && dialect < 2) {
    throw new FtCommandError(`Syntax error at offset ${arrow} near ${query.slice(arrow + 1, arrow + 3)}`);
  }
  const filterText = arrow >= 0 ? query.slice(0, arrow) : query;
  const filter = parseFilter(filterText, params);
  if (arrow < 0) return { filter };
  return { filter, knn: parseKnn(query, arrow + 2, params) };
}

/** Position of `=>` outside `{...}` and `[...]`, or -1. */
function findArrow(query: string): number {
  let depth = 0;
  for (let i = 0; i < query.length - 1; i++) {
    const c = query[i];
    if (c === '\\') {
      i++;
    } else if (c === '{' || c === '[') {
      depth++;
    } else if (c === '}' || c === ']') {
      depth--;
    } else if (depth === 0 && c === '=' && query[i + 1] === '>') {
      return i;
    }
  }
  return -1;
}

function syntaxError(query: string, offset: number): FtCommandError {
  return new FtCommandError(`Syntax error at offset ${offset} near ${query.slice(offset, offset + 8).trim() || 'end of query'}`);
}

function parseFilter(text: string, params: ReadonlyMap<string, Buffer>): Clause[] {
  const clauses: Clause[] = [];
  let i = 0;
  const skip = (): void => {
    while (i < text.length && /[\s()]/.test(text[i])) i++;
  };
  skip();
  if (text.slice(i).trim() === '*') return clauses;
  while (i < text.length) {
    if (text[i] !== '@') throw syntaxError(text, i);
    i++;
    let attribute = '';
    while (i < text.length && text[i] !== ':') {
      if (text[i] === '\\') i++;
      attribute += text[i++] ?? '';
    }
    if (text[i] !== ':') throw syntaxError(text, i);
    i++;
    while (text[i] === ' ') i++;
    if (text[i] === '{') {
      const values: string[] = [];
      let current = '';
      let escaped = false;
      i++;
      for (; i < text.length && text[i] !== '}'; i++) {
        if (text[i] === '\\') {
          current += text[++i] ?? '';
          escaped = true;
        } else if (text[i] === '|') {
          values.push(tagValue(current, escaped, params));
          current = '';
          escaped = false;
        } else if (TAG_PUNCTUATION.test(text[i]!) && !(text[i] === '$' && current.trim() === '')) {
          // RediSearch's tag syntax: punctuation inside a tag value must be escaped with a backslash.
          throw syntaxError(text, i);
        } else {
          current += text[i];
        }
      }
      if (text[i] !== '}') throw syntaxError(text, i);
      i++;
      values.push(tagValue(current, escaped, params));
      clauses.push({ kind: 'tag', attribute, values: values.filter((value) => value.length > 0) });
    } else if (text[i] === '[') {
      const end = text.indexOf(']', i);
      if (end < 0) throw syntaxError(text, i);
      const parts = text.slice(i + 1, end).trim().split(/\s+/);
      if (parts.length !== 2) throw syntaxError(text, i);
      const [min, minExclusive] = numericBound(parts[0], params, text, i);
      const [max, maxExclusive] = numericBound(parts[1], params, text, i);
      clauses.push({ kind: 'numeric', attribute, min, max, minExclusive, maxExclusive });
      i = end + 1;
    } else {
      throw syntaxError(text, i);
    }
    skip();
  }
  return clauses;
}

/** Characters a tag value must escape (RediSearch "Tag fields": punctuation needs a backslash). */
const TAG_PUNCTUATION = /[,.<>{[\]"':;!@#$%^&*()\-+=~/]/;

function tagValue(raw: string, escaped: boolean, params: ReadonlyMap<string, Buffer>): string {
  const value = raw.trim();
  if (!escaped && value.startsWith('$')) {
    const param = params.get(value.slice(1));
    if (param === undefined) throw new FtCommandError(`No such parameter \`${value.slice(1)}\``);
    return param.toString('latin1');
  }
  return value;
}

function numericBound(token: string, params: ReadonlyMap<string, Buffer>, query: string, offset: number): [number, boolean] {
  let text = token;
  const exclusive = text.startsWith('(');
  if (exclusive) text = text.slice(1);
  if (text.startsWith('$')) {
    const param = params.get(text.slice(1));
    if (param === undefined) throw new FtCommandError(`No such parameter \`${text.slice(1)}\``);
    text = param.toString('latin1');
  }
  const lower = text.toLowerCase();
  const value = lower === '-inf' ? -Infinity : lower === 'inf' || lower === '+inf' ? Infinity : Number(text);
  if (Number.isNaN(value) || text === '') throw syntaxError(query, offset);
  return [value, exclusive];
}

function parseKnn(query: string, start: number, params: ReadonlyMap<string, Buffer>): KnnClause {
  const rest = query.slice(start).trim();
  const match = /^\[\s*KNN\s+(\S+)\s+@(\S+)\s+\$(\S+?)((?:\s+\S+\s+\S+)*)\s*\]$/i.exec(rest);
  if (match === null) throw syntaxError(query, start);
  const kText = match[1].startsWith('$') ? params.get(match[1].slice(1))?.toString('latin1') : match[1];
  if (kText === undefined) throw new FtCommandError(`No such parameter \`${match[1].slice(1)}\``);
  const k = Number(kText);
  if (!Number.isInteger(k) || k < 0) throw new FtCommandError(`Syntax error: KNN argument must be a non-negative integer, got ${kText}`);
  // valkey-search 1.0.3's text (RediSearch answers KNN 0 with no results)
  if (k === 0) throw new FtCommandError('k must be positive');
  let scoreField = `__${match[2]}_score`;
  const extras = match[4].trim().split(/\s+/).filter((part) => part.length > 0);
  for (let i = 0; i < extras.length; i += 2) {
    const name = extras[i].toUpperCase();
    if (name === 'AS') scoreField = extras[i + 1];
    else if (name !== 'EF_RUNTIME' && name !== 'EPSILON') throw syntaxError(query, start);
  }
  return { k, attribute: match[2], param: match[3], scoreField };
}
