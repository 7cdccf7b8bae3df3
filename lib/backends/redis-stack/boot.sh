# Boot script of the Redis host: runs once at first boot, as root, from cloud-init.
# redis-stack-user-data.ts puts these variables above this line: REGION, SECRET_ARN, IMAGE,
# STACK_NAME, LOGICAL_ID, MAXMEMORY_PERCENT. Nothing secret is in the user data: the password is
# read from Secrets Manager at boot, kept in root-only files and never put on a command line.
#
# Steps: install docker -> read the password -> pull the image -> start Redis -> health check
# (authenticated PING, SET/GET, FT._LIST) -> cfn-signal success. Every network step is retried
# with exponential backoff. Any failure sends cfn-signal failure (the stack rolls back) and copies
# the boot log's last lines to the serial console, where `aws ec2 get-console-output` shows them.
set -euo pipefail
set -o errtrace

# The LLMCACHE_* overrides exist for tests only; the host uses the defaults.
readonly BOOT_LOG="${LLMCACHE_BOOT_LOG:-/var/log/llmcache-boot.log}"
readonly STATE_DIR="${LLMCACHE_STATE_DIR:-/etc/llmcache}"
readonly CONF_DIR="$STATE_DIR/redis"
readonly PASSWORD_FILE="$STATE_DIR/password"
readonly CFN_SIGNAL="${LLMCACHE_CFN_SIGNAL:-/opt/aws/bin/cfn-signal}"
readonly CONSOLE="${LLMCACHE_CONSOLE:-/dev/console}"
# First wait between attempts, doubled after each failure and capped at 60 s.
RETRY_BASE_SECONDS="${RETRY_BASE_SECONDS:-5}"
STEP=start

log() {
  printf '%s [%s] %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$STEP" "$*"
}

# Copies the last lines of the boot log to the serial console (get-console-output reads it).
to_console() {
  tail -n "${1:-25}" "$BOOT_LOG" | sed 's/^/llmcache-boot: /' >> "$CONSOLE" 2> /dev/null || true
}

# retry <attempts> <command...>: runs the command until it succeeds or attempts run out.
# Its locals are prefixed: bash scoping is dynamic, so the command would see (and could clobber)
# plain names such as `n`.
retry() {
  local _retry_max=$1 _retry_delay=$RETRY_BASE_SECONDS _retry_n=1
  shift
  until "$@"; do
    if ((_retry_n >= _retry_max)); then
      log "giving up after $_retry_n attempts: $1"
      return 1
    fi
    log "attempt $_retry_n of $_retry_max failed: $1; next in ${_retry_delay}s"
    sleep "$_retry_delay"
    _retry_n=$((_retry_n + 1))
    _retry_delay=$((_retry_delay * 2 > 60 ? 60 : _retry_delay * 2))
  done
}

# signal <exit-code> [unique-id]: answers the instance's CreationPolicy. Resource signals carry no
# reason text, so a failure names its step in the signal's unique id (at most 64 characters).
signal() {
  local id=()
  if (($# > 1)); then id=(--id "${2:0:64}"); fi
  "$CFN_SIGNAL" --exit-code "$1" "${id[@]}" --stack "$STACK_NAME" --resource "$LOGICAL_ID" --region "$REGION"
}

on_error() {
  local code=$?
  trap - ERR
  set +e
  log "FAILED at step '$STEP' (exit $code); full log: $BOOT_LOG"
  to_console 30
  retry 3 signal 1 "boot-failed-at-$STEP"
  exit "$code"
}

# Each function run under `retry` returns on its first failure: `set -e` is off inside `until`.
install_packages() {
  dnf install -y docker || return 1
  if [[ ! -x $CFN_SIGNAL ]]; then dnf install -y aws-cfn-bootstrap || return 1; fi
}

read_password() {
  aws secretsmanager get-secret-value --region "$REGION" --secret-id "$SECRET_ARN" \
    --query SecretString --output text |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["password"])' > "$PASSWORD_FILE.tmp" || return 1
  [[ -s $PASSWORD_FILE.tmp ]] || return 1
  mv "$PASSWORD_FILE.tmp" "$PASSWORD_FILE"
}

# The image's entrypoint drops root for its `redis` user, so that user must own the config.
write_config() {
  local owner maxmemory_kb
  owner="$(docker run --rm --entrypoint id "$IMAGE" -u redis):$(docker run --rm --entrypoint id "$IMAGE" -g redis)"
  maxmemory_kb="$(awk -v p="$MAXMEMORY_PERCENT" '/MemTotal/ {print int($2 * p / 100)}' /proc/meminfo)"
  install -d -m 0700 "$CONF_DIR"
  printf '%s\n' 'bind 0.0.0.0' 'port 6379' 'protected-mode yes' \
    "requirepass $(< "$PASSWORD_FILE")" "maxmemory ${maxmemory_kb}kb" \
    'maxmemory-policy allkeys-lru' 'appendonly no' 'save ""' > "$CONF_DIR/redis.conf"
  chmod 0600 "$CONF_DIR/redis.conf"
  chown -R "$owner" "$CONF_DIR"
}

docker_ready() {
  docker info > /dev/null
}

start_redis() {
  docker rm -f redis > /dev/null 2>&1 || true
  docker run -d --name redis --restart always --network host \
    -v "$CONF_DIR:/usr/local/etc/redis:ro" "$IMAGE" redis-server /usr/local/etc/redis/redis.conf
}

# redis-cli inside the container, authenticated through REDISCLI_AUTH: `docker exec -e NAME`
# copies the variable's value from this shell's environment, so it is on no command line.
rcli() {
  REDISCLI_AUTH="$(< "$PASSWORD_FILE")" docker exec -e REDISCLI_AUTH redis redis-cli "$@"
}

# Proves what the cache function needs: the password is required and accepted, a key can be
# written and read back, and the query engine answers FT._LIST.
health_check() {
  local reply token
  reply="$(docker exec redis redis-cli PING 2>&1 || true)"
  if [[ $reply != *NOAUTH* ]]; then log "PING without the password was not refused: $reply"; return 1; fi
  reply="$(rcli PING 2>&1)" || true
  if [[ $reply != PONG ]]; then log "authenticated PING failed: $reply"; return 1; fi
  token="boot-$(date +%s)-$RANDOM"
  reply="$(rcli SET llmcache:boot:health "$token" EX 300 2>&1)" || true
  if [[ $reply != OK ]]; then log "SET failed: $reply"; return 1; fi
  reply="$(rcli GET llmcache:boot:health 2>&1)" || true
  if [[ $reply != "$token" ]]; then log "GET did not return the value just written: $reply"; return 1; fi
  reply="$(rcli FT._LIST 2>&1)" || { log "FT._LIST failed: $reply"; return 1; }
  case "$reply" in
    ERR* | NOAUTH* | WRONGPASS* | NOPERM* | "(error)"* | *"unknown command"*)
      log "FT._LIST refused (no query engine?): $reply"
      return 1
      ;;
  esac
  rcli DEL llmcache:boot:health > /dev/null
}

main() {
  exec >> "$BOOT_LOG" 2>&1
  trap on_error ERR
  umask 077
  install -d -m 0700 "$STATE_DIR"

  STEP=packages
  log "installing docker"
  retry 5 install_packages
  STEP=docker
  retry 5 systemctl enable --now docker
  retry 10 docker_ready
  STEP=secret
  log "reading the Redis password from Secrets Manager"
  retry 5 read_password
  STEP=image
  log "pulling $IMAGE"
  retry 5 docker pull "$IMAGE"
  STEP=config
  write_config
  STEP=redis
  log "starting Redis"
  retry 3 start_redis
  STEP=health
  retry 8 health_check
  log "healthy: password required and accepted, SET/GET round trip, FT._LIST answered"
  STEP=signal
  retry 5 signal 0
  log "signalled CloudFormation: success"
  to_console 3
}

# Tests source this file with LLMCACHE_BOOT_SOURCE_ONLY=1 to exercise its functions.
if [[ ${LLMCACHE_BOOT_SOURCE_ONLY:-0} != 1 ]]; then main; fi
