import type { BackendAddress } from './backend-client';
import { FtIndex, type HashFields, type IndexedDocument } from './ft-index';
import { distance, formatG, prepare, readFloat32 } from './numbers';
import { parseQuery, parseSearchArgs, type Clause, type KnnClause, type SearchRequest } from './query';
import { RespError, RespStatus, type Reply, type RespValue } from './resp';
import { FtCommandError, parseCreate } from './schema';
import { BackendShards } from './shards';
/** Commands that never change a key: the proxy does not look at their arguments. */
const READ_ONLY = new Set([
  'GET', 'MGET', 'STRLEN', 'GETRANGE', 'EXISTS', 'TYPE', 'TTL', 'PTTL', 'EXPIRETIME', 'PEXPIRETIME', 'DUMP', 'SCAN', 'KEYS',
  'HGET', 'HMGET', 'HGETALL', 'HKEYS', 'HVALS', 'HLEN', 'HEXISTS', 'HSTRLEN', 'HSCAN', 'HRANDFIELD',
  'PING', 'ECHO', 'INFO', 'CLIENT', 'HELLO', 'AUTH', 'SELECT', 'DBSIZE', 'TIME', 'COMMAND', 'CONFIG', 'MODULE', 'MULTI', 'EXEC', 'DISCARD', 'WATCH', 'UNWATCH',
]);
const LOAD_BATCH = 1000;

/** How a double behaves where engines differ and no page decides (see README.md). */
export interface FtEngineOptions {
  /**
   * How long after FT.CREATE the index reports a backfill in progress (FT.INFO `indexing` "1"),
   * as valkey-search 1.0.3 reports `backfill_in_progress` for about a second even when there is
   * nothing to backfill. The double still backfills before it answers OK. @default 1000
   */
  readonly backfillMs?: number;
  /**
   * FT.SEARCH during that window: `answer` (RediSearch 2.6 and valkey-search 1.0.3 answer from what
   * is indexed so far) or `error` (MemoryDB's FT.SEARCH page: "If the index is in progress of being
   * back-filled, the command immediately returns an error reply"). @default 'answer'
   */
  readonly searchDuringBackfill?: 'answer' | 'error';
}

/** The double's own text for a search refused during a backfill (MemoryDB documents no wording). */
export const BACKFILL_ERROR = 'is being backfilled: FT.SEARCH is refused until the backfill is done (MemoryDB FT.SEARCH, "Return")';

/**
 * The FT.* side of the double: in-memory indexes over the backing server's hashes.
 *
 * Consistency: every key a forwarded write names (and every key a keyspace notification names)
 * under an index prefix is marked dirty. Before FT.SEARCH / FT.INFO answer, `sync()` sends PING on
 * the notification connection (so every event of a write that finished before the FT command
 * arrived has been received), then re-reads the dirty hashes with HGETALL. Writes from any
 * connection, expirations and evictions are therefore visible to the next search, as RediSearch
 * indexes synchronously on write.
 *
 * Cluster mode (`backend` is every master of a cluster, `ownerOf` the master owning a key): one
 * engine behind every node's proxy, as valkey-search's coordinator makes an index cluster-wide.
 * Notifications, backfill and the barrier cover every master; each document is read from its own.
 */
export class FtEngine {
  private readonly indexes = new Map<string, FtIndex>();
  private readonly dirty = new Set<string>();
  private readonly shards: BackendShards;
  private chain: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(backend: BackendAddress | readonly BackendAddress[], ownerOf?: (key: Buffer) => number, private readonly options: FtEngineOptions = {}) {
    const addresses = Array.isArray(backend) ? (backend as readonly BackendAddress[]) : [backend as BackendAddress];
    this.shards = new BackendShards(addresses, (key) => this.onKeyspaceEvent(key), ownerOf);
  }

  /** Connects to the backing server and turns on the keyspace notifications the index needs. */
  async start(): Promise<void> {
    await this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.shards.close();
  }

  /** Names of the current indexes (for tests and diagnostics). */
  indexNames(): string[] {
    return [...this.indexes.keys()];
  }

  /** Answers one FT.* command. Never throws: failures become error replies. */
  async execute(args: readonly Buffer[]): Promise<Reply> {
    const name = args[0].toString('latin1').toUpperCase();
    const rest = args.slice(1);
    try {
      // reconnects first if the backing server went away, so a restart (indexes lost) is noticed
      // before the command looks an index up
      await this.connection();
      switch (name) {
        case 'FT._LIST':
          return [...this.indexes.keys()].map((index) => Buffer.from(index, 'latin1'));
        case 'FT.CREATE':
          return await this.create(rest);
        case 'FT.INFO':
          return await this.info(rest);
        case 'FT.SEARCH':
          return await this.search(rest);
        case 'FT.DROPINDEX':
          return await this.dropIndex(rest);
        default:
          return new RespError(`ERR ${args[0].toString('latin1')} is not implemented by the FT test double (FT._LIST, FT.CREATE, FT.INFO, FT.SEARCH, FT.DROPINDEX only)`);
      }
    } catch (error) {
      if (error instanceof FtCommandError) return new RespError(error.message);
      return new RespError(`ERR FT test double: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * Looks at a command the proxy forwards: keys under an index prefix become dirty; FLUSHALL /
   * FLUSHDB drop every index (RediSearch does the same, whichever database is flushed).
   */
  noteCommand(args: readonly Buffer[]): void {
    if (this.indexes.size === 0) return;
    const name = args[0].toString('latin1').toUpperCase();
    if (name === 'FLUSHALL' || name === 'FLUSHDB') {
      this.indexes.clear();
      this.dirty.clear();
      return;
    }
    if (name === 'SWAPDB') {
      for (const index of this.indexes.values()) index.needsScan = true;
      return;
    }
    if (READ_ONLY.has(name)) return;
    for (let i = 1; i < args.length; i++) {
      if (args[i].length > 1024) continue;
      const key = args[i].toString('latin1');
      if (this.covered(key)) this.dirty.add(key);
    }
  }

  /** Brings every index up to date with the backing server (serialised; see the class comment). */
  sync(): Promise<void> {
    const run = this.chain.then(() => this.syncNow());
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async create(args: readonly Buffer[]): Promise<Reply> {
    if (args.length < 1) throw new FtCommandError("ERR wrong number of arguments for 'FT.CREATE' command");
    const name = args[0].toString('latin1');
    if (this.indexes.has(name)) throw new FtCommandError('Index already exists');
    const definition = parseCreate(args.map((arg) => arg.toString('latin1')));
    const index = new FtIndex(definition);
    // registered before the first await: a racing FT.CREATE on another connection sees it
    this.indexes.set(name, index);
    index.backfillUntil = performance.now() + (this.options.backfillMs ?? 1000);
    index.ready = this.sync();
    await index.ready;
    return new RespStatus('OK');
  }

  /**
   * `FT.DROPINDEX <idx>`, documents kept. valkey-search 1.0.3 takes exactly one argument (`DD`, which
   * RediSearch accepts, is refused with this arity error): the stricter engine decides.
   */
  private async dropIndex(args: readonly Buffer[]): Promise<Reply> {
    if (args.length !== 1) throw new FtCommandError('ERR wrong number of arguments for FT.DROPINDEX command');
    const index = this.indexes.get(args[0].toString('latin1'));
    if (index === undefined) throw new FtCommandError('Unknown Index name');
    this.indexes.delete(index.name);
    return new RespStatus('OK');
  }

  private async info(args: readonly Buffer[]): Promise<Reply> {
    if (args.length !== 1) throw new FtCommandError("ERR wrong number of arguments for 'FT.INFO' command");
    const index = this.indexes.get(args[0].toString('latin1'));
    if (index === undefined) throw new FtCommandError('Unknown Index name');
    await index.ready;
    await this.sync();
    index.uses++;
    return describe(index);
  }

  private async search(args: readonly Buffer[]): Promise<Reply> {
    const request = parseSearchArgs(args);
    const index = this.indexes.get(request.index);
    if (index === undefined) throw new FtCommandError(`${request.index}: no such index`);
    const query = parseQuery(request.query, request.dialect, request.params);
    const target = validate(index, query.filter, query.knn, request.params);
    validateReturn(index, query.knn, request);
    if (this.options.searchDuringBackfill === 'error' && index.backfilling()) throw new FtCommandError(`Index ${index.name} ${BACKFILL_ERROR}`);
    await index.ready;
    await this.sync();
    index.uses++;
    index.dialects.add(request.dialect);
    const ranked = rank(index, query.filter, query.knn, target);
    // LIMIT pages the results in document order, as RediSearch does (default LIMIT 0 10)
    const page = ranked.slice(request.offset, request.offset + request.limit);
    // A document that expired without the server reclaiming it yet (no event) still ranks and comes
    // back with no fields, as observed on RediSearch (issue 10); loading it reclaims it, so the
    // expire event removes it before the next search.
    const loaded = await this.load(page.map((hit) => hit.doc.key));
    return formatResults(request, query.knn, ranked.length, page, loaded, index);
  }

  /** Current content of `keys` (null where the key is gone or not a hash); the index catches up on the next sync. */
  private async load(keys: readonly string[]): Promise<(HashFields | null)[]> {
    if (keys.length === 0) return [];
    await this.connection();
    const replies = await this.shards.perKey('HGETALL', keys);
    return replies.map((reply, i) => {
      const fields = toFields(reply);
      if (fields === null) this.dirty.add(keys[i]);
      return fields;
    });
  }

  private async syncNow(): Promise<void> {
    await this.connection();
    // barrier: notifications of every write that completed before now arrive before this reply
    await this.shards.barrier();
    for (const index of this.indexes.values()) {
      if (!index.needsScan) continue;
      index.needsScan = false;
      for (const key of index.docs.keys()) this.dirty.add(key);
      for (const prefix of index.definition.prefixes) {
        const pattern = Buffer.from(`${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`, 'latin1');
        await this.shards.scanHashes(pattern, (key) => this.dirty.add(key));
      }
    }
    while (this.dirty.size > 0) {
      const keys = [...this.dirty].slice(0, LOAD_BATCH);
      for (const key of keys) this.dirty.delete(key);
      const replies = await this.shards.perKey('HGETALL', keys);
      replies.forEach((reply, i) => this.applyHash(keys[i], toFields(reply)));
    }
  }

  private applyHash(key: string, fields: HashFields | null): void {
    for (const index of this.indexes.values()) if (index.covers(key)) index.apply(key, fields);
  }

  private covered(key: string): boolean {
    for (const index of this.indexes.values()) if (index.covers(key)) return true;
    return false;
  }

  private onKeyspaceEvent(key: string): void {
    if (this.covered(key)) this.dirty.add(key);
  }

  /** Connected to every shard, reconnecting (and rescanning every index) after one went away. */
  private async connection(): Promise<void> {
    if (this.stopped) throw new Error('the FT test double is stopped');
    // `open` is false before the first connect too: no shard is connected yet.
    if (!this.shards.open) {
      await this.connect();
      for (const index of this.indexes.values()) index.needsScan = true;
    }
  }

  private async connect(): Promise<void> {
    if (await this.shards.connect()) {
      // a restarted server (the harness keeps no data) has lost its indexes with its data, as a
      // restarted search engine without persistence has
      this.indexes.clear();
      this.dirty.clear();
    }
  }
}

interface Hit {
  readonly doc: IndexedDocument;
  readonly score?: number;
}

function validate(index: FtIndex, filter: readonly Clause[], knn: KnnClause | undefined, params: ReadonlyMap<string, Buffer>): Float32Array | undefined {
  for (const clause of filter) {
    const field = index.field(clause.attribute);
    if (field === undefined) throw new FtCommandError(`Unknown field \`${clause.attribute}\``);
    const expected = clause.kind === 'tag' ? 'TAG' : 'NUMERIC';
    if (field.type !== expected) throw new FtCommandError(`Expected a ${expected} field: \`${clause.attribute}\` is ${field.type}`);
  }
  if (knn === undefined) return undefined;
  const field = index.field(knn.attribute);
  if (field?.vector === undefined) throw new FtCommandError(`Error parsing vector similarity query: \`${knn.attribute}\` is not a vector field`);
  const blob = params.get(knn.param);
  if (blob === undefined) throw new FtCommandError(`No such parameter \`${knn.param}\``);
  const expected = field.vector.dim * 4;
  if (blob.length !== expected) {
    throw new FtCommandError(`Error parsing vector similarity query: query vector blob size (${blob.length}) does not match index's expected size (${expected}).`);
  }
  return prepare(readFloat32(blob), field.vector.metric);
}

/**
 * MemoryDB's FT.SEARCH: "RETURN: ... Only fields that have been declared for this index can be
 * specified." The KNN score name is let through: RediSearch returns the score only when RETURN names
 * it, and no page says whether MemoryDB counts it as declared (the runtime never relies on it).
 */
function validateReturn(index: FtIndex, knn: KnnClause | undefined, request: SearchRequest): void {
  for (const field of request.returnFields ?? []) {
    if (field.name === knn?.scoreField || index.field(field.name) !== undefined) continue;
    throw new FtCommandError(`RETURN field \`${field.name}\` is not declared in the index: only fields declared for the index can be returned (MemoryDB FT.SEARCH)`);
  }
}

function matches(index: FtIndex, doc: IndexedDocument, filter: readonly Clause[]): boolean {
  return filter.every((clause) => {
    if (clause.kind === 'tag') {
      const tags = doc.tags.get(clause.attribute);
      const caseSensitive = index.field(clause.attribute)?.caseSensitive === true;
      return tags !== undefined && clause.values.some((value) => tags.has(caseSensitive ? value : value.toLowerCase()));
    }
    const value = doc.numbers.get(clause.attribute);
    if (value === undefined) return false;
    const aboveMin = clause.minExclusive ? value > clause.min : value >= clause.min;
    const belowMax = clause.maxExclusive ? value < clause.max : value <= clause.max;
    return aboveMin && belowMax;
  });
}

/**
 * Exact brute force: the k filtered documents nearest the query (ties by doc id), returned in
 * document order (doc id), as RediSearch 2.6 answers a KNN without SORTBY. No page promises
 * nearest first, so the double does not either: a client must rank the candidates itself.
 */
function rank(index: FtIndex, filter: readonly Clause[], knn: KnnClause | undefined, target: Float32Array | undefined): Hit[] {
  const hits: Hit[] = [];
  for (const doc of index.docs.values()) {
    if (!matches(index, doc, filter)) continue;
    if (knn === undefined || target === undefined) {
      hits.push({ doc });
      continue;
    }
    const vector = doc.vectors.get(knn.attribute);
    if (vector === undefined) continue;
    hits.push({ doc, score: distance(vector, target, index.field(knn.attribute)?.vector?.metric ?? 'COSINE') });
  }
  if (knn === undefined) return hits.sort((a, b) => a.doc.id - b.doc.id);
  hits.sort((a, b) => (a.score as number) - (b.score as number) || a.doc.id - b.doc.id);
  return hits.slice(0, knn.k).sort((a, b) => a.doc.id - b.doc.id);
}

/**
 * `[total, key, [field, value, ...], ...]`. The score field comes first (without RETURN, or when
 * RETURN names it), then the hash fields: all of them in the server's order without RETURN, else
 * the RETURN fields in their order, missing ones left out (as the reference transcript shows).
 */
function formatResults(request: SearchRequest, knn: KnnClause | undefined, total: number, page: readonly Hit[], loaded: readonly (HashFields | null)[], index: FtIndex): Reply {
  const reply: Reply[] = [total];
  page.forEach((hit, i) => {
    const fields = loaded[i];
    reply.push(Buffer.from(hit.doc.key, 'latin1'));
    if (request.noContent) return;
    if (fields === null) {
      reply.push([]);
      return;
    }
    const out: Reply[] = [];
    const score = hit.score === undefined ? undefined : formatG(hit.score);
    if (request.returnFields === undefined) {
      if (knn !== undefined && score !== undefined) out.push(Buffer.from(knn.scoreField, 'latin1'), score);
      for (const [name, value] of fields) if (name !== knn?.scoreField) out.push(Buffer.from(name, 'latin1'), value);
    } else {
      const scoreReturn = knn === undefined ? undefined : request.returnFields.find((field) => field.name === knn.scoreField);
      if (scoreReturn !== undefined && score !== undefined) out.push(Buffer.from(scoreReturn.as, 'latin1'), score);
      const values = new Map(fields);
      for (const field of request.returnFields) {
        if (field.name === knn?.scoreField) continue;
        const identifier = index.field(field.name)?.identifier ?? field.name;
        const value = values.get(identifier);
        if (value !== undefined) out.push(Buffer.from(field.as, 'latin1'), value);
      }
    }
    reply.push(out);
  });
  return reply;
}

/** FT.INFO in RediSearch 2.6's shape; the memory figures are estimates. */
function describe(index: FtIndex): Reply {
  const docs = [...index.docs.values()];
  const numDocs = docs.length;
  const records = docs.reduce((sum, doc) => sum + doc.records, 0);
  const vectorBytes = index.definition.fields.reduce((sum, field) => sum + (field.vector ? field.vector.dim * 4 * numDocs : 0), 0);
  const mb = (bytes: number): string => formatG(bytes / (1024 * 1024), 17);
  const avg = (a: number, b: number): string => (b === 0 ? '-nan' : formatG(a / b, 17));
  const attributes: Reply[] = index.definition.fields.map((field) => {
    const attribute: Reply[] = ['identifier', bin(field.identifier), 'attribute', bin(field.attribute), 'type', field.type];
    if (field.type === 'TAG') attribute.push('SEPARATOR', field.separator ?? ',');
    if (field.caseSensitive) attribute.push('CASESENSITIVE');
    if (field.sortable) attribute.push('SORTABLE');
    return attribute;
  });
  const dialect = (n: number): number => (index.dialects.has(n) ? 1 : 0);
  return [
    'index_name', bin(index.name),
    'index_options', [],
    'index_definition', ['key_type', 'HASH', 'prefixes', index.definition.prefixes.map(bin), 'default_score', '1'],
    'attributes', attributes,
    'num_docs', String(numDocs),
    'max_doc_id', String(index.maxDocId),
    'num_terms', '0',
    'num_records', String(records),
    'inverted_sz_mb', mb(records * 8),
    'vector_index_sz_mb', mb(vectorBytes),
    'total_inverted_index_blocks', String(index.definition.fields.length),
    'offset_vectors_sz_mb', '0',
    'doc_table_size_mb', mb(numDocs * 64),
    'sortable_values_size_mb', '0',
    'key_table_size_mb', mb(docs.reduce((sum, doc) => sum + doc.key.length + 24, 0)),
    'tag_overhead_sz_mb', mb(numDocs * 16),
    'text_overhead_sz_mb', '0',
    'total_index_memory_sz_mb', mb(records * 8 + vectorBytes + numDocs * 80),
    'records_per_doc_avg', avg(records, numDocs),
    'bytes_per_record_avg', avg(records * 8, records),
    'offsets_per_term_avg', '0',
    'offset_bits_per_record_avg', '-nan',
    'hash_indexing_failures', String(index.failures),
    'total_indexing_time', formatG(index.indexingTimeMs, 17),
    'indexing', index.backfilling() ? '1' : '0',
    'percent_indexed', '1',
    'number_of_uses', index.uses,
    'gc_stats', ['bytes_collected', '0', 'total_ms_run', '0', 'total_cycles', '0', 'average_cycle_time_ms', '-nan', 'last_run_time_ms', '0', 'gc_numeric_trees_missed', '0', 'gc_blocks_denied', '0'],
    'cursor_stats', ['global_idle', 0, 'global_total', 0, 'index_capacity', 128, 'index_total', 0],
    'dialect_stats', ['dialect_1', dialect(1), 'dialect_2', dialect(2), 'dialect_3', dialect(3)],
  ];
}

function bin(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

function toFields(reply: RespValue): HashFields | null {
  if (!Array.isArray(reply) || reply.length === 0) return null;
  const fields: [string, Buffer][] = [];
  for (let i = 0; i + 1 < reply.length; i += 2) {
    const name = reply[i];
    const value = reply[i + 1];
    if (Buffer.isBuffer(name) && Buffer.isBuffer(value)) fields.push([name.toString('latin1'), Buffer.from(value)]);
  }
  return fields;
}

