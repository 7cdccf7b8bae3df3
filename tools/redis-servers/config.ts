import { randomBytes } from 'node:crypto';
import type { TestCa } from './tls-certs';
import type { AclCredentials } from './server-process';

/** Username of the harness's own administrative ACL user (setup, DEBUG, FLUSHALL). */
export const ADMIN_USERNAME = 'harness-admin';

/**
 * Default ACL rules of the application user, shaped like the user ElastiCache Serverless and
 * MemoryDB give an application: only the cache's keys, no dangerous commands, but the
 * commands a cluster client needs to discover the topology (CLUSTER SLOTS / SHARDS / NODES,
 * INFO for the ready check) and READONLY.
 */
export const DEFAULT_APP_USER_RULES =
  '~llmcache:* &* +@all -@dangerous +cluster|slots +cluster|shards +cluster|nodes +cluster|info +cluster|myid +info +ping +readonly +readwrite';

export interface AclUserOption {
  readonly username: string;
  readonly password: string;
  /** ACL rules after `on >password`; default DEFAULT_APP_USER_RULES. */
  readonly rules?: string;
}

export function randomSecret(): string {
  return randomBytes(12).toString('hex');
}

export function newAdmin(): AclCredentials {
  return { username: ADMIN_USERNAME, password: randomSecret() };
}

/** Settings shared by every server the harness starts. */
export function baseConfig(args: {
  dir: string;
  port: number;
  tls?: TestCa;
  admin: AclCredentials;
  password?: string;
  aclUser?: AclUserOption;
}): string[] {
  const { dir, port, tls, admin, password, aclUser } = args;
  const lines = [
    'bind 127.0.0.1',
    'protected-mode yes',
    'daemonize no',
    `dir ${dir}`,
    `logfile ${dir}/redis.log`,
    'loglevel notice',
    'save ""',
    'appendonly no',
    'enable-debug-command local',
    `user ${admin.username} on >${admin.password} ~* &* +@all`,
  ];
  if (tls) {
    lines.push(
      'port 0',
      `tls-port ${port}`,
      `tls-cert-file ${tls.certFile}`,
      `tls-key-file ${tls.keyFile}`,
      `tls-ca-cert-file ${tls.caFile}`,
      'tls-auth-clients no',
    );
  } else {
    lines.push(`port ${port}`);
  }
  if (aclUser) {
    lines.push('user default off');
    lines.push(`user ${aclUser.username} on >${aclUser.password} ${aclUser.rules ?? DEFAULT_APP_USER_RULES}`);
  } else if (password !== undefined) {
    lines.push(`user default on >${password} ~* &* +@all`);
  }
  return lines;
}
