import { cosine, encodeQuantized, norm, quantize } from '../../../semantic/vectors/quantize';
import { DEFAULT_SEARCH_TUNING, type ScopeVectors, type SearchTuning } from '../../../semantic/vectors/scope-vectors';
import type { SemanticDocument, SemanticHit, SemanticIndex } from '../../../semantic/semantic-index';
import type { RedisProvider } from '../connection/redis-commands';
import type { CandidateCheck } from '../../../semantic/same-question/candidate-check';
import { encodeFacts } from '../../../semantic/same-question/facts';
import { ChangeLog } from './change-log';
import { decodeDocument, encodeDocument } from './codec';
import { clientIndexKeys, type ClientIndexKeys } from './keys';
import { ScopeStates, type ScopeState } from './scope-states';
import { STORE_DOCUMENT } from './scripts';

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
 *   the FT path. A candidate whose document is gone (expired, deleted) leaves the index.
 * - `add` writes the document and appends to the log in one EVAL (`STORE_DOCUMENT`).
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
    this.log = new ChangeLog(redis, this.keys, options.dimensions, now);
    this.tuning = options.tuning ?? DEFAULT_SEARCH_TUNING;
  }

  /** Documents of `scope` held in this container (for tests and measurements). */
  held(scope: string): ScopeVectors | undefined {
    return this.scopes.peek(scope)?.vectors;
  }

  prepare(scope: string): Promise<void> {
    return this.log.catchUp(this.scopes.use(scope));
  }

  async search(scope: string, vector: Float32Array, threshold: number, check?: CandidateCheck): Promise<SemanticHit | null> {
    if (vector.length !== this.options.dimensions) return null;
    const state = this.scopes.peek(scope);
    if (state === undefined || !state.bootstrapped) {
      await this.prepare(scope);
      return this.searchScope(this.scopes.use(scope), vector, threshold, check);
    }
    return this.searchScope(state, vector, threshold, check);
  }

  async add(document: SemanticDocument): Promise<void> {
    if (document.vector.length !== this.options.dimensions) return;
    const quantized = quantize(document.vector);
    const expiresAt = this.now() + document.ttlMs;
    const redis = await this.redis();
    await redis.eval(
      STORE_DOCUMENT, 2,
      this.keys.document(document.scope, document.id), this.keys.log(document.scope),
      encodeDocument(document.vector, document.entry, document.facts === undefined ? undefined : encodeFacts(document.facts)), String(document.ttlMs), String(this.maxEntries),
      document.id, encodeQuantized(quantized), String(expiresAt),
    );
    // Searchable here at once; the log brings the same document again, which replaces it.
    this.scopes.use(document.scope).vectors.put(document.id, quantized, expiresAt);
  }

  remove(_scope: string, _id: string, _namespace: string): Promise<boolean> {
    return Promise.reject(new Error('ClientIndex.remove: not implemented yet'));
  }

  reject(_scope: string, _id: string, _namespace: string, _asker: string): Promise<boolean> {
    return Promise.reject(new Error('ClientIndex.reject: not implemented yet'));
  }

  /**
   * The in-memory scan of a caught-up scope, then the exact check of its few candidates: the
   * threshold on the exact cosine, then the same-question check on the facts read with them.
   */
  private async searchScope(state: ScopeState, vector: Float32Array, threshold: number, check: CandidateCheck | undefined): Promise<SemanticHit | null> {
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
      if (similarity >= threshold && (best === null || similarity > best.similarity) && (check === undefined || check.accepts(document.facts, similarity))) {
        best = { entry: document.entry, similarity, id: candidate.id };
      }
    });
    return best;
  }
}
