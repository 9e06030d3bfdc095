#!/usr/bin/env bash
# max-acks.sh [VUS] [DURATION] — acked commands per second one pcflow
# process sustains against 'pcflow sim' in another process (acks at once):
# VUS closed-model VUs, each sending set-quorum-size and awaiting its ack
# back to back (acks.yaml). Prints the rate, the ack latencies and where
# pcflow's CPU goes (pprof top, cumulative, by package).
. "$(dirname "$0")/lib.sh"
VUS=${1:-200}
DUR=${2:-10s}
start_sim --ack-latency 0s --workers "${SIM_WORKERS:-4}"
uptime
"$PCFLOW" run --quiet --api "$API" --ws "$WS" --vus "$VUS" --duration "$DUR" --cpuprofile "$WORK/cpu.prof" \
	--out json="$WORK/acks.json" "$ROOT/engine/perf/acks.yaml" >"$WORK/acks.out" 2>"$WORK/acks.err" || true
python3 - "$WORK/acks.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
c, d = r["counters"], r["duration_s"]
print(f"duration_s={d:.1f} acks_ok={c['acks_ok']} acks_per_s={c['acks_ok']/d:.0f} "
      f"iterations={c['iterations']} errors={sum(c.get('errors', {}).values())} stop={r['stop_reason']}")
PY
sed -n '/^acks /,/^$/p' "$WORK/acks.out" | head -8
echo "pcflow CPU by package (flat share of samples; runtime+syscall is mostly network I/O):"
go tool pprof -top -nodecount=100000 "$PCFLOW" "$WORK/cpu.prof" 2>/dev/null |
	awk '$2 ~ /%$/ && NF >= 6 {n=$6; i=match(n, /\/[^\/]*$/); rest=(i ? substr(n, i+1) : n); pre=(i ? substr(n, 1, i) : "");
		j=index(rest, "."); pkg=pre (j ? substr(rest, 1, j-1) : rest); sub(/%/, "", $2); f[pkg]+=$2}
		END {for (p in f) printf "  %5.1f%% %s\n", f[p], p}' | sort -rn | head -15
