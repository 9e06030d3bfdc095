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
# CPU seconds of a process so far, from /proc (utime + stime, in clock ticks).
proc_cpu() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"; }
sim_cpu0=$(proc_cpu "$SIM_PID")
/usr/bin/time -o "$WORK/acks.time" -v "$PCFLOW" run --quiet --api "$API" --ws "$WS" --vus "$VUS" --duration "$DUR" --cpuprofile "$WORK/cpu.prof" \
	--out json="$WORK/acks.json" "$ROOT/engine/perf/acks.yaml" >"$WORK/acks.out" 2>"$WORK/acks.err" || true
sim_cpu=$(awk "BEGIN {print $(proc_cpu "$SIM_PID") - $sim_cpu0}")
pc_cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {print u+s}' "$WORK/acks.time")
python3 - "$WORK/acks.json" "$pc_cpu" "$sim_cpu" "$(nproc)" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
c, d = r["counters"], r["duration_s"]
pc, sim, cores = float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
ok = max(c["acks_ok"], 1)
# What the machine could do if it ran only these two: its cores over the
# CPU both processes spend per ack (onboarding included, so a lower bound).
print(f"cpu: pcflow {pc:.2f}s ({1e6*pc/ok:.0f} ms per 1000 acks), sim {sim:.2f}s ({1e6*sim/ok:.0f} ms per 1000 acks); "
      f"{cores} cores all to these two → about {cores/((pc+sim)/ok):.0f} acks/s")
print(f"duration_s={d:.1f} acks_ok={c['acks_ok']} acks_per_s={c['acks_ok']/d:.0f} "
      f"iterations={c['iterations']} errors={sum(c.get('errors', {}).values())} stop={r['stop_reason']}")
PY
sed -n '/^acks /,/^$/p' "$WORK/acks.out" | head -8
echo "pcflow CPU by package (flat share of samples; runtime+syscall is mostly network I/O):"
go tool pprof -top -nodecount=100000 "$PCFLOW" "$WORK/cpu.prof" 2>/dev/null |
	awk '$2 ~ /%$/ && NF >= 6 {n=$6; i=match(n, /\/[^\/]*$/); rest=(i ? substr(n, i+1) : n); pre=(i ? substr(n, 1, i) : "");
		j=index(rest, "."); pkg=pre (j ? substr(rest, 1, j-1) : rest); sub(/%/, "", $2); f[pkg]+=$2}
		END {for (p in f) printf "  %5.1f%% %s\n", f[p], p}' | sort -rn | head -15
