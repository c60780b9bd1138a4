#!/usr/bin/env bash
# RSS and CPU of the Kubernetes source under the operator's churn (10 FRPServers × 50 connections, every status
# rewritten once a second, over TLS from the stand-in API server), this build against a PEER binary in the same
# run, side by side: RSS 5 s after start, its range sampled every 10 s, at the end, and the CPU used per second.
# Issue 13's target: flat (± 1 MiB) over 10 minutes of 1 s churn.
# usage: bench/churn-rss.sh PEER-BINARY [HOLD=600] [PAIRS=2]   (publishes artifacts/publish/dynamic when absent)
set -euo pipefail
cd "$(dirname "$0")/.."
peer=$(readlink -f "${1:?usage: bench/churn-rss.sh PEER-BINARY [HOLD] [PAIRS]}")
hold=${2:-600}
pairs=${3:-2}
bin=artifacts/publish/dynamic/sidecar
[ -x "$bin" ] || bash .ci/publish.sh dynamic artifacts/publish/dynamic >/dev/null
dotnet build bench/Fleet -c Release -v quiet -nologo -o artifacts/bench/fleet >/dev/null

WORK_PREFIX=sidecar-churn-rss source bench/lib.bash
dotnet artifacts/bench/fleet/Fleet.dll serve "$WORK" $((hold + 120)) >"$WORK/serve.out" &
PIDS+=("$!")
for _ in $(seq 300); do grep -q '^kubeconfig ' "$WORK/serve.out" 2>/dev/null && break; sleep 0.1; done
kubeconfig=$(sed -n 's/^kubeconfig //p' "$WORK/serve.out")
hz=$(getconf CLK_TCK)

run() { # name binary
  local name=$1 binary=$2 port=$(( 30000 + RANDOM % 20000 ))
  "$binary" --ip-range 127.1.0.0/24 --dns-addr "127.0.0.1:$port" --admin-addr "" --mapped-services svc-0-0.fleet \
    --dns-wait-for-tunnel=false --log-level warn --source kubernetes --kubeconfig "$kubeconfig" >"$WORK/log.$name" 2>&1 &
  local pid=$!
  sleep 5
  local start cpu0 lo hi now
  start=$(rss_kb "$pid"); cpu0=$(cpu_ticks "$pid"); lo=$start; hi=$start
  for _ in $(seq $((hold / 10))); do
    sleep 10
    now=$(rss_kb "$pid"); (( now < lo )) && lo=$now; (( now > hi )) && hi=$now
  done
  local cpu1; cpu1=$(cpu_ticks "$pid")
  echo "$name $start $now $lo $hi $(awk -v t=$((cpu1 - cpu0)) -v hz="$hz" -v s="$hold" 'BEGIN {print t * 1000 / hz / s}')"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

for p in $(seq "$pairs"); do
  run "now.$p" "$bin" >"$WORK/now.$p" &
  run "peer.$p" "$peer" >"$WORK/peer.$p" &
done
wait_for=$(jobs -p | grep -v "^${PIDS[0]}\$" || true)
for j in $wait_for; do wait "$j" || true; done
echo "== Kubernetes source, 10 FRPServers × 50 connections rewritten once a second, ${hold} s, ${pairs} pair(s) side by side"
for who in now peer; do
  cat "$WORK"/$who.* | awk -v who="$who" -v bin="$([ $who = now ] && readlink -f $bin || echo "$peer")" '
    { printf "   %-8s RSS after 5 s %6.2f MiB, at the end %6.2f MiB (%+.2f), range %6.2f..%6.2f MiB, CPU %5.2f ms/s\n", $1, $2/1024, $3/1024, ($3-$2)/1024, $4/1024, $5/1024, $6 }
    END { printf "   (%s)\n", bin }'
done
