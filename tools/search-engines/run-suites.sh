#!/usr/bin/env bash
# Runs the suites that honour SEARCH_REDIS_URL (jest.engines.config.js) against each real search
# engine found: RediSearch 2.6.37 (start-search-server.sh) and valkey-search 1.0.3 on Valkey 8.1.1
# (start-valkey-search.sh), one at a time, each on a free local port, stopped at exit.
#
# Where the engines are: $SEARCH_ENGINES_DIR when set (an error if it lacks the start scripts),
# else the first of <repo>/../shared/engines, <repo>/../../shared/engines, /work/shared/engines
# that holds both start scripts. None found: prints one line saying so and exits 0 (the engines
# are optional; `npm test` runs the same suites against the FT double).
# Extra arguments go to jest (e.g. -t 'nearest').
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"

if [ -n "${SEARCH_ENGINES_DIR:-}" ]; then
  candidates=("$SEARCH_ENGINES_DIR")
else
  candidates=("$repo/../shared/engines" "$repo/../../shared/engines" /work/shared/engines)
fi
engines=''
for dir in "${candidates[@]}"; do
  if [ -x "$dir/start-search-server.sh" ] && [ -x "$dir/start-valkey-search.sh" ]; then
    engines=$(cd "$dir" && pwd)
    break
  fi
done
if [ -z "$engines" ]; then
  if [ -n "${SEARCH_ENGINES_DIR:-}" ]; then
    echo "search engines: SEARCH_ENGINES_DIR=$SEARCH_ENGINES_DIR has no start-search-server.sh / start-valkey-search.sh" >&2
    exit 1
  fi
  echo "search engines: none found (set SEARCH_ENGINES_DIR); real-engine passes skipped, the FT double ran in npm test"
  exit 0
fi

logs=$(mktemp -d)
pid=''
# the server is not this shell's child (the start script backgrounds it): poll until it has gone
stop() {
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  pid=''
}
trap 'stop; rm -rf "$logs"' EXIT

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

failed=()
for engine in redisearch valkey-search; do
  case $engine in
    redisearch) start="$engines/start-search-server.sh"; label='RediSearch 2.6.37 (redis-server + module)' ;;
    valkey-search) start="$engines/start-valkey-search.sh"; label='valkey-search 1.0.3 on Valkey 8.1.1' ;;
  esac
  port=$(free_port)
  # the start scripts run the server in the background and print its pid once it answers PING
  if ! pid=$("$start" "$port" "$logs/$engine.log"); then
    echo "search engines: $label did not start (log: $(tail -n 5 "$logs/$engine.log" 2>/dev/null | tr '\n' ' '))" >&2
    pid=''
    failed+=("$engine (start)")
    continue
  fi
  echo "search engines: $label on 127.0.0.1:$port (pid $pid)"
  started=$(date +%s)
  if SEARCH_REDIS_URL="redis://127.0.0.1:$port" npx jest -c jest.engines.config.js "$@"; then
    echo "search engines: $label passed in $(( $(date +%s) - started )) s"
  else
    failed+=("$engine")
  fi
  stop
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "search engines: failed on ${failed[*]}" >&2
  exit 1
fi
