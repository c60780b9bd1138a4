#!/usr/bin/env bash
# Hostile admin-port neighbour: 10,000 connections that each send a request head one byte a
# second and never finish it, reopened as soon as the server closes them. Meanwhile, every 250 ms: DNS over
# UDP and TCP, and /healthz on a new connection. Prints, next to the targets: DNS answered during the attack,
# /healthz within 1 s, peak RSS, and RSS 10 s after the attackers left against idle RSS before (the peer is
# the same sidecar idle, in the same run).
#
# Usage: bench/hostile/admin.sh [path/to/published/sidecar] [seconds=20] [connections=10000]
# Without a path: SIDECAR_BIN, else artifacts/publish/dynamic/sidecar, else it publishes one.
set -euo pipefail
HOSTILE_BIN=${1:-}
SECONDS_ATTACK=${2:-20}
CONNECTIONS=${3:-10000}
source "$(dirname "$0")/lib.bash"

ADDR=127.0.0.94
attacked_sidecar "$ADDR" 127.4.0.0/24 2

healthz_ms() {
  local out
  out=$(curl -s -o /dev/null --max-time 3 -w '%{http_code} %{time_total}' "http://$ADDR:$ADMIN/healthz" 2>/dev/null || true)
  if [[ $out == 200\ * ]]; then awk -v t="${out#200 }" 'BEGIN {printf "%d\n", t * 1000}'; else echo miss; fi
}
idle_healthz=(); for _ in $(seq 10); do idle_healthz+=("$(healthz_ms)"); done

start_attacker "$ADDR" "$ADMIN" slow-http
sleep 3   # let the attacker open its connections first
end=$(( $(date +%s) + SECONDS_ATTACK - 4 ))
samplers=()
sample_until "$end" "$WORK/udp" timed_dig "$ADDR" "$PORT" & samplers+=($!)
sample_until "$end" "$WORK/tcp" timed_dig "$ADDR" "$PORT" +tcp & samplers+=($!)
sample_until "$end" "$WORK/health" healthz_ms & samplers+=($!)
wait "$ATTACKER" || true
wait "${samplers[@]}"
mapfile -t udp <"$WORK/udp"; mapfile -t tcp <"$WORK/tcp"; mapfile -t health <"$WORK/health"
peak_kib=$(peak_rss_kib "$SIDECAR_PID")
sleep 10
after_kib=$(rss_kib "$SIDECAR_PID")
sleep 20
after30_kib=$(rss_kib "$SIDECAR_PID")

udp_ok=$(count_within 1000000 "${udp[@]}"); tcp_ok=$(count_within 1000000 "${tcp[@]}")
health_ok=$(count_within 1000 "${health[@]}")
n=${#health[@]}
grown=$(( after_kib - idle_kib ))

echo "== hostile admin clients: $CONNECTIONS slow request heads held and reopened for ${SECONDS_ATTACK} s"
cat "$WORK/attacker.out"
verdict "DNS over UDP answered: ${udp_ok}/${#udp[@]} (median $(median "${udp[@]}") ms)" "target: all" "$([ "$udp_ok" -eq "${#udp[@]}" ] && echo 1 || echo 0)"
verdict "DNS over TCP answered: ${tcp_ok}/${#tcp[@]} (median $(median "${tcp[@]}") ms)" "target: all" "$([ "$tcp_ok" -eq "${#tcp[@]}" ] && echo 1 || echo 0)"
verdict "/healthz (new connection) within 1 s: ${health_ok}/$n, median $(median "${health[@]}") ms (idle $(median "${idle_healthz[@]}") ms)" "target: all" "$([ "$health_ok" -eq "$n" ] && echo 1 || echo 0)"
verdict "peak RSS: $(mib "$peak_kib") MiB" "target <= 64 MiB" "$([ "$peak_kib" -le 65536 ] && echo 1 || echo 0)"
verdict "RSS 10 s after: $(mib "$after_kib") MiB vs idle $(mib "$idle_kib") MiB ($(mib "$grown") MiB)" "target <= +4 MiB" "$([ "$grown" -le 4096 ] && echo 1 || echo 0)"
echo "  RSS 30 s after: $(mib "$after30_kib") MiB ($(mib $(( after30_kib - idle_kib ))) MiB over idle)"
echo "  /healthz times (ms): ${health[*]}"
grep "Admin connections at their limit" "$WORK/sidecar.log" | tail -2 | sed 's/^/  log: /' || true
echo "  admin-pressure log lines: $(grep -c "Admin connections at their limit" "$WORK/sidecar.log" || true) in ${SECONDS_ATTACK} s"
finish
