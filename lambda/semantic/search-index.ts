import type { RedisProvider } from '../stores/redis-commands';
import { indexNames, vectorBlob, type IndexNames } from './index-naming';
import type { SemanticDocument, SemanticHit, SemanticIndex } from './semantic-index';

/** Stores one document and its expiry in one round trip, atomically. */
const STORE_DOCUMENT = "redis.call('HSET', KEYS[1], 'scope', ARGV[1], 'created', ARGV[2], 'vec', ARGV[3], 'answer', ARGV[4]) return redis.call('PEXPIRE', KEYS[1], ARGV[5])";

export interface SearchIndexOptions {
  readonly embeddingModelId: string;
  readonly dimensions: number;
  /** HNSW graph degree. @default 16 */
  readonly m?: number;
  /** HNSW build-time candidate list size. @default 200 */
  readonly efConstruction?: number;
}

/**
 * Semantic index on the server's vector search (Redis with the query engine, MemoryDB with vector
 * search). Uses only the portable FT subset: HASH documents, TAG + NUMERIC + VECTOR (HNSW,
 * FLOAT32, COSINE) fields, a scope TAG pre-filter on KNN with DIALECT 2. The answer comes back in
 * the same round trip as the match.
 */
export class SearchIndex implements SemanticIndex {
  readonly kind = 'search';
  private readonly names: IndexNames;
  private ready: Promise<void> | undefined;

  constructor(
    private readonly redis: RedisProvider,
    private readonly options: SearchIndexOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.names = indexNames(options.embeddingModelId, options.dimensions);
  }

  get indexName(): string {
    return this.names.index;
  }

  async search(scope: string, vector: Float32Array, threshold: number): Promise<SemanticHit | null> {
    await this.ensureIndex();
    const redis = await this.redis();
    const query = `(@scope:{${scope}})=>[KNN 1 @vec $B AS dist]`;
    const reply = await redis.call('FT.SEARCH', this.names.index, query, 'PARAMS', '2', 'B', vectorBlob(vector), 'RETURN', '2', 'dist', 'answer', 'DIALECT', '2');
    const hit = parseFirstHit(reply);
    if (hit === null) return null;
    const similarity = 1 - hit.distance;
    return similarity >= threshold ? { entry: hit.answer, similarity, id: hit.key.slice(this.names.documentPrefix.length) } : null;
  }

  async add(document: SemanticDocument): Promise<void> {
    await this.ensureIndex();
    const redis = await this.redis();
    const key = `${this.names.documentPrefix}${document.id}`;
    await redis.eval(STORE_DOCUMENT, 1, key, document.scope, String(this.now()), vectorBlob(document.vector), document.entry, String(document.ttlMs));
  }

  /** Creates the index once per container; a racing container's "already exists" is success. */
  ensureIndex(): Promise<void> {
    this.ready ??= this.createIndex().catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  private async createIndex(): Promise<void> {
    const redis = await this.redis();
    const { m = 16, efConstruction = 200 } = this.options;
    try {
      await redis.call(
        'FT.CREATE', this.names.index, 'ON', 'HASH', 'PREFIX', '1', this.names.documentPrefix,
        'SCHEMA', 'scope', 'TAG', 'created', 'NUMERIC',
        'vec', 'VECTOR', 'HNSW', '10', 'TYPE', 'FLOAT32', 'DIM', String(this.options.dimensions), 'DISTANCE_METRIC', 'COSINE',
        'M', String(m), 'EF_CONSTRUCTION', String(efConstruction),
      );
    } catch (error) {
      if (!(error instanceof Error && /already exists/i.test(error.message))) throw error;
    }
  }
}

interface RawHit {
  readonly key: string;
  readonly distance: number;
  readonly answer: string;
}

/** Reads `[total, key, [field, value, ...], ...]`; the first document is the nearest. */
export function parseFirstHit(reply: unknown): RawHit | null {
  if (!Array.isArray(reply) || reply.length < 3) return null;
  const key = String(reply[1]);
  const fields = reply[2];
  if (!Array.isArray(fields)) return null;
  let distance: number | undefined;
  let answer: string | undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = String(fields[i]);
    if (name === 'dist') distance = Number(String(fields[i + 1]));
    else if (name === 'answer') answer = String(fields[i + 1]);
  }
  if (distance === undefined || !Number.isFinite(distance) || answer === undefined) return null;
  return { key, distance, answer };
}
