import { cosine, encodeQuantized, norm, quantize } from '../../../semantic/vectors/quantize';
import { DEFAULT_SEARCH_TUNING, type ScopeVectors, type SearchTuning } from '../../../semantic/vectors/scope-vectors';
import { MAX_REJECTING_ASKERS, type SemanticDocument, type SemanticHit, type SemanticIndex } from '../../../semantic/semantic-index';
import type { RedisProvider } from '../connection/redis-commands';
import type { CandidateCheck } from '../../../semantic/same-question/candidate-check';
import { encodeFacts } from '../../../semantic/same-question/facts';
import { ChangeLog } from './change-log';
import { decodeDocument, encodeDocument } from './codec';
import { clientIndexKeys, type ClientIndexKeys } from './keys';
import { ScopeStates, type ScopeState } from './scope-states';
import { REJECT_DOCUMENT, REMOVE_DOCUMENT, STORE_DOCUMENT } from './scripts';
import { ConfigurationError } from '../../../core/errors';
import { DEFAULT_CLIENT_MAX_ENTRIES, DEFAULT_CLIENT_MAX_SCOPES } from '../../../settings/runtime-settings';

export interface ClientIndexOptions {
  readonly embeddingModelId: string;
  readonly dimensions: number;
  /** Documents per scope held in a container's memory (and kept in the change log). @default DEFAULT_CLIENT_MAX_ENTRIES (10,000) */
  readonly maxEntriesPerScope?: number;
  /** Scopes held in a container's memory. @default DEFAULT_CLIENT_MAX_SCOPES (16) */
  readonly maxScopes?: number;
  /** @default DEFAULT_SEARCH_TUNING */
  readonly tuning?: SearchTuning;
}

/**
 * Semantic index for servers without vector search (ElastiCache Serverless, MemoryDB without the
 * search parameter group): the server keeps the vectors and a change log per scope, every
 * container keeps its own in-memory index of the scopes it serves.
 *
 * - `prepare(scope)` (issued with the exact GET) catches the scope up from its log (`ChangeLog`).
 * - `search` scans the int8 vectors in memory (sign-bit prefilter, int8 re-score, quantization
 *   bound), then reads the few candidates' documents with one MGET in the scope's slot and
 *   compares the exact float32 cosine to the threshold: the similarity reported is exact, as on
 *   the FT path. A candidate whose document is gone (expired, deleted) leaves the index. With an
 *   asker, the same MGET reads each candidate's rejections too.
 * - `add` writes the document and appends to the log in one EVAL (`STORE_DOCUMENT`).
 * - `remove` deletes the document and its rejections and appends a delete record in one EVAL
 *   (`REMOVE_DOCUMENT`); this container drops the vector at once, the others at their next catch-up.
 * - `reject` adds the asker to the document's rejections (`REJECT_DOCUMENT`), read by the next search.
 */
export class ClientIndex implements SemanticIndex {
  readonly kind = 'client';
  private readonly keys: ClientIndexKeys;
  private readonly scopes: ScopeStates;
  private readonly log: ChangeLog;
  private readonly maxEntries: number;
  private readonly tuning: SearchTuning;

  constructor(
    private readonly redis: RedisProvider,
    private readonly options: ClientIndexOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.keys = clientIndexKeys(options.embeddingModelId, options.dimensions);
    this.maxEntries = options.maxEntriesPerScope ?? DEFAULT_CLIENT_MAX_ENTRIES;
    this.scopes = new ScopeStates(options.dimensions, this.maxEntries, options.maxScopes ?? DEFAULT_CLIENT_MAX_SCOPES);
    this.log = new ChangeLog(redis, this.keys, options.dimensions, now, (state) => this.scopes.reset(state));
    this.tuning = options.tuning ?? DEFAULT_SEARCH_TUNING;
  }

  /** Documents of `scope` held in this container (for tests and measurements). */
  held(scope: string): ScopeVectors | undefined {
    return this.scopes.peek(scope)?.vectors;
  }

  prepare(scope: string, namespace: string): Promise<void> {
    return this.log.catchUp(this.scopes.use(scope, namespace));
  }

  async search(scope: string, vector: Float32Array, threshold: number, check?: CandidateCheck, asker?: string, namespace?: string): Promise<SemanticHit | null> {
    if (vector.length !== this.options.dimensions) return null;
    const state = this.scopes.peek(scope);
    if (state === undefined || !state.bootstrapped) {
      const held = namespace ?? state?.namespace;
      if (held === undefined) throw new ConfigurationError('ClientIndex.search needs the namespace of a scope it has not read yet');
      await this.prepare(scope, held);
      return this.searchScope(this.scopes.use(scope, held), vector, threshold, check, asker);
    }
    return this.searchScope(state, vector, threshold, check, asker);
  }

  async add(document: SemanticDocument): Promise<void> {
    if (document.vector.length !== this.options.dimensions) return;
    const quantized = quantize(document.vector);
    const expiresAt = this.now() + document.ttlMs;
    const { namespace, scope, id } = document;
    const redis = await this.redis();
    await redis.eval(
      STORE_DOCUMENT, 3,
      this.keys.document(namespace, scope, id), this.keys.log(namespace, scope), this.keys.rejections(namespace, scope, id),
      encodeDocument(document.vector, document.entry, document.facts === undefined ? undefined : encodeFacts(document.facts)), String(document.ttlMs), String(this.maxEntries),
      id, encodeQuantized(quantized), String(expiresAt),
    );
    // Searchable here at once; the log brings the same document again, which replaces it.
    this.scopes.use(scope, namespace).vectors.put(id, quantized, expiresAt);
  }

  async remove(scope: string, id: string, namespace: string): Promise<boolean> {
    const redis = await this.redis();
    const existed = await redis.eval(
      REMOVE_DOCUMENT, 3,
      this.keys.document(namespace, scope, id), this.keys.log(namespace, scope), this.keys.rejections(namespace, scope, id),
      String(this.maxEntries), id,
    );
    this.scopes.peek(scope)?.vectors.remove(id);
    return existed === 1;
  }

  async reject(scope: string, id: string, namespace: string, asker: string): Promise<boolean> {
    const redis = await this.redis();
    const recorded = await redis.eval(REJECT_DOCUMENT, 2, this.keys.document(namespace, scope, id), this.keys.rejections(namespace, scope, id), asker, String(MAX_REJECTING_ASKERS));
    return recorded === 1;
  }

  /**
   * The in-memory scan of a caught-up scope, then the exact check of its few candidates: the
   * threshold on the exact cosine, then the same-question check on the facts read with them.
   */
  private async searchScope(state: ScopeState, vector: Float32Array, threshold: number, check: CandidateCheck | undefined, asker: string | undefined): Promise<SemanticHit | null> {
    const length = norm(vector);
    if (length === 0) return null;
    const query = new Float32Array(vector.length);
    for (let i = 0; i < vector.length; i++) query[i] = vector[i]! / length;
    const candidates = state.vectors.candidates(query, threshold, this.now(), this.tuning);
    if (candidates.length === 0) return null;
    const redis = await this.redis();
    const { namespace, scope } = state;
    const keys = candidates.map((c) => this.keys.document(namespace, scope, c.id));
    // With an asker, each candidate's rejections come in the same MGET (same scope, same slot).
    if (asker !== undefined) for (const c of candidates) keys.push(this.keys.rejections(namespace, scope, c.id));
    const values = await redis.mgetBuffer(...keys);
    let best: SemanticHit | null = null;
    candidates.forEach((candidate, i) => {
      const value = values[i];
      const document = value ? decodeDocument(value, this.options.dimensions) : null;
      if (document === null) {
        state.vectors.remove(candidate.id);
        return;
      }
      const similarity = cosine(vector, document.vector);
      if (similarity < threshold || (best !== null && similarity <= best.similarity)) return;
      if (asker !== undefined && rejects(values[candidates.length + i], asker)) {
        check?.rejectedByOwner(similarity);
        return;
      }
      if (check === undefined || check.accepts(document.facts, similarity)) best = { entry: document.entry, similarity, id: candidate.id };
    });
    return best;
  }
}

/** Whether a document's stored rejections (space-separated askers) name `asker`. */
function rejects(stored: Buffer | null | undefined, asker: string): boolean {
  if (!stored) return false;
  return stored.toString('latin1').split(' ').includes(asker);
}
