import type { CandidateCheck } from './same-question/candidate-check';
import type { QuestionFacts } from './same-question/facts';

/** The nearest stored answer to a query vector inside one scope. */
export interface SemanticHit {
  /** Encoded cache entry (same format as the exact store). */
  readonly entry: string;
  /** Cosine similarity in [-1, 1]; a hit needs at least the request's threshold. */
  readonly similarity: number;
  /** Identifier of the matched document. */
  readonly id: string;
}

export interface SemanticDocument {
  readonly scope: string;
  /** Stable id of the document (the exact key's digest), so a re-store replaces it. */
  readonly id: string;
  /** The request's namespace: every backend puts it in the document's keys, so a purge finds them. */
  readonly namespace: string;
  /** Unit-length embedding of the prompt. */
  readonly vector: Float32Array;
  readonly entry: string;
  readonly ttlMs: number;
  /**
   * The prompt's facts for the same-question check, stored with the document. A document without
   * them (written before the check) is never accepted by a search with the check on.
   */
  readonly facts?: QuestionFacts;
}

/**
 * A vector index of answered prompts. Searches never cross scopes, and the threshold is compared
 * here, in our code, with the same meaning on every implementation: similarity = 1 - cosine distance.
 */
export interface SemanticIndex {
  /** `memory` (embedded), `search` (FT.* on the server). */
  readonly kind: string;
  /**
   * Nearest neighbour in `scope` with similarity >= `threshold` that `check` accepts (the
   * same-question check; none when it is off), or null. A neighbour the check rejects never hides
   * an acceptable one behind it; the check remembers the nearest rejected one. A neighbour whose
   * recorded rejections (`reject`) include `asker` (the asking request's exact-key digest) is
   * passed over the same way and reported to the check as `rejected-by-owner`. `namespace` is the
   * request's (the scope's own): an index whose keys carry it (the client-side index) needs it.
   */
  search(scope: string, vector: Float32Array, threshold: number, check?: CandidateCheck, asker?: string, namespace?: string): Promise<SemanticHit | null>;
  add(document: SemanticDocument): Promise<void>;
  /** Removes document `id` of `scope` from the index and from every container's copy (client index: a delete record in the scope's change log). True when it existed. */
  remove(scope: string, id: string, namespace: string): Promise<boolean>;
  /** Records that the request whose exact-key digest is `asker` must never be answered by document `id` (the `reject` action); false when the document is gone. */
  reject(scope: string, id: string, namespace: string, asker: string): Promise<boolean>;
  /**
   * Optional: brings the index up to date for `scope` of `namespace` (e.g. a client-side index
   * catching up on the server's change log). Called while the exact lookup is in flight, before `search`.
   */
  prepare?(scope: string, namespace: string): Promise<void>;
}

/**
 * Most askers a document remembers as rejecting it (`SemanticIndex.reject`); past it the oldest
 * is forgotten, so one document's record stays bounded. 64 distinct paraphrases rejecting one
 * answer is far past what an owner reports by hand. @default 64
 */
export const MAX_REJECTING_ASKERS = 64;

/** Dot product of two unit vectors = cosine similarity. */
export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}
