import { ScopeVectors } from '../../../semantic/vectors/scope-vectors';

/** What one container knows of one scope: its vectors and how far it has read the change log. */
export interface ScopeState {
  readonly scope: string;
  readonly vectors: ScopeVectors;
  /** Stream id of the last change applied. */
  lastId: string;
  /** Whether the whole log has been read once. */
  bootstrapped: boolean;
  /** The log read in flight, and the one queued after it (see `ChangeLog.catchUp`). */
  running?: Promise<void>;
  queued?: Promise<void>;
}

/**
 * The scopes a container holds, at most `maxScopes`: the least recently used leaves first (its
 * vectors are rebuilt from the log if it comes back).
 */
export class ScopeStates {
  private readonly scopes = new Map<string, ScopeState>();

  constructor(
    private readonly dimensions: number,
    private readonly maxEntriesPerScope: number,
    private readonly maxScopes: number,
  ) {}

  /** The scope's state if held, without touching its recency. */
  peek(scope: string): ScopeState | undefined {
    return this.scopes.get(scope);
  }

  /** The scope's state, created empty on first use and marked most recently used. */
  use(scope: string): ScopeState {
    let state = this.scopes.get(scope);
    if (state !== undefined) {
      this.scopes.delete(scope);
      this.scopes.set(scope, state);
      return state;
    }
    state = { scope, vectors: new ScopeVectors(this.dimensions, this.maxEntriesPerScope), lastId: '0-0', bootstrapped: false };
    this.scopes.set(scope, state);
    while (this.scopes.size > this.maxScopes) {
      const oldest = this.scopes.keys().next().value;
      if (oldest === undefined) break;
      this.scopes.delete(oldest);
    }
    return state;
  }
}
