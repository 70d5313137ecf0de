#!/usr/bin/env bash
# Load benchmarks: SocketIoChannels vs SignalR vs raw Kestrel WebSockets vs node socket.io 0.6.18 and 4.8, every
# scenario in one invocation.
#   bench/run.sh smoke    a few clients for a few seconds: does every server and scenario work? (numbers mean nothing)
#   bench/run.sh quick    small numbers, under 4 minutes
#   bench/run.sh medium   in between (profiling)
#   bench/run.sh full     the issue's sizes (10,000 fan-out clients, 5,000/10,000/max idle, 2,000 polling, 1,000 echo)
# Extra arguments go to the orchestrator, e.g. --servers ours,node48 --scenarios fanout5 --sources 127.0.0.1,127.0.0.2
# Results: bench/results/<time>-<profile>/results.md + PNG charts, and bench/results/latest.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PROFILE="${1:-quick}"
shift || true
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Every connection is a file descriptor in the server and one in the client process: the idle maximum follows
# the open-file limit. Try to raise the soft limit to the hard one; say what it is.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "run.sh: ulimit -n is $(ulimit -n) (hard $(ulimit -Hn)); ephemeral ports $(tr '\t' '-' </proc/sys/net/ipv4/ip_local_port_range) per source address"
if [ "$(ulimit -n)" -le 20000 ]; then
  echo "run.sh: the open-file limit caps the idle scenario at about $(( $(ulimit -n) - 1000 )) connections per process here"
fi

# The node servers (bench/node): socket.io 0.6.18 and 4.8 from bench/node/package-lock.json.
if ! command -v node >/dev/null; then
  echo "run.sh: node is not on PATH: the node06/node48 servers cannot run (pass --servers ours,signalr,raw)" >&2
elif [ ! -d bench/node/node_modules ]; then
  (cd bench/node && npm ci --no-audit --no-fund)
fi

dotnet build -c Release bench/LoadTest/LoadTest.csproj -v quiet -nologo | grep -E "error|Warn" || true
exec bench/LoadTest/bin/Release/net10.0/LoadTest run "$PROFILE" --out "$ROOT/bench/results" "$@"
