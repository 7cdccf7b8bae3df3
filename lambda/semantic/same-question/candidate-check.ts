import { DEFAULT_SUBSTITUTION_BAR, sameQuestion, type RejectReason } from './check';
import { decodeFacts, encodeFacts, literalTag, questionFacts, storedClassMismatch, tagMismatch, type QuestionFacts } from './facts';
import { LITERAL_CLASSES } from './literals';

/** How strict the check is: `off`, `on` (the substitution bar), `strict` (no substitution at all). */
export type SemanticCheckLevel = 'off' | 'on' | 'strict';

/** The nearest neighbour that cleared the threshold but was not the same question. */
export interface SemanticRejection {
  readonly reason: RejectReason;
  readonly similarity: number;
}

/** What a stored document carries for the check: its facts, decoded or in their stored form. */
export type StoredFacts = QuestionFacts | string | undefined;

/**
 * The same-question check of one semantic lookup: the asked prompt's facts (computed once, at
 * construction), the verdict on each neighbour an index finds above the threshold, and the
 * nearest rejected one (for the response and the metric). Every index calls `accepts` at the one
 * point between "neighbour above the threshold" and "hit", and keeps looking past a rejection.
 */
export class CandidateCheck {
  readonly facts: QuestionFacts;
  /** The literal signature as a TAG value, for the FT prefilter. */
  readonly tag: string;
  private readonly substitutionBar: number;
  private nearest: SemanticRejection | undefined;
  /** The asked prompt's own stored form, and the verdict on a neighbour stored with exactly it (once known). */
  private readonly encoded: string;
  private ownVerdict: RejectReason | null | undefined;

  constructor(prompt: string, level: Exclude<SemanticCheckLevel, 'off'>, substitutionBar = DEFAULT_SUBSTITUTION_BAR) {
    this.facts = questionFacts(prompt);
    this.tag = literalTag(this.facts);
    this.substitutionBar = level === 'strict' ? Infinity : substitutionBar;
    this.encoded = encodeFacts(this.facts);
  }

  /** The nearest rejected neighbour so far, if any. */
  get rejection(): SemanticRejection | undefined {
    return this.nearest;
  }

  /** Whether a neighbour at `similarity` with `stored` facts is the same question; a rejection is remembered. */
  accepts(stored: StoredFacts, similarity: number): boolean {
    const reason = typeof stored === 'string' ? this.judgeStored(stored, similarity) : sameQuestion(this.facts, stored, similarity, { substitutionBar: this.substitutionBar });
    if (reason === null) return true;
    this.reject(reason, similarity);
    return false;
  }

  /**
   * A neighbour known rejected by its literal TAG alone (the FT prefilter left it out): reported
   * with the first differing class, or as `unchecked-entry` when it has no readable tag.
   */
  rejectByTag(storedTag: string | undefined, similarity: number): void {
    const differs = storedTag === undefined ? undefined : tagMismatch(this.tag, storedTag);
    if (differs === -1) return; // same literals: the prefiltered search saw it
    this.reject(differs === undefined ? 'unchecked-entry' : `${LITERAL_CLASSES[differs]!}-mismatch`, similarity);
  }

  /**
   * A neighbour above the threshold that its owner rejected for this request (the `reject`
   * action): passed over like a check rejection, and reported when it is the nearest rejected one.
   */
  rejectedByOwner(similarity: number): void {
    this.reject('rejected-by-owner', similarity);
  }

  /**
   * The verdict on a stored form, decoding it only when its literals match: a literal mismatch is
   * read in place, and a neighbour stored with the asked prompt's own facts (a rewording by
   * politeness, filler or word order) reuses the verdict reached on it once.
   */
  private judgeStored(stored: string, similarity: number): RejectReason | null {
    const differs = storedClassMismatch(stored, this.facts.classes);
    if (differs === undefined) return 'unchecked-entry';
    if (differs !== -1) return `${LITERAL_CLASSES[differs]!}-mismatch`;
    const own = stored === this.encoded;
    if (own && this.ownVerdict !== undefined) return this.ownVerdict;
    const facts = decodeFacts(stored);
    const reason = sameQuestion(this.facts, facts, similarity, { substitutionBar: this.substitutionBar });
    // Reused only when no word is on the stored side alone: then the similarity played no part.
    if (own && facts !== undefined && facts.words.every((word) => this.facts.words.includes(word))) this.ownVerdict = reason;
    return reason;
  }

  private reject(reason: RejectReason, similarity: number): void {
    if (this.nearest === undefined || similarity > this.nearest.similarity) this.nearest = { reason, similarity };
  }
}
