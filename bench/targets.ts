/**
 * Issue 11's plain (not ratio) targets and the measured levels, in one place: the sections that
 * measure them and the report that judges them both read these. No imports: the report's tests
 * load it without the measuring code.
 */

/** The memory backend's semantic lookup: p50 at most this many ms at 10,000 x 1024. */
export const MEMORY_SEARCH_TARGET_MS = 2;
/** At most this many Bedrock connections for `BEDROCK_CONNECTIONS_CALLS` sequential calls of one kind. */
export const BEDROCK_CONNECTIONS_TARGET = 2;
/** Sequential Bedrock calls per operation. */
export const BEDROCK_CONNECTIONS_CALLS = 100;
/** The two standard-hit levels measured. The handler rows run at 1 only: a Lambda execution environment serves one request at a time. */
export const CONCURRENCY_LEVELS = [1, 64] as const;
/** The same-question check: at most this many µs added to one semantic lookup, 500-character prompt (median of rounds). */
export const SAME_QUESTION_TARGET_US = 5;
