import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The boot script's body, kept as a real shell file so `bash -n` and tests can read it. */
export const REDIS_HOST_BOOT_SCRIPT = path.join(__dirname, 'redis-stack', 'boot.sh');

/** Inputs of the Redis host's boot script. Tokens are allowed in every string. */
export interface RedisHostBootProps {
  /** AWS region: the Secrets Manager call and cfn-signal use it. */
  readonly region: string;
  /** ARN of the secret whose `password` becomes `requirepass`. */
  readonly secretArn: string;
  /** Full image reference, pinned to an exact tag. */
  readonly image: string;
  /** Stack that owns the instance's CreationPolicy (cfn-signal `--stack`). */
  readonly stackName: string;
  /** Logical id of the instance whose CreationPolicy waits for the signal (cfn-signal `--resource`). */
  readonly logicalId: string;
  /** Share of RAM Redis may use before evicting (allkeys-lru). @default 60 */
  readonly maxMemoryPercent?: number;
}

/**
 * Shell commands run once at first boot (cloud-init, as root): variable assignments followed by
 * `boot.sh`. Nothing secret is in them; the password is read from Secrets Manager at boot.
 * Values are single-quoted, so they must not contain a single quote (ARNs, stack names and
 * logical ids never do).
 */
export function redisHostBootCommands(props: RedisHostBootProps): string[] {
  const percent = props.maxMemoryPercent ?? 60;
  const variables: Record<string, string> = {
    REGION: props.region,
    SECRET_ARN: props.secretArn,
    IMAGE: props.image,
    STACK_NAME: props.stackName,
    LOGICAL_ID: props.logicalId,
    MAXMEMORY_PERCENT: String(percent),
  };
  const assignments = Object.entries(variables).map(([name, value]) => `readonly ${name}='${value}'`);
  return [...assignments, readFileSync(REDIS_HOST_BOOT_SCRIPT, 'utf8')];
}
