import type { ClientHooks } from './connection';
import { connectionFaultReason } from './connection-fault';

/**
 * Hooks that report the client's connection errors through `report`, classified
 * (`auth-failed`, `tls-failed`, `network`, else `error`). A client retrying forever fails the same
 * way every attempt, so a reason is reported once until the reason changes or the client is ready.
 * Its own file so the runtime can build the hooks without evaluating ioredis.
 */
export function connectionFaultHooks(report: (fault: { readonly reason: string; readonly error: Error }) => void): ClientHooks {
  let reported: string | undefined;
  return {
    onError: (error) => {
      const reason = connectionFaultReason(error) ?? 'error';
      if (reason === reported) return;
      reported = reason;
      report({ reason, error });
    },
    onReady: () => {
      reported = undefined;
    },
  };
}
