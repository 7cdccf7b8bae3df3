import type { RedisCommands, RedisProvider } from '../connection/redis-commands';
import { ConfigurationError } from '../../../core/errors';
import { APPEND_REJECTED_ASKER } from '../rejected-askers';
import { isUnknownIndex, parseCandidates, rankCandidates, type Candidate } from './ft-reply';
import { knnSearchArgs } from './ft-query';
import { documentIdOf, documentKey, indexNames, supersededIndexNames, vectorBlob, type IndexNames } from './index-naming';
import { MAX_REJECTING_ASKERS, type SemanticDocument, type SemanticHit, type SemanticIndex } from '../../../semantic/semantic-index';
import type { CandidateCheck } from '../../../semantic/same-question/candidate-check';
import { encodeFacts, literalTag } from '../../../semantic/same-question/facts';

/** Stores one document and its expiry in one round trip, atomically. */
const STORE_DOCUMENT = "redis.call('HSET', KEYS[1], 'scope', ARGV[1], 'created', ARGV[2], 'vec', ARGV[3], 'answer', ARGV[4]) return redis.call('PEXPIRE', KEYS[1], ARGV[5])";
/**
 * The same with the same-question check's fields: `check`, the literal TAG the index declares
 * (the KNN prefilter), and `facts`, the rest of what the check needs, read with the answer.
 */
const STORE_CHECKED_DOCUMENT =
  "redis.call('HSET', KEYS[1], 'scope', ARGV[1], 'created', ARGV[2], 'vec', ARGV[3], 'answer', ARGV[4], 'check', ARGV[6], 'facts', ARGV[7]) return redis.call('PEXPIRE', KEYS[1], ARGV[5])";

/**
 * Records an asker in a document's undeclared `rejected` field (space-separated askers, oldest
 * first, at most ARGV[2]; the reject action): KEYS[1] the document, ARGV[1] the asker. HSET keeps
 * the document's TTL. Answers 0 when the document is gone. Calls HGET and HSET (`REDIS_COMMANDS_USED`).
 */
const REJECT_DOCUMENT = `if not redis.call('HGET', KEYS[1], 'scope') then return 0 end
local held = redis.call('HGET', KEYS[1], 'rejected')
${APPEND_REJECTED_ASKER}
redis.call('HSET', KEYS[1], 'rejected', value)
return 1`;

/** The vector field, and the name every engine gives its KNN distance when the query has no `AS`. */
const VECTOR_FIELD = 'vec';
const SCORE_FIELD = `__${VECTOR_FIELD}_score`;

/**
 * Neighbours asked for per search. More than one, so an expired document the server has not yet
 * reclaimed (it still ranks, with no fields) never hides a live one behind it. More did not raise
 * recall on either real engine once EF_RUNTIME is 50 (README, "Semantic recall"). @default 4
 */
export const KNN_CANDIDATES = 4;

/**
 * HNSW candidate list size per search, an attribute of the index (FT.CREATE `EF_RUNTIME`). The
 * engines' default, 10, missed the true nearest neighbour of up to 5 % of paraphrase queries at
 * 10,000 entries in one scope on valkey-search; 50 is the cheapest value of the sweep that agreed
 * with brute force on every query on both real engines (README, "Semantic recall").
 * MemoryDB and ElastiCache allow at most 4096. @default 50
 */
export const EF_RUNTIME = 50;

/** Upper bound of `efRuntime`: MemoryDB's and ElastiCache's limit for HNSW EF_RUNTIME (docs/aws-facts.md). */
export const MAX_EF_RUNTIME = 4096;

/** Upper bound of `candidates`: a project bound (no engine page gives a maximum K). */
export const MAX_KNN_CANDIDATES = 1000;

export interface SearchIndexOptions {
  readonly embeddingModelId: string;
  readonly dimensions: number;
  /** HNSW graph degree. @default 16 */
  readonly m?: number;
  /** HNSW build-time candidate list size. @default 200 */
  readonly efConstruction?: number;
  /**
   * K: neighbours asked for per search (`KNN K`, sent with `LIMIT 0 K` so an engine's default of 10
   * results never cuts them), an integer from 1 to MAX_KNN_CANDIDATES. The runtime ranks them
   * itself, nearest first, whatever order the engine replies in. @default KNN_CANDIDATES (4)
   */
  readonly candidates?: number;
  /** HNSW search-time candidate list size, set on FT.CREATE: an integer from 1 to MAX_EF_RUNTIME. @default EF_RUNTIME */
  readonly efRuntime?: number;
}

/**
 * Semantic index on the server's vector search (Redis 8 query engine, MemoryDB vector search,
 * ElastiCache valkey-search). Sends only the FT dialect all three document (docs/ft-dialect.md):
 * HASH documents; TAG + NUMERIC + VECTOR (HNSW, FLOAT32, COSINE) fields; a scope TAG pre-filter on
 * KNN with PARAMS, `LIMIT 0 K` and DIALECT 2; no RETURN and no `AS`, because MemoryDB's RETURN may
 * name only declared fields and the answer text cannot be one.
 *
 * The reply's order is not trusted (RediSearch 2.6 answers a KNN in document order): candidates
 * are ranked by distance here. A semantic hit then costs two round trips: the search, then
 * `HGET <key> answer` of the nearest candidate that clears the threshold. Only if that one is gone
 * (expired since the search) are the others that clear it read, together, and the nearest live one
 * wins. Each HGET names its key, so a cluster client routes it to the key's shard.
 *
 * A document is `<prefix><namespace>:<id>` (index version 3): `remove` UNLINKs it, `reject` adds
 * the asker to its `rejected` field, which a search with that asker reads with the answer.
 */
export class SearchIndex implements SemanticIndex {
  readonly kind = 'search';
  private readonly names: IndexNames;
  /** K of every KNN this index sends. */
  private readonly k: number;
  private ready: Promise<void> | undefined;
  private recreating: Promise<void> | undefined;

  constructor(
    private readonly redis: RedisProvider,
    private readonly options: SearchIndexOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.names = indexNames(options.embeddingModelId, options.dimensions);
    this.k = options.candidates ?? KNN_CANDIDATES;
    if (!Number.isInteger(this.k) || this.k < 1 || this.k > MAX_KNN_CANDIDATES) {
      throw new ConfigurationError(`SearchIndex candidates must be an integer from 1 to ${MAX_KNN_CANDIDATES}, got ${String(options.candidates)}`);
    }
    const efRuntime = options.efRuntime ?? EF_RUNTIME;
    if (!Number.isInteger(efRuntime) || efRuntime < 1 || efRuntime > MAX_EF_RUNTIME) {
      throw new ConfigurationError(`SearchIndex efRuntime must be an integer from 1 to ${MAX_EF_RUNTIME}, got ${String(options.efRuntime)}`);
    }
  }

  get indexName(): string {
    return this.names.index;
  }

  /** Every document key of this index starts with it. */
  get documentPrefix(): string {
    return this.names.documentPrefix;
  }

  /**
   * With the same-question check, the KNN is prefiltered on the asked prompt's literal TAG, so
   * neighbours with other literals (and documents written before the check, which have no TAG)
   * never take one of the K places; a KNN 1 without that prefilter goes in the same round trip,
   * only to say why a miss missed (the nearest neighbour's TAG comes back with it). With an
   * asker, each candidate's `rejected` field is read with its answer (same round trip).
   */
  async search(scope: string, vector: Float32Array, threshold: number, check?: CandidateCheck, asker?: string): Promise<SemanticHit | null> {
    await this.ensureIndex();
    const redis = await this.redis();
    if (check === undefined) {
      const candidates = rankCandidates(await this.knn(redis, scope, vector, this.k));
      return this.readBest(redis, candidates.filter((candidate) => 1 - candidate.distance >= threshold), undefined, asker);
    }
    const [checked, nearest] = await Promise.all([this.knn(redis, scope, vector, this.k, check.tag), this.knn(redis, scope, vector, 1)]);
    const candidates = rankCandidates(checked).filter((candidate) => 1 - candidate.distance >= threshold);
    const hit = await this.readBest(redis, candidates, check, asker);
    const unfiltered = nearest[0];
    if (hit === null && unfiltered !== undefined && 1 - unfiltered.distance >= threshold) check.rejectByTag(unfiltered.check, 1 - unfiltered.distance);
    return hit;
  }

  async add(document: SemanticDocument): Promise<void> {
    await this.ensureIndex();
    const redis = await this.redis();
    const key = documentKey(this.names, document.namespace, document.id);
    const stored = [key, document.scope, String(this.now()), vectorBlob(document.vector), document.entry, String(document.ttlMs)] as const;
    if (document.facts === undefined) await redis.eval(STORE_DOCUMENT, 1, ...stored);
    else await redis.eval(STORE_CHECKED_DOCUMENT, 1, ...stored, literalTag(document.facts), encodeFacts(document.facts));
  }

  /**
   * UNLINK of the document: every engine drops a deleted key from its index, so no container finds
   * it again. `scope` is not needed: the document's key is its namespace and id.
   */
  async remove(_scope: string, id: string, namespace: string): Promise<boolean> {
    const redis = await this.redis();
    return (await redis.call('UNLINK', documentKey(this.names, namespace, id))) === 1;
  }

  async reject(_scope: string, id: string, namespace: string, asker: string): Promise<boolean> {
    const redis = await this.redis();
    return (await redis.eval(REJECT_DOCUMENT, 1, documentKey(this.names, namespace, id), asker, String(MAX_REJECTING_ASKERS))) === 1;
  }

  /** Creates the index once per container; a racing container's "already exists" is success. */
  ensureIndex(): Promise<void> {
    this.ready ??= this.createIndex().catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  /**
   * KNN in one scope. An "unknown index" error means the server lost the index (a restart of a
   * host that keeps no data): recreate it once, shared by every concurrent search, and retry once.
   * Documents added meanwhile are picked up by FT.CREATE's backfill.
   */
  private async knn(redis: RedisCommands, scope: string, vector: Float32Array, k: number, check?: string): Promise<Candidate[]> {
    const args = knnSearchArgs(this.names.index, VECTOR_FIELD, scope, k, vectorBlob(vector), check);
    const send = () => redis.call('FT.SEARCH', ...args);
    try {
      return parseCandidates(await send(), SCORE_FIELD);
    } catch (error) {
      if (!isUnknownIndex(error)) throw error;
      await this.recreate();
      return parseCandidates(await send(), SCORE_FIELD);
    }
  }

  /**
   * The answer of the nearest candidate that is still there (and that `check` accepts).
   * `candidates` are ranked nearest first and all clear the threshold: the nearest is read alone
   * (the usual case: one round trip; with the check, its `facts` in the same one); if it has gone
   * since the search or is rejected, the rest are read in one round trip and the nearest present,
   * accepted one wins. With an asker, each read also takes the candidate's `rejected` field (an
   * undeclared field, so never in the FT reply on MemoryDB), sent with the others: no extra round
   * trip; a candidate rejected for the asker is passed over like one the check rejects.
   */
  private async readBest(redis: RedisCommands, candidates: readonly Candidate[], check?: CandidateCheck, asker?: string): Promise<SemanticHit | null> {
    if (candidates.length === 0) return null;
    const [nearest, ...rest] = candidates;
    const read = (candidate: Candidate): Promise<[unknown, unknown, unknown]> =>
      Promise.all([
        redis.call('HGET', candidate.key, 'answer'),
        check === undefined ? undefined : redis.call('HGET', candidate.key, 'facts'),
        asker === undefined ? undefined : redis.call('HGET', candidate.key, 'rejected'),
      ]);
    const accepted = (candidate: Candidate, [answer, facts, rejected]: [unknown, unknown, unknown]): boolean => {
      if (answer === null || answer === undefined) return false;
      const similarity = 1 - candidate.distance;
      if (asker !== undefined && rejectedFor(rejected, asker)) {
        check?.rejectedByOwner(similarity);
        return false;
      }
      return check === undefined || check.accepts(facts === null || facts === undefined ? undefined : String(facts), similarity);
    };
    const first = await read(nearest!);
    if (accepted(nearest!, first)) return this.hit(nearest!, first[0]);
    const others = await Promise.all(rest.map(read));
    for (let i = 0; i < rest.length; i++) {
      if (accepted(rest[i]!, others[i]!)) return this.hit(rest[i]!, others[i]![0]); // else expired, deleted or rejected
    }
    return null;
  }

  private hit(candidate: Candidate, answer: unknown): SemanticHit {
    return { entry: String(answer), similarity: 1 - candidate.distance, id: documentIdOf(candidate.key) };
  }

  private recreate(): Promise<void> {
    this.recreating ??= this.createIndex().finally(() => {
      this.recreating = undefined;
    });
    return this.recreating;
  }

  /**
   * FT.CREATE of this version's index (index-naming.ts, SEARCH_INDEX_VERSION), then, without
   * waiting, FT.DROPINDEX of the names earlier versions gave the same model and dimension, so
   * they do not pile up against the 10-index limit. Without `DD`: their documents expire by TTL.
   * Sent by every container once (an old container of a deploy still in flight may recreate its
   * index; the next new container drops it again); "unknown index" is the usual answer, and any
   * refusal is ignored: a superseded index costs memory, never a request.
   * `check` is declared for the semantic check's TAG (written by a later change; documents without
   * it are indexed as before), so adding it needs no new index version.
   */
  private async createIndex(): Promise<void> {
    const redis = await this.redis();
    const { m = 16, efConstruction = 200, efRuntime = EF_RUNTIME } = this.options;
    try {
      await redis.call(
        'FT.CREATE', this.names.index, 'ON', 'HASH', 'PREFIX', '1', this.names.documentPrefix,
        'SCHEMA', 'scope', 'TAG', 'created', 'NUMERIC', 'check', 'TAG',
        VECTOR_FIELD, 'VECTOR', 'HNSW', '12', 'TYPE', 'FLOAT32', 'DIM', String(this.options.dimensions), 'DISTANCE_METRIC', 'COSINE',
        'M', String(m), 'EF_CONSTRUCTION', String(efConstruction), 'EF_RUNTIME', String(efRuntime),
      );
    } catch (error) {
      if (!(error instanceof Error && /already exists/i.test(error.message))) throw error;
    }
    for (const name of supersededIndexNames(this.options.embeddingModelId, this.options.dimensions)) {
      redis.call('FT.DROPINDEX', name).catch(() => undefined);
    }
  }
}

/** Whether a document's `rejected` field (space-separated askers) names `asker`. */
function rejectedFor(rejected: unknown, asker: string): boolean {
  if (rejected === null || rejected === undefined) return false;
  return String(rejected).split(' ').includes(asker);
}
