import type { ModelAnswer, TokenUsage } from './types';

/** Version of the stored entry format. Anything else reads as a miss. */
export const ENTRY_VERSION = 1;

/** What is stored for one answered request. */
export interface CacheEntry {
  readonly v: typeof ENTRY_VERSION;
  readonly text: string;
  readonly stopReason: string;
  readonly usage: TokenUsage;
  readonly modelId: string;
  /** Epoch milliseconds when the answer was stored. */
  readonly createdAt: number;
  /** Latency of the model call that produced it, in ms. */
  readonly latencyMs: number;
  /** Scope hash of the request it answers; a read in another scope is a miss. */
  readonly scope: string;
}

/** A placeholder written at an entry's key while one caller asks the model (single flight). */
export interface LockMarker {
  readonly lock: string;
}

export type DecodedValue =
  | { readonly kind: 'entry'; readonly entry: CacheEntry }
  | { readonly kind: 'lock'; readonly token: string }
  | { readonly kind: 'corrupt'; readonly reason: string };

/** Stop reasons whose answers are complete and safe to reuse. */
const STORABLE_STOP_REASONS: ReadonlySet<string> = new Set(['end_turn', 'stop_sequence']);

/** Only complete answers are stored: never truncated (`max_tokens`), filtered or empty ones. */
export function isStorable(answer: ModelAnswer): boolean {
  return STORABLE_STOP_REASONS.has(answer.stopReason) && answer.text.length > 0;
}

export function toEntry(answer: ModelAnswer, scope: string, now: number): CacheEntry {
  return {
    v: ENTRY_VERSION,
    text: answer.text,
    stopReason: answer.stopReason,
    usage: { inputTokens: answer.usage.inputTokens, outputTokens: answer.usage.outputTokens },
    modelId: answer.modelId,
    createdAt: now,
    latencyMs: answer.latencyMs,
    scope,
  };
}

export function encodeEntry(entry: CacheEntry): string {
  return JSON.stringify(entry);
}

export function encodeLock(token: string): string {
  return JSON.stringify({ lock: token } satisfies LockMarker);
}

/** How every `encodeLock` value begins; an entry (`{"v":...}`) never does. The purge script tests the same prefix. */
export const LOCK_MARKER_PREFIX = '{"lock":';

/** Whether a stored value is a single-flight lock marker rather than an entry. */
export function isLockMarker(value: string): boolean {
  return value.startsWith(LOCK_MARKER_PREFIX);
}

/** Reads a stored value. Never throws: anything unreadable is reported as `corrupt`. */
export function decodeValue(raw: string, expectedScope?: string): DecodedValue {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { kind: 'corrupt', reason: 'not-json' };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { kind: 'corrupt', reason: 'not-object' };
  const value = parsed as Record<string, unknown>;
  if (typeof value.lock === 'string') return { kind: 'lock', token: value.lock };
  if (value.v !== ENTRY_VERSION) return { kind: 'corrupt', reason: 'unknown-version' };
  if (!isEntryShape(value)) return { kind: 'corrupt', reason: 'bad-shape' };
  if (expectedScope !== undefined && value.scope !== expectedScope) return { kind: 'corrupt', reason: 'wrong-scope' };
  return { kind: 'entry', entry: value };
}

function isEntryShape(value: Record<string, unknown>): value is Record<string, unknown> & CacheEntry {
  const usage = value.usage as Record<string, unknown> | null | undefined;
  return (
    typeof value.text === 'string' &&
    typeof value.stopReason === 'string' &&
    typeof value.modelId === 'string' &&
    typeof value.createdAt === 'number' &&
    typeof value.latencyMs === 'number' &&
    typeof value.scope === 'string' &&
    usage !== null &&
    typeof usage === 'object' &&
    typeof usage.inputTokens === 'number' &&
    typeof usage.outputTokens === 'number'
  );
}
