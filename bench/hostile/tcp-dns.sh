#!/usr/bin/env bash
# Hostile TCP DNS neighbour: 1,000 connections that each send one byte and hold, reopened
# as soon as the server closes them, while `dig +tcp` asks every 100 ms. Prints, next to the targets:
# dig +tcp answered within 100 ms (dig's own query time), log lines about it in any 10 s, peak RSS. The peer is the same sidecar idle, in the same run.
#
# Usage: bench/hostile/tcp-dns.sh [path/to/published/sidecar] [seconds=20] [connections=1000]
# Without a path: SIDECAR_BIN, else artifacts/publish/dynamic/sidecar, else it publishes one.
set -euo pipefail
HOSTILE_BIN=${1:-}
SECONDS_ATTACK=${2:-20}
CONNECTIONS=${3:-1000}
source "$(dirname "$0")/lib.bash"

ADDR=127.0.0.93
attacked_sidecar "$ADDR" 127.3.0.0/24 1
# The peer: dig +tcp against the idle sidecar.
idle_ms=(); for _ in $(seq 20); do idle_ms+=("$(timed_dig "$ADDR" "$PORT" +tcp)"); done
# Lines about TCP connections (today's summary, or the per-refusal warning of older builds).
lines_before=$(grep -c "DNS TCP connection" "$WORK/sidecar.log" || true)

start_attacker "$ADDR" "$PORT" one-byte
sleep 2   # let the attacker fill every slot first
# Four dig loops at once, so the run yields a few hundred samples even where spawning dig is slow.
end=$(( $(date +%s) + SECONDS_ATTACK - 3 ))
samplers=()
for i in 1 2 3 4; do sample_until "$end" "$WORK/dig.$i" timed_dig "$ADDR" "$PORT" +tcp & samplers+=($!); done
wait "$ATTACKER" || true
wait "${samplers[@]}"
mapfile -t results < <(cat "$WORK"/dig.*)
peak_kib=$(peak_rss_kib "$SIDECAR_PID")
lines=$(( $(grep -c "DNS TCP connection" "$WORK/sidecar.log" || true) - lines_before ))
max10=$(max_per_window "$WORK/sidecar.log" "DNS TCP connection" 10)
total_lines=$(wc -l <"$WORK/sidecar.log")

within=$(count_within 100 "${results[@]}")
all=${#results[@]}
answered=$(count_within 1000000 "${results[@]}")
pct=$(awk -v a="$within" -v n="$all" 'BEGIN {printf "%.1f", n ? 100 * a / n : 0}')

echo "== hostile TCP DNS: $CONNECTIONS one-byte connections held and reopened for ${SECONDS_ATTACK} s"
cat "$WORK/attacker.out"
echo "  dig +tcp: $all queries, $answered answered, median $(median "${results[@]}") ms, p99 $(p99 "${results[@]}") ms (idle peer: median $(median "${idle_ms[@]}") ms)"
verdict "dig +tcp answered within 100 ms: $within/$all = $pct %" "target >= 99 %" "$(awk -v p="$pct" 'BEGIN {print (p >= 99)}')"
verdict "log lines about it: $lines in ${SECONDS_ATTACK} s, at most $max10 in any 10 s" "target <= 1 per 10 s" "$([ "$max10" -le 1 ] && echo 1 || echo 0)"
verdict "peak RSS: $(mib "$peak_kib") MiB (idle $(mib "$idle_kib") MiB)" "target <= 32 MiB" "$([ "$peak_kib" -le 32768 ] && echo 1 || echo 0)"
echo "  (sidecar log: $total_lines lines in all)"
grep "DNS TCP connection" "$WORK/sidecar.log" | tail -2 | sed 's/^/  log: /' || true
finish
