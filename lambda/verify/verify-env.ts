/**
 * Environment of the post-deploy check's function. One table that the construct
 * (`lib/verify/deploy-check-trigger.ts`) writes and the handler reads, so they cannot disagree.
 */
export const VERIFY_ENV = {
  /** Name of the cache function to check (required). */
  functionName: 'VERIFY_FUNCTION_NAME',
  /** The cache function's semantic threshold, printed beside the similarity (optional). */
  threshold: 'VERIFY_SEMANTIC_THRESHOLD',
  /**
   * Digest of the cache function's configuration. The handler ignores it: it is there so the
   * check's own version, which the trigger follows, changes whenever the cache function does.
   */
  targetFingerprint: 'VERIFY_TARGET_FINGERPRINT',
} as const;
