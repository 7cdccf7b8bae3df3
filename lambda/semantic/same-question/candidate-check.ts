import { DEFAULT_SUBSTITUTION_BAR, sameQuestion, type CheckOptions, type RejectReason } from './check';
import { decodeMatched, encodeFacts, listFields, literalTag, questionFacts, storedClassMismatch, tagMismatch, type QuestionFacts } from './facts';
import { LITERAL_CLASSES } from './literals';
import { StoredVerdict } from './stored-verdict';

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
  private readonly options: CheckOptions;
  private nearest: SemanticRejection | undefined;
  /**
   * The asked prompt's own stored form, and the verdict on a neighbour stored with exactly it (no
   * word on the stored side alone, so the similarity plays no part): both made with the facts,
   * while the embedding is in flight (InFlightFacts), so a lookup only compares.
   */
  private readonly encoded: string;
  /** Its words, roles and sequence as stored, to read a neighbour's equal fields as its own. */
  private readonly fields: readonly string[];
  private readonly ownVerdict: RejectReason | null;
  /** Tables of the asked prompt's words and roles, to judge a stored form in place (and to read its classes at once). */
  private readonly inPlace: StoredVerdict;

  constructor(prompt: string, level: Exclude<SemanticCheckLevel, 'off'>, substitutionBar = DEFAULT_SUBSTITUTION_BAR) {
    this.facts = questionFacts(prompt);
    this.tag = literalTag(this.facts);
    this.substitutionBar = level === 'strict' ? Infinity : substitutionBar;
    this.fields = listFields(this.facts);
    this.encoded = encodeFacts(this.facts);
    this.options = { substitutionBar: this.substitutionBar };
    this.ownVerdict = sameQuestion(this.facts, this.facts, 1, this.options);
    this.inPlace = new StoredVerdict(this.facts, this.fields, this.encoded);
  }

  /** The nearest rejected neighbour so far, if any. */
  get rejection(): SemanticRejection | undefined {
    return this.nearest;
  }

  /** Whether a neighbour at `similarity` with `stored` facts is the same question; a rejection is remembered. */
  accepts(stored: StoredFacts, similarity: number): boolean {
    const reason = typeof stored === 'string' ? this.judgeStored(stored, similarity) : sameQuestion(this.facts, stored, similarity, this.options);
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
   * politeness, filler or word order) gets the verdict reached on those facts beforehand; any
   * other is read in place (StoredVerdict), or decoded for the two rules it leaves to the decoded form.
   */
  private judgeStored(stored: string, similarity: number): RejectReason | null {
    // Read at once when equal (the usual case past the FT prefilter), class by class otherwise.
    if (!this.inPlace.sameClasses(stored)) {
      const differs = storedClassMismatch(stored, this.facts.classes);
      if (differs === undefined) return 'unchecked-entry';
      if (differs !== -1) return `${LITERAL_CLASSES[differs]!}-mismatch`;
    }
    if (this.inPlace.isOwn(stored)) return this.ownVerdict;
    const verdict = this.inPlace.judge(stored, similarity, this.options);
    return verdict !== undefined ? verdict : sameQuestion(this.facts, decodeMatched(stored, this.facts, this.fields), similarity, this.options);
  }

  private reject(reason: RejectReason, similarity: number): void {
    if (this.nearest === undefined || similarity > this.nearest.similarity) this.nearest = { reason, similarity };
  }
}
