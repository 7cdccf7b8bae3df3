/** Inputs of the Redis host's boot script. */
export interface RedisHostBootProps {
  /** AWS region (token allowed). */
  readonly region: string;
  /** ARN of the secret whose `password` becomes `requirepass`. */
  readonly secretArn: string;
  /** Registry host of the ECR pull-through cache, `<account>.dkr.ecr.<region>.<suffix>`. */
  readonly registry: string;
  /** Full image reference, pinned to an exact tag. */
  readonly image: string;
  /** Share of RAM Redis may use before evicting (allkeys-lru). @default 60 */
  readonly maxMemoryPercent?: number;
}

/**
 * Shell commands run once at first boot (cloud-init, as root). Nothing secret is in them: the
 * password is fetched from Secrets Manager at boot, written into a root-only redis.conf (directory
 * 0700, file 0600; the image's entrypoint hands the file to its `redis` user) and never passed on
 * a command line, where `ps` would show it.
 *
 * The image comes through the ECR pull-through cache rule for ECR Public, reached over the ECR
 * interface endpoints and the S3 gateway endpoint; docker itself comes from the Amazon Linux 2023
 * repositories, which are served from S3 too. No NAT, no internet.
 */
export function redisHostBootCommands(props: RedisHostBootProps): string[] {
  const percent = props.maxMemoryPercent ?? 60;
  return [
    'set -euo pipefail',
    'dnf install -y docker',
    'systemctl enable --now docker',
    'install -d -m 0700 /etc/llmcache /etc/llmcache/redis',
    'umask 077',
    `REDIS_PASSWORD="$(aws secretsmanager get-secret-value --region ${props.region} --secret-id ${props.secretArn} --query SecretString --output text | python3 -c 'import json,sys; print(json.load(sys.stdin)["password"])')"`,
    `MAXMEMORY_KB="$(awk '/MemTotal/ {print int($2 * ${percent} / 100)}' /proc/meminfo)"`,
    [
      "printf '%s\\n'",
      "'bind 0.0.0.0'",
      "'port 6379'",
      "'protected-mode yes'",
      '"requirepass ${REDIS_PASSWORD}"',
      '"maxmemory ${MAXMEMORY_KB}kb"',
      "'maxmemory-policy allkeys-lru'",
      "'appendonly no'",
      `'save ""'`,
      '> /etc/llmcache/redis/redis.conf',
    ].join(' '),
    'chmod 0600 /etc/llmcache/redis/redis.conf',
    'unset REDIS_PASSWORD',
    `aws ecr get-login-password --region ${props.region} | docker login --username AWS --password-stdin ${props.registry}`,
    `docker pull ${props.image}`,
    `docker run -d --name redis --restart always --network host -v /etc/llmcache/redis:/usr/local/etc/redis ${props.image} redis-server /usr/local/etc/redis/redis.conf`,
  ];
}
