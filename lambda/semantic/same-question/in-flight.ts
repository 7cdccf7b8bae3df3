import { CandidateCheck, type SemanticCheckLevel } from './candidate-check';
import { questionFacts, type QuestionFacts } from './facts';

/** The asked prompt's check (none when the level is `off`) and facts (stored with the answer either way). */
export interface AskedFacts {
  readonly check: CandidateCheck | undefined;
  readonly facts: QuestionFacts;
}

function askedFacts(prompt: string, level: SemanticCheckLevel): AskedFacts {
  const check = level === 'off' ? undefined : new CandidateCheck(prompt, level);
  return { check, facts: check?.facts ?? questionFacts(prompt) };
}

/**
 * The asked prompt's facts, computed while its embedding is in flight: started just after the
 * embedding request, they run on the next turn of the event loop (`setImmediate`), once the
 * request has been handed to the socket, in the milliseconds the lookup waits for Bedrock anyway.
 * `take()` returns them; if that turn has not come yet (an embedding that answered at once), it
 * computes them there and then, as the lookup did before. Same facts either way.
 */
export class InFlightFacts {
  private ready: AskedFacts | undefined;
  private timer: NodeJS.Immediate | undefined;

  constructor(
    private readonly prompt: string,
    private readonly level: SemanticCheckLevel,
  ) {
    this.timer = setImmediate(() => {
      this.timer = undefined;
      try {
        this.ready = askedFacts(this.prompt, this.level);
      } catch {
        // Computed again by take(), where a fault surfaces in the request's own context.
      }
    });
  }

  /** The facts, computed now if they are not yet. */
  take(): AskedFacts {
    this.cancel();
    this.ready ??= askedFacts(this.prompt, this.level);
    return this.ready;
  }

  /** Whether they were computed before take() was called (while the embedding was in flight). */
  get computedInFlight(): boolean {
    return this.ready !== undefined;
  }

  /** No facts needed (the embedding failed): the pending computation is dropped. */
  cancel(): void {
    if (this.timer !== undefined) clearImmediate(this.timer);
    this.timer = undefined;
  }
}
