#!/bin/sh
# vegeta.sh compares the client's plain HTTP path with vegeta at one fixed
# rate of GET /health against one simulator (issue 12): both run under
# /usr/bin/time -v, and the CPU seconds per 1,000 requests of each are
# computed from time's user + system seconds.
#
#   go install github.com/tsenart/vegeta/v12@v12.13.0
#   sh internal/loadbench/vegeta.sh [RATE] [SECONDS]
#
# PCFLOW and LOADBENCH name prebuilt binaries (else both are built into a
# temporary directory); VEGETA the vegeta binary (else from PATH or ~/go/bin);
# SIMHOST the simulator's loopback address (default 127.0.0.1).
set -eu
rate=${1:-5000}
secs=${2:-10}
tmp=$(mktemp -d)
trap 'kill "$simpid" 2>/dev/null; wait "$simpid" 2>/dev/null; rm -rf "$tmp"' EXIT
if [ -z "${PCFLOW:-}" ]; then PCFLOW=$tmp/pcflow; go build -o "$PCFLOW" ./cmd/pcflow; fi
if [ -z "${LOADBENCH:-}" ]; then LOADBENCH=$tmp/loadbench; go build -o "$LOADBENCH" ./internal/loadbench; fi
VEGETA=${VEGETA:-$(command -v vegeta || echo "$HOME/go/bin/vegeta")}

host=${SIMHOST:-127.0.0.1} # another loopback address has its own ports
case $host in 127.*) ;; *) echo "SIMHOST must be a 127.x.y.z loopback address" >&2; exit 2 ;; esac
"$PCFLOW" sim --api-addr "$host:0" --ws-addr "$host:0" --upstream-addr "$host:0" \
	--downstream-addr "$host:0" >"$tmp/sim.out" 2>"$tmp/sim.err" &
simpid=$!
i=0
until grep -q '^pcflow sim: api=' "$tmp/sim.out" 2>/dev/null; do
	i=$((i + 1))
	[ "$i" -lt 100 ] || { echo "simulator did not start" >&2; exit 1; }
	sleep 0.1
done
api=$(sed -n 's/^pcflow sim: api=\([^ ]*\) .*/\1/p' "$tmp/sim.out")

# cpu_per_1000 FILE REQUESTS: (user + system seconds) × 1000 / REQUESTS.
cpu_per_1000() {
	awk -v n="$2" -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {printf "%.4f", (u+s)*1000/n}' "$1"
}

echo "GET $api/health" >"$tmp/targets"
/usr/bin/time -v "$VEGETA" attack -rate "$rate" -duration "${secs}s" -targets "$tmp/targets" \
	>"$tmp/vegeta.bin" 2>"$tmp/vegeta.time"
"$VEGETA" report <"$tmp/vegeta.bin" >"$tmp/vegeta.report"
vreq=$(awk '/^Requests/ {split($0, a, "]"); split(a[2], b, ","); gsub(/ /, "", b[1]); print b[1]}' "$tmp/vegeta.report")
/usr/bin/time -v "$LOADBENCH" -mode http -api "$api" -rate "$rate" -duration "${secs}s" \
	>"$tmp/lb.out" 2>"$tmp/lb.time"
lreq=$(sed -n 's/.* requests=\([0-9]*\) .*/\1/p' "$tmp/lb.out")

v=$(cpu_per_1000 "$tmp/vegeta.time" "$vreq")
l=$(cpu_per_1000 "$tmp/lb.time" "$lreq")
grep -E '^(Requests|Success|Status)' "$tmp/vegeta.report"
cat "$tmp/lb.out"
echo "vegeta:    $vreq requests, $v CPU-s per 1000"
echo "loadbench: $lreq requests, $l CPU-s per 1000"
awk -v l="$l" -v v="$v" 'BEGIN {printf "ratio loadbench/vegeta: %.2f\n", l/v}'
