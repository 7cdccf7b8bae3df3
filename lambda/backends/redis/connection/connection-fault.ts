/**
 * Why the cache connection failed, as logs and metrics report it:
 * - `auth-failed`: the server refused the credentials or their rights (`WRONGPASS`, `NOAUTH`,
 *   `NOPERM` on AUTH or the ready check). Retrying will not help; fix the credentials or the ACL.
 * - `tls-failed`: the TLS handshake failed (untrusted certificate, wrong host name, protocol).
 * - `network`: the server could not be reached or dropped the connection (refused, reset, DNS,
 *   connect timeout).
 */
export type ConnectionFaultReason = 'auth-failed' | 'tls-failed' | 'network';

/** Replies of a server that refused who we are or what we may run. */
const AUTH_REPLY = /\b(WRONGPASS|NOAUTH|NOPERM)\b|invalid password|invalid username-password/i;

/** Node.js TLS and OpenSSL error codes of a failed handshake or certificate check. */
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|HOSTNAME_MISMATCH$|EPROTO$)/;
const TLS_MESSAGE = /certificate|altnames|\bSSL\b|\bTLS\b|handshake/i;

const NETWORK_CODE = /^(ECONNREFUSED|ECONNRESET|ECONNABORTED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|EPIPE|ENETDOWN)$/;
const NETWORK_MESSAGE = /Connection is closed|connect ETIMEDOUT|Stream isn't writeable|Failed to refresh slots cache|None of startup nodes is available/i;

/**
 * Classifies a connection failure by the error or any error in its `cause` chain; undefined when
 * nothing marks it as one of the three (the caller then reports a plain `error`).
 */
export function connectionFaultReason(error: unknown): ConnectionFaultReason | undefined {
  const chain = causes(error);
  if (chain.some((e) => AUTH_REPLY.test(e.message))) return 'auth-failed';
  if (chain.some((e) => TLS_CODE.test(codeOf(e)) || TLS_MESSAGE.test(e.message))) return 'tls-failed';
  if (chain.some((e) => NETWORK_CODE.test(codeOf(e)) || NETWORK_MESSAGE.test(e.message))) return 'network';
  return undefined;
}

/** What to tell an operator for each reason; appended to `CacheUnavailableError` messages. */
export function describeConnectionFault(reason: ConnectionFaultReason): string {
  switch (reason) {
    case 'auth-failed':
      return 'authentication failed: check the cache credentials and the user\'s ACL';
    case 'tls-failed':
      return 'TLS handshake failed: check the certificate, CA and host name';
    case 'network':
      return 'network failure: server unreachable or connection lost';
  }
}

/**
 * ioredis attaches the failed command to a reply error (`error.command.args`): for AUTH and HELLO
 * that is the password, and loggers that print an error's own fields (Powertools does) would print
 * it. Replaces those arguments in place, before anything else sees the error.
 */
export function redactCredentials(error: unknown): void {
  const command = (error as { command?: { name?: unknown; args?: unknown } } | null)?.command;
  if (command === undefined || command === null || typeof command !== 'object') return;
  const name = typeof command.name === 'string' ? command.name.toLowerCase() : '';
  if ((name === 'auth' || name === 'hello') && Array.isArray(command.args)) {
    command.args = command.args.map(() => '[redacted]');
  }
}

/**
 * The error and its causes. Duck-typed, not `instanceof Error`: errors from Node.js internals
 * (sockets, TLS) come from another realm under some runners (jest), and are errors all the same.
 */
function causes(error: unknown): Error[] {
  const chain: Error[] = [];
  let current: unknown = error;
  while (isErrorLike(current) && chain.length < 5) {
    chain.push(current);
    // A cluster that reached no node says why in `lastNodeError` (ioredis ClusterAllFailedError).
    current = current.cause ?? (current as { lastNodeError?: unknown }).lastNodeError;
  }
  return chain;
}

function isErrorLike(value: unknown): value is Error {
  return typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string';
}

function codeOf(error: Error): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : '';
}
