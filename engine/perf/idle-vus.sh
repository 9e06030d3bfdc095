#!/usr/bin/env bash
# idle-vus.sh N — RSS and goroutines per idle VU: N VUs each onboard (own
# profile, authenticated, WebSocket joined) and sleep; 'pcflow sim' runs in
# another process. Measured 3 s after the clock started (every vu-setup
# done), then the goroutines are counted from a SIGQUIT dump.
. "$(dirname "$0")/lib.sh"
N=${1:-1000}
start_sim
GOTRACEBACK=all "$PCFLOW" run --api "$API" --ws "$WS" --vus "$N" --duration 10m --memprofile "$WORK/heap.prof" \
	"$ROOT/engine/perf/idle.yaml" >"$WORK/run.out" 2>"$WORK/run.err" &
PID=$!
t0=$(date +%s)
until grep -q ' VUs ' "$WORK/run.err" 2>/dev/null; do
	kill -0 $PID 2>/dev/null || { cat "$WORK/run.err" >&2; exit 1; }
	sleep 0.2
done
setup_s=$(( $(date +%s) - t0 ))
sleep 3
rss_kib=$(awk '/^VmRSS/ {print $2}' /proc/$PID/status)
if [ "${HEAP:-}" = 1 ]; then
	# HEAP=1: Ctrl-C instead, which writes the heap profile while the VUs live.
	kill -INT $PID; wait $PID 2>/dev/null || true
	echo "vus=$N rss_kib=$rss_kib rss_per_vu_kib=$(( rss_kib / N ))"
	go tool pprof -sample_index=inuse_space -top -nodecount=25 "$PCFLOW" "$WORK/heap.prof" 2>/dev/null | sed -n '1,32p'
	exit 0
fi
kill -QUIT $PID; wait $PID 2>/dev/null || true
goroutines=$(grep -cE "^goroutine [1-9][0-9]* " "$WORK/run.err" || true) # goroutine 0 lines are the Ms' g0, not goroutines
echo "vus=$N setup_s=$setup_s rss_kib=$rss_kib rss_per_vu_kib=$(( rss_kib / N )) goroutines=$goroutines goroutines_per_vu=$(awk "BEGIN {printf \"%.2f\", $goroutines/$N}")"
# Where the goroutines wait, grouped by their innermost pcflow (or net/http) frame.
awk '/^goroutine [1-9]/ {g=1; next} g && /^(github.com\/pcflow|net\/http|github.com\/gorilla)/ {sub(/\([^()]*\)$/, ""); n[$0]++; g=0} /^$/ {g=0} END {for (f in n) printf "  %6d %s\n", n[f], f}' "$WORK/run.err" | sort -rn | head -12
