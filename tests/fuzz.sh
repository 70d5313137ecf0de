#!/usr/bin/env bash
# The long run of the property tests (tests/SocketIoChannels.Tests/Properties): the same properties as in
# ./test.sh, with SOCKETIO_FUZZ_SCALE times as many inputs (default 150: over 10 million inputs, most of them
# through the pure protocol code, the rest as real HTTP requests and WebSocket messages to a Kestrel app).
# Usage: tests/fuzz.sh [scale]. Prints each property's input count and duration, the total, and fails on any failure.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SCALE="${1:-${SOCKETIO_FUZZ_SCALE:-150}}"
REPORT="$(mktemp "${TMPDIR:-/tmp}/socketio-fuzz.XXXXXX")"
trap 'rm -f "$REPORT"' EXIT
export SOCKETIO_FUZZ_SCALE="$SCALE" SOCKETIO_FUZZ_REPORT="$REPORT" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
START=$SECONDS
echo "fuzz.sh: scale $SCALE"
set +e
dotnet test "$ROOT/tests/SocketIoChannels.Tests" --filter "FullyQualifiedName~SocketIoChannels.Tests.Properties" \
  --logger "console;verbosity=normal" --blame-hang-timeout 30m --blame-hang-dump-type none
rc=$?
set -e
echo
printf '%-45s %12s %10s\n' property inputs seconds
sort "$REPORT" | awk -F'\t' '{ printf "%-45s %12d %10.1f\n", $1, $2, $3; total += $2 } END { printf "%-45s %12d\n", "total", total }'
echo "fuzz.sh: finished in $((SECONDS - START)) s, dotnet test exit code $rc"
exit "$rc"
