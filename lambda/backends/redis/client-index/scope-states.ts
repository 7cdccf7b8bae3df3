import { ScopeVectors } from '../../../semantic/vectors/scope-vectors';

/** What one container knows of one scope: its vectors and how far it has read the change log. */
export interface ScopeState {
  readonly scope: string;
  /** The scope's namespace: its keys carry it. */
  readonly namespace: string;
  /** Replaced by an empty one when the container's log position is lost (`ScopeStates.reset`). */
  vectors: ScopeVectors;
  /** Stream id of the last change applied; `0-0` before any. */
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
  use(scope: string, namespace: string): ScopeState {
    let state = this.scopes.get(scope);
    if (state !== undefined) {
      this.scopes.delete(scope);
      this.scopes.set(scope, state);
      return state;
    }
    state = { scope, namespace, vectors: this.emptyVectors(), lastId: '0-0', bootstrapped: false };
    this.scopes.set(scope, state);
    while (this.scopes.size > this.maxScopes) {
      const oldest = this.scopes.keys().next().value;
      if (oldest === undefined) break;
      this.scopes.delete(oldest);
    }
    return state;
  }

  /**
   * Forgets what `state` holds (its vectors and log position): its change log no longer reaches
   * back to where this container read it (trimmed past, or deleted by a purge), so the scope is
   * read again from the log's start.
   */
  reset(state: ScopeState): void {
    state.vectors = this.emptyVectors();
    state.lastId = '0-0';
  }

  private emptyVectors(): ScopeVectors {
    return new ScopeVectors(this.dimensions, this.maxEntriesPerScope);
  }
}
