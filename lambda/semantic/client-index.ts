import { KEY_PREFIX, KEY_VERSION } from '../core/keys';
import type { RedisProvider } from '../stores/redis-commands';
import { vectorBlob } from './index-naming';
import { cosine, decodeQuantized, encodeQuantized, norm, quantize } from './client/quantize';
import { ScopeVectors, type SearchTuning } from './client/scope-vectors';
import type { SemanticDocument, SemanticHit, SemanticIndex } from './semantic-index';

/** Default bound per scope and container: past it the oldest documents leave first. */
export const DEFAULT_CLIENT_MAX_ENTRIES = 10_000;
/** Default number of scopes one container keeps in memory (least recently used leaves first). */
export const DEFAULT_CLIENT_MAX_SCOPES = 16;
export const DEFAULT_SEARCH_TUNING: SearchTuning = { prefilter: 128, rerank: 4 };
/**
 * Log entries per read (~1 MiB at 1024 dims): a bootstrap reads the log in pages, so no single
 * reply approaches the per-command timeout, and a page that fails leaves the ones before it applied.
 */
export const LOG_PAGE = 1000;

/**
 * Stores a document in one round trip, atomically, in the scope's slot:
 * KEYS[1] document (float32 vector + answer, with the entry's TTL), KEYS[2] change log.
 * ARGV: document bytes, TTL ms, log cap, id, quantized vector, expires-at ms.
 * The log keeps the TTL of its longest-lived entry, so an abandoned scope vanishes.
 */
const STORE_DOCUMENT = `redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'd', ARGV[4], 'q', ARGV[5], 'x', ARGV[6])
if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
return 1`;

export interface ClientIndexOptions {
  readonly embeddingModelId: string;
  readonly dimensions: number;
  /** Documents per scope held in a container's memory (and kept in the change log). */
  readonly maxEntriesPerScope?: number;
  /** Scopes held in a container's memory. */
  readonly maxScopes?: number;
  readonly tuning?: SearchTuning;
}

/**
 * Key names of the client-side index. Model and dimension are in every name, and all keys of a
 * scope share the hash tag `{<scope>}`, so a scope lives in one cluster slot:
 * `llmcache:cv:v1:<model>:<dim>:{<scope>}:log` (change log, a capped stream) and
 * `llmcache:cv:v1:<model>:<dim>:{<scope>}:d:<id>` (float32 vector + answer, with the entry's TTL).
 */
export function clientIndexKeys(embeddingModelId: string, dimensions: number): { log(scope: string): string; document(scope: string, id: string): string } {
  const model = embeddingModelId.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  const prefix = `${KEY_PREFIX}cv:${KEY_VERSION}:${model}:${dimensions}:`;
  return {
    log: (scope) => `${prefix}{${scope}}:log`,
    document: (scope, id) => `${prefix}{${scope}}:d:${id}`,
  };
}

/** `[float32 LE vector][UTF-8 entry]`: one read gives the exact re-rank and the answer. */
export function encodeDocument(vector: Float32Array, entry: string): Buffer {
  return Buffer.concat([vectorBlob(vector), Buffer.from(entry, 'utf8')]);
}

export function decodeDocument(value: Buffer, dimensions: number): { vector: Float32Array; entry: string } | null {
  if (value.length < dimensions * 4) return null;
  const vector = new Float32Array(dimensions);
  for (let i = 0; i < dimensions; i++) vector[i] = value.readFloatLE(i * 4);
  return { vector, entry: value.toString('utf8', dimensions * 4) };
}

interface ScopeState {
  readonly scope: string;
  readonly vectors: ScopeVectors;
  /** Stream id of the last change applied. */
  lastId: string;
  /** Whether the whole log has been read once. */
  bootstrapped: boolean;
  running?: Promise<void>;
  queued?: Promise<void>;
}

/**
 * Semantic index for servers without vector search (ElastiCache Serverless, MemoryDB without the
 * search parameter group): the server keeps the vectors and a change log per scope, every
 * container keeps its own in-memory index of the scopes it serves.
 *
 * - `prepare(scope)` (issued with the exact GET) bootstraps a scope from its log on first use
 *   (pages of LOG_PAGE entries), then reads only what is new: `XRANGE log (<last id> + COUNT n`,
 *   empty when nothing changed.
 * - `search` scans the int8 vectors in memory (sign-bit prefilter, int8 re-score, quantization
 *   bound), then reads the few candidates' documents with one MGET in the scope's slot and
 *   compares the exact float32 cosine to the threshold: the similarity reported is exact, as on
 *   the FT path. A candidate whose document is gone (expired, deleted) leaves the index.
 * - `add` writes the document and appends to the log in one EVAL.
 */
export class ClientIndex implements SemanticIndex {
  readonly kind = 'client';
  private readonly scopes = new Map<string, ScopeState>();
  private readonly keys: ReturnType<typeof clientIndexKeys>;
  private readonly maxEntries: number;
  private readonly maxScopes: number;
  private readonly tuning: SearchTuning;

  constructor(
    private readonly redis: RedisProvider,
    private readonly options: ClientIndexOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.keys = clientIndexKeys(options.embeddingModelId, options.dimensions);
    this.maxEntries = options.maxEntriesPerScope ?? DEFAULT_CLIENT_MAX_ENTRIES;
    this.maxScopes = options.maxScopes ?? DEFAULT_CLIENT_MAX_SCOPES;
    this.tuning = options.tuning ?? DEFAULT_SEARCH_TUNING;
  }

  /** Documents of `scope` held in this container (for tests and measurements). */
  held(scope: string): ScopeVectors | undefined {
    return this.scopes.get(scope)?.vectors;
  }

  prepare(scope: string): Promise<void> {
    return this.catchUp(this.state(scope));
  }

  async search(scope: string, vector: Float32Array, threshold: number): Promise<SemanticHit | null> {
    if (vector.length !== this.options.dimensions) return null;
    const state = this.scopes.get(scope);
    if (state === undefined || !state.bootstrapped) {
      await this.prepare(scope);
      return this.search2(this.state(scope), vector, threshold);
    }
    return this.search2(state, vector, threshold);
  }

  async add(document: SemanticDocument): Promise<void> {
    if (document.vector.length !== this.options.dimensions) return;
    const quantized = quantize(document.vector);
    const expiresAt = this.now() + document.ttlMs;
    const redis = await this.redis();
    await redis.eval(
      STORE_DOCUMENT, 2,
      this.keys.document(document.scope, document.id), this.keys.log(document.scope),
      encodeDocument(document.vector, document.entry), String(document.ttlMs), String(this.maxEntries),
      document.id, encodeQuantized(quantized), String(expiresAt),
    );
    // Searchable here at once; the log brings the same document again, which replaces it.
    this.state(document.scope).vectors.put(document.id, quantized, expiresAt);
  }

  private async search2(state: ScopeState, vector: Float32Array, threshold: number): Promise<SemanticHit | null> {
    const length = norm(vector);
    if (length === 0) return null;
    const query = new Float32Array(vector.length);
    for (let i = 0; i < vector.length; i++) query[i] = vector[i]! / length;
    const candidates = state.vectors.candidates(query, threshold, this.now(), this.tuning);
    if (candidates.length === 0) return null;
    const redis = await this.redis();
    const values = await redis.mgetBuffer(...candidates.map((c) => this.keys.document(state.scope, c.id)));
    let best: SemanticHit | null = null;
    candidates.forEach((candidate, i) => {
      const value = values[i];
      const document = value ? decodeDocument(value, this.options.dimensions) : null;
      if (document === null) {
        state.vectors.remove(candidate.id);
        return;
      }
      const similarity = cosine(vector, document.vector);
      if (similarity >= threshold && (best === null || similarity > best.similarity)) {
        best = { entry: document.entry, similarity, id: candidate.id };
      }
    });
    return best;
  }

  /** The scope's state, created empty on first use; the least recently used scope leaves past the cap. */
  private state(scope: string): ScopeState {
    let state = this.scopes.get(scope);
    if (state !== undefined) {
      this.scopes.delete(scope);
      this.scopes.set(scope, state);
      return state;
    }
    state = { scope, vectors: new ScopeVectors(this.options.dimensions, this.maxEntries), lastId: '0-0', bootstrapped: false };
    this.scopes.set(scope, state);
    while (this.scopes.size > this.maxScopes) {
      const oldest = this.scopes.keys().next().value;
      if (oldest === undefined) break;
      this.scopes.delete(oldest);
    }
    return state;
  }

  /**
   * One log read at a time per scope. A call made while a read is in flight waits for one more
   * read after it (shared by every such caller), so it sees every change stored before it began.
   */
  private catchUp(state: ScopeState): Promise<void> {
    if (state.running === undefined) {
      const running = this.readLog(state).finally(() => {
        if (state.running === running) state.running = undefined;
      });
      state.running = running;
      return running;
    }
    state.queued ??= state.running
      .catch(() => undefined)
      .then(() => {
        state.queued = undefined;
        return this.catchUp(state);
      });
    return state.queued;
  }

  private async readLog(state: ScopeState): Promise<void> {
    const redis = await this.redis();
    for (;;) {
      const reply: unknown = await redis.xrangeBuffer(this.keys.log(state.scope), `(${state.lastId}`, '+', 'COUNT', LOG_PAGE);
      const read = Array.isArray(reply) ? this.apply(state, reply as unknown[]) : 0;
      if (read < LOG_PAGE) break;
    }
    state.bootstrapped = true;
  }

  /** Applies log entries `[id, [field, value, ...]]` in order; returns how many were read. */
  private apply(state: ScopeState, entries: unknown[]): number {
    const now = this.now();
    for (const item of entries) {
      if (!Array.isArray(item) || item.length < 2 || !Array.isArray(item[1])) continue;
      const fields = item[1] as Buffer[];
      let id: string | undefined;
      let blob: Buffer | undefined;
      let expiresAt = Number.NaN;
      for (let i = 0; i + 1 < fields.length; i += 2) {
        const name = String(fields[i]);
        if (name === 'd') id = String(fields[i + 1]);
        else if (name === 'q') blob = fields[i + 1];
        else if (name === 'x') expiresAt = Number(String(fields[i + 1]));
      }
      state.lastId = String(item[0]);
      if (id === undefined || blob === undefined || !(expiresAt > now)) continue;
      const quantized = decodeQuantized(blob, this.options.dimensions);
      if (quantized !== null) state.vectors.put(id, quantized, expiresAt);
    }
    return entries.length;
  }
}
