/** Attempts of one purge command before the purge gives up (and throws). @default 3 */
export const PURGE_ATTEMPTS = 3;

/**
 * Runs `command` again after a transient failure: the client's command timeout (the runtime's
 * `CACHE_TIMEOUT_MS`, short because it guards requests) or a connection that is being remade.
 * Every purge command is idempotent (SCAN from the same cursor, UNLINK, the entry script), so a
 * repeat is safe; a command that ran but whose reply was lost counts 0 the second time, so the
 * totals can only come out low. A server's own refusal (`ReplyError`: NOPERM, WRONGTYPE...) is
 * not retried.
 */
export async function withRetry<T>(command: () => Promise<T>, attempts = PURGE_ATTEMPTS, pauseMs = 50): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await command();
    } catch (error) {
      if (attempt >= attempts || (error as { name?: string }).name === 'ReplyError') throw error;
      await new Promise((resolve) => setTimeout(resolve, pauseMs * attempt));
    }
  }
}
