#!/usr/bin/env bash
# Runs every test of SocketIoChannels: the one command for developers and CI (.ci/run calls it).
# On a fresh Debian machine, as root, it installs what the tests need (Debian's chromium and redis-server,
# the npm packages socket.io@0.6.18, whose bundled 0.6.3 browser client the browser tests use, and
# socket.io-client@4.8, run in Node and in Chromium by the Socket.IO 5 tests), starts a
# private redis-server on a free loopback port, then runs 'dotnet test SocketIoChannels.sln', then the packaging tests.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"
BROWSER_TESTS="$ROOT/tests/SocketIoChannels.BrowserTests"
START=$SECONDS

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"

log() { printf 'test.sh: %s\n' "$*"; }
die() { printf 'test.sh: error: %s\n' "$*" >&2; exit 1; }

# ---- system packages ---------------------------------------------------------------------------------
missing=()
[ -x "$CHROMIUM_PATH" ] || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if ((${#missing[@]})); then
  if [ "$(id -u)" -ne 0 ]; then
    die "missing: ${missing[*]}. Install them as root (apt-get install -y chromium redis-server npm) or run this script as root, which installs them."
  fi
  log "installing Debian packages (missing: ${missing[*]})"
  apt-get update
  pkgs=(chromium redis-server)
  command -v npm >/dev/null 2>&1 || pkgs+=(nodejs npm)
  DEBIAN_FRONTEND=noninteractive apt-get install -y "${pkgs[@]}"
  [ -x "$CHROMIUM_PATH" ] || die "chromium is still missing at $CHROMIUM_PATH after apt-get install"
fi

# ---- npm: the real socket.io 0.6.18 client and socket.io-client 4.8 ----------------------------------
CLIENT06="$BROWSER_TESTS/node_modules/socket.io/support/socket.io-client/socket.io.js"
CLIENTV5="$BROWSER_TESTS/node_modules/socket.io-client/dist/socket.io.min.js"
if [ ! -f "$CLIENT06" ] || [ ! -f "$CLIENTV5" ]; then
  log "installing npm packages in tests/SocketIoChannels.BrowserTests"
  (cd "$BROWSER_TESTS" && { npm ci --no-audit --no-fund || npm install --no-audit --no-fund; })
fi
[ -f "$CLIENT06" ] || die "npm did not install $CLIENT06"
[ -f "$CLIENTV5" ] || die "npm did not install $CLIENTV5"
export SOCKETIO_CLIENT_06_PATH="$CLIENT06"

# ---- a private redis-server on a free loopback port --------------------------------------------------
WORK="$(mktemp -d "${TMPDIR:-/tmp}/socketiochannels-test.XXXXXX")"
REDIS_PID=""
cleanup() {
  if [ -n "$REDIS_PID" ]; then
    kill "$REDIS_PID" 2>/dev/null || true
    wait "$REDIS_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
redis_ready() {
  if command -v redis-cli >/dev/null 2>&1; then
    [ "$(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" = "PONG" ]
  else
    port_in_use "$1"
  fi
}

start_redis() {
  local attempt port i
  for attempt in $(seq 1 20); do
    port=$((20000 + RANDOM % 40000))
    port_in_use "$port" && continue
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no --dir "$WORK" \
      >"$WORK/redis.log" 2>&1 &
    REDIS_PID=$!
    for i in $(seq 1 100); do
      if redis_ready "$port"; then
        REDIS_PORT=$port
        return 0
      fi
      kill -0 "$REDIS_PID" 2>/dev/null || break
      sleep 0.05
    done
    kill "$REDIS_PID" 2>/dev/null || true
    wait "$REDIS_PID" 2>/dev/null || true
    REDIS_PID=""
  done
  cat "$WORK/redis.log" >&2 || true
  return 1
}
start_redis || die "could not start redis-server on a free port"
export SOCKETIO_TEST_REDIS="127.0.0.1:$REDIS_PORT"
# Tells the tests they run under this script: a missing service is then a failure, never a fallback.
export SOCKETIO_TEST_SH=1

log "chromium: $("$CHROMIUM_PATH" --version 2>/dev/null | head -n1)"
log "redis-server: $(redis-server --version | head -n1) on $SOCKETIO_TEST_REDIS"
log "socket.io 0.6 client: $SOCKETIO_CLIENT_06_PATH"
log "socket.io-client: $(sed -n 's/^  "version": "\(.*\)",$/\1/p' "$BROWSER_TESTS/node_modules/socket.io-client/package.json"), node $(node --version)"
log "dotnet: $(dotnet --version)"

# ---- the tests ---------------------------------------------------------------------------------------
[ -f SocketIoChannels.sln ] || die "SocketIoChannels.sln is missing"
RESULTS="$WORK/results"
# --blame-hang-timeout ends a test host that hangs; every awaited step in the tests has its own timeout too.
# The packaging tests (Category=Package: dotnet pack, a fresh app built and run in Chromium) run on their own
# afterwards, so their compilers do not load the machine while timing-sensitive tests run.
set +e
dotnet test SocketIoChannels.sln --filter "Category!=Package" \
  --logger "console;verbosity=normal" --logger "trx" --results-directory "$RESULTS" \
  --blame-hang-timeout 5m --blame-hang-dump-type none
rc=$?
log "packaging tests"
dotnet test "$BROWSER_TESTS" --no-build --filter "Category=Package" \
  --logger "console;verbosity=normal" --logger "trx" --results-directory "$RESULTS" \
  --blame-hang-timeout 5m --blame-hang-dump-type none
package_rc=$?
[ "$rc" -ne 0 ] || rc=$package_rc
set -e

# One closing line over every test assembly (dotnet test prints one summary per assembly).
total=0 passed=0 failed=0 skipped=0 browser_ran=0 browser_skipped=0
shopt -s nullglob
for trx in "$RESULTS"/*.trx; do
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n1)"
  get() { printf '%s' "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  t=$(get total); p=$(get passed); f=$(get failed); e=$(get error); x=$(get timeout); ne=$(get notExecuted)
  total=$((total + ${t:-0})); passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0} + ${x:-0}))
  skipped=$((skipped + ${ne:-0}))
  if grep -q 'SocketIoChannels.BrowserTests.dll' "$trx"; then
    browser_ran=$((browser_ran + ${p:-0} + ${f:-0}))
    browser_skipped=$((browser_skipped + ${ne:-0}))
  fi
done

echo
log "finished in $((SECONDS - START)) s (dotnet test exit code $rc)"
if [ "$rc" -eq 0 ]; then
  [ "$total" -gt 0 ] || { log "no test ran"; rc=1; }
  [ "$browser_ran" -gt 0 ] || { log "the browser tests did not run"; rc=1; }
  [ "$browser_skipped" -eq 0 ] || { log "$browser_skipped browser test(s) were skipped: CI must run them all"; rc=1; }
fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$rc"
