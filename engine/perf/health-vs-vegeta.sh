#!/usr/bin/env bash
# health-vs-vegeta.sh [RATE] [DURATION] — CPU seconds per 1,000 GET /health
# at a fixed rate: pcflow (health.yaml, constant-arrival-rate) and then
# vegeta (go install github.com/tsenart/vegeta/v12@v12.13.0) against the
# same 'pcflow sim' in another process, each under /usr/bin/time -v.
. "$(dirname "$0")/lib.sh"
RATE=${1:-5000}
DUR=${2:-20s}
VEGETA=${VEGETA:-$(command -v vegeta || echo "$HOME/go/bin/vegeta")}
start_sim
cpu() { awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {print u+s}' "$1"; }
rss() { awk -F': ' '/Maximum resident/ {print $2}' "$1"; }

/usr/bin/time -v "$PCFLOW" run --quiet --api "$API" --ws "$WS" --rate "$RATE/s" --duration "$DUR" \
	--out json="$WORK/pcflow.json" "$ROOT/engine/perf/health.yaml" >"$WORK/pcflow.out" 2>"$WORK/pcflow.time"
pc_req=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); c=r["counters"]; print(c["requests"], c["dropped_iterations"], sum(c.get("errors",{}).values()))' "$WORK/pcflow.json")
set -- $pc_req
pc_n=$1
pc_cpu=$(cpu "$WORK/pcflow.time")
echo "pcflow: requests=$1 dropped=$2 errors=$3 cpu_s=$pc_cpu max_rss_kib=$(rss "$WORK/pcflow.time") cpu_ms_per_1000=$(awk "BEGIN {printf \"%.1f\", 1e6*$pc_cpu/$pc_n}")"
grep -E '^  (http|schedule lag|iteration) ' "$WORK/pcflow.out" || true

uptime
echo "GET $API/health" | /usr/bin/time -v "$VEGETA" attack -rate "$RATE" -duration "$DUR" >"$WORK/vegeta.bin" 2>"$WORK/vegeta.time"
"$VEGETA" report "$WORK/vegeta.bin" >"$WORK/vegeta.txt"
vg_n=$(awk '/^Requests/ {gsub(",", ""); print $5}' "$WORK/vegeta.txt")
vg_cpu=$(cpu "$WORK/vegeta.time")
echo "vegeta: requests=$vg_n cpu_s=$vg_cpu max_rss_kib=$(rss "$WORK/vegeta.time") cpu_ms_per_1000=$(awk "BEGIN {printf \"%.1f\", 1e6*$vg_cpu/$vg_n}")"
grep -E '^(Latencies|Success)' "$WORK/vegeta.txt"
echo "ratio pcflow/vegeta (CPU per request): $(awk "BEGIN {printf \"%.2f\", ($pc_cpu/$pc_n)/($vg_cpu/$vg_n)}")"
