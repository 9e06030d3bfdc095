# Shared by the perf scripts: build pcflow once (or take PCFLOW, a prebuilt
# binary, to compare two versions), start 'pcflow sim' in its own process
# on free loopback ports and read its URLs from its first line.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WORK=$(mktemp -d)
if [ -z "${PCFLOW:-}" ]; then
	PCFLOW=$WORK/pcflow
	(cd "$ROOT" && go build -o "$PCFLOW" ./cmd/pcflow)
fi
SIM_PID=
cleanup() {
	[ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null
	wait 2>/dev/null
	# KEEP=DIR keeps the profiles, results and the binary for a closer look.
	[ -n "${KEEP:-}" ] && mkdir -p "$KEEP" && cp "$WORK"/*.prof "$WORK"/*.json "$PCFLOW" "$KEEP"/ 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT

# start_sim KNOBS… — sets API and WS.
start_sim() {
	"$PCFLOW" sim --api-addr 127.0.0.1:0 --ws-addr 127.0.0.1:0 --upstream-addr 127.0.0.1:0 \
		--downstream-addr 127.0.0.1:0 --max-profiles -1 "$@" >"$WORK/sim.out" 2>"$WORK/sim.err" &
	SIM_PID=$!
	for _ in $(seq 100); do grep -q '^pcflow sim: api=' "$WORK/sim.out" 2>/dev/null && break; sleep 0.1; done
	API=$(sed -n 's/^pcflow sim: api=\([^ ]*\) ws=\([^ ]*\) .*/\1/p' "$WORK/sim.out")
	WS=$(sed -n 's/^pcflow sim: api=\([^ ]*\) ws=\([^ ]*\) .*/\2/p' "$WORK/sim.out")
	[ -n "$API" ] || { echo "sim did not start" >&2; cat "$WORK/sim.err" >&2; exit 1; }
}
