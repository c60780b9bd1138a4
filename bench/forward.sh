#!/usr/bin/env bash
# Forwarder benchmark: throughput (iperf3, large transfer), connections per second (connect, 1-byte echo,
# close) and memory with N idle connections — our tcp forwarder against socat doing the same forward, in the
# same run, alternating, medians printed. Targets: >= socat on throughput and connections/s; <= 20 KB per
# idle connection.
#
# Our side is either
#   - the published sidecar (SIDECAR_BIN=path/to/sidecar): it discovers two tcp proxies from an FRPServer
#     file (--source file:PATH) and forwards mapped-ip:port -> 127.0.0.1:remotePort; or, by default,
#   - bench/ForwardBench, a harness hosting the product's TcpForwarder class itself (same code path from
#     accept to relay; no discovery/DNS around it).
# Loopback only. Needs: dotnet, socat, iperf3, procps (and dig in SIDECAR_BIN mode).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${RUNS:-3}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-5}
CPS_WORKERS=${CPS_WORKERS:-8}
IDLE=${IDLE:-1000}
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

source "$(dirname "$0")/lib.bash"

free_port() { "${HARNESS[@]}" freeport; }
# Proportional set size of a process and its children (socat forks one child per connection).
pss_tree_kb() {
  local total=0 p
  for p in "$1" $(pgrep -P "$1" || true); do
    total=$((total + $(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
wait_port() { for _ in $(seq 1 200); do (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null && return 0; sleep 0.05; done; echo "no listener on $1:$2" >&2; exit 1; }

echo "building bench harness..." >&2
dotnet build -c Release "$ROOT/bench/ForwardBench" -v q -nologo >/dev/null
HARNESS=(dotnet "$ROOT/bench/ForwardBench/bin/Release/net10.0/ForwardBench.dll")

IPERF_PORT=$(free_port); ECHO_PORT=$(free_port)
iperf3 -s -p "$IPERF_PORT" >/dev/null 2>&1 & PIDS+=($!)
"${HARNESS[@]}" echo "$ECHO_PORT" >/dev/null & PIDS+=($!)
wait_port 127.0.0.1 "$IPERF_PORT"; wait_port 127.0.0.1 "$ECHO_PORT"

# Peer: socat, one listener per backend, forking per connection (its usual way to forward).
S_IPERF=$(free_port); S_ECHO=$(free_port)
socat "TCP-LISTEN:$S_IPERF,bind=127.0.0.1,reuseaddr,fork,backlog=4096" "TCP:127.0.0.1:$IPERF_PORT" 2>/dev/null & PIDS+=($!)
socat "TCP-LISTEN:$S_ECHO,bind=127.0.0.1,reuseaddr,fork,backlog=4096" "TCP:127.0.0.1:$ECHO_PORT" 2>/dev/null & SOCAT_ECHO_PID=$!; PIDS+=($!)
wait_port 127.0.0.1 "$S_IPERF"; wait_port 127.0.0.1 "$S_ECHO"

if [[ -n "${SIDECAR_BIN:-}" ]]; then
  OURS="sidecar ($SIDECAR_BIN)"
  DNS_PORT=$(free_port)
  cat >"$WORK/frpserver.yaml" <<YAML
apiVersion: tunnel.kubeinfra.io/v1alpha1
kind: FRPServer
metadata: {name: bench}
spec: {bindAddr: 127.0.0.1, bindPort: 7000}
status:
  internetAddr: 127.0.0.1
  activeConnections:
  - {proxyName: bench-iperf, proxyType: tcp, status: online, proxyConfig: {name: bench-iperf, type: tcp, remotePort: $IPERF_PORT}}
  - {proxyName: bench-echo, proxyType: tcp, status: online, proxyConfig: {name: bench-echo, type: tcp, remotePort: $ECHO_PORT}}
YAML
  "$SIDECAR_BIN" --source "file:$WORK/frpserver.yaml" --mapped-services "bench-iperf:5201,bench-echo:7" \
    --ip-range 127.1.0.0/24 --dns-addr "127.0.0.1:$DNS_PORT" --admin-addr "" --state-dir "$WORK/state" \
    --log-level warn & OURS_PID=$!; PIDS+=($!)
  resolve() { for _ in $(seq 1 200); do a=$(dig +short +tries=1 +time=1 @127.0.0.1 -p "$DNS_PORT" "$1" A | head -1); [[ -n "$a" ]] && { echo "$a"; return; }; sleep 0.1; done; echo "sidecar did not publish $1" >&2; exit 1; }
  O_IPERF_HOST=$(resolve bench-iperf); O_IPERF=5201
  O_ECHO_HOST=$(resolve bench-echo); O_ECHO=7
else
  OURS="TcpForwarder in bench/ForwardBench (JIT)"
  O_IPERF_HOST=127.0.0.1; O_IPERF=$(free_port)
  O_ECHO_HOST=127.0.0.1; O_ECHO=$(free_port)
  "${HARNESS[@]}" forward "$O_IPERF" 127.0.0.1 "$IPERF_PORT" >/dev/null & PIDS+=($!)
  "${HARNESS[@]}" forward "$O_ECHO" 127.0.0.1 "$ECHO_PORT" >/dev/null & OURS_PID=$!; PIDS+=($!)
fi
wait_port "$O_IPERF_HOST" "$O_IPERF"; wait_port "$O_ECHO_HOST" "$O_ECHO"

# Idle connections first, while the forwarding processes are fresh (after traffic the GC heap has grown
# and would hide the per-connection cost): memory before and after N echo-checked idle connections, after
# a 20-connection warm-up (JIT, first-use allocations).
idle_delta() {  # host port measure-command
  local before after fifo="$WORK/idle.$RANDOM"
  mkfifo "$fifo"
  echo | "${HARNESS[@]}" idle "$1:$2" 20 >/dev/null
  sleep 1
  before=$($3)
  "${HARNESS[@]}" idle "$1:$2" "$IDLE" <"$fifo" >"$fifo.out" & local client=$!
  exec 7>"$fifo"
  for _ in $(seq 1 600); do grep -q held "$fifo.out" 2>/dev/null && break; sleep 0.1; done
  grep -q held "$fifo.out" || { echo "idle client failed" >&2; exit 1; }
  sleep 1
  after=$($3)
  exec 7>&-
  wait "$client" || true
  echo "$before $after"
}
read -r O_BEFORE O_AFTER < <(idle_delta "$O_ECHO_HOST" "$O_ECHO" "rss_kb $OURS_PID")
read -r S_BEFORE S_AFTER < <(idle_delta 127.0.0.1 "$S_ECHO" "pss_tree_kb $SOCAT_ECHO_PID")

gbps() { iperf3 -c "$1" -p "$2" -t "$SECONDS_PER_RUN" -f g | awk '/receiver/ {print $(NF-2)}'; }
cps() { "${HARNESS[@]}" cps "$1:$2" "$SECONDS_PER_RUN" "$CPS_WORKERS"; }

# Warm-up (JIT, page cache), not counted.
gbps "$O_IPERF_HOST" "$O_IPERF" >/dev/null; gbps 127.0.0.1 "$S_IPERF" >/dev/null
for i in $(seq 1 "$RUNS"); do
  gbps "$O_IPERF_HOST" "$O_IPERF" >>"$WORK/ours.gbps"; gbps 127.0.0.1 "$S_IPERF" >>"$WORK/socat.gbps"
  cps "$O_ECHO_HOST" "$O_ECHO" >>"$WORK/ours.cps"; cps 127.0.0.1 "$S_ECHO" >>"$WORK/socat.cps"
  echo "run $i/$RUNS done" >&2
done


printf '\nForwarder benchmark, %s runs x %ss, loopback, %s cores\n' "$RUNS" "$SECONDS_PER_RUN" "$(nproc)"
printf 'ours: %s\npeer: socat %s (fork per connection)\n\n' "$OURS" "$(socat -V | awk '/socat version/ {print $3}')"
printf '%-38s %14s %14s\n' "metric (median)" "ours" "socat"
printf '%-38s %14s %14s\n' "throughput, Gbit/s (iperf3)" "$(median <"$WORK/ours.gbps")" "$(median <"$WORK/socat.gbps")"
printf '%-38s %14s %14s\n' "connections/s ($CPS_WORKERS workers, 1-byte echo)" "$(median <"$WORK/ours.cps")" "$(median <"$WORK/socat.cps")"
printf '%-38s %14s %14s\n' "memory before idle conns, KB" "$O_BEFORE (RSS)" "$S_BEFORE (PSS)"
printf '%-38s %14s %14s\n' "memory with $IDLE idle conns, KB" "$O_AFTER (RSS)" "$S_AFTER (PSS)"
printf '%-38s %14s %14s\n' "per idle connection, KB" \
  "$(awk -v a="$O_BEFORE" -v b="$O_AFTER" -v n="$IDLE" 'BEGIN {printf "%.1f", (b-a)/n}')" \
  "$(awk -v a="$S_BEFORE" -v b="$S_AFTER" -v n="$IDLE" 'BEGIN {printf "%.1f", (b-a)/n}')"
ALLOC=$("${HARNESS[@]}" alloc 2048 | tail -1)
printf '%-38s %14s %14s\n' "bytes allocated per MB relayed" "$ALLOC" "n/a"
ALLOC_UDP=$("${HARNESS[@]}" alloc-udp 100000 | tail -1)
printf '%-38s %14s %14s\n' "bytes allocated per UDP round trip" "$ALLOC_UDP" "n/a"
printf '(allocation: one harness process with backend + forwarder + client; tcp: 2 GB after 64 MB warm-up;\n udp: 100,000 1,200-byte datagram round trips after 10,000 warm-up)\n'
printf '\nraw: ours Gbit/s %s | socat Gbit/s %s | ours conn/s %s | socat conn/s %s\n' \
  "$(paste -sd' ' "$WORK/ours.gbps")" "$(paste -sd' ' "$WORK/socat.gbps")" "$(paste -sd' ' "$WORK/ours.cps")" "$(paste -sd' ' "$WORK/socat.cps")"
