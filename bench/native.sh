#!/usr/bin/env bash
# Native visitor benchmark (issue 12): the published sidecar with --tunnel-engine native, 4 stcp visitors,
# against the tests' STAND-IN frps (bench/NativeBench hosts it; its stcp proxies relay to local services),
# compared in the same run with our own tcp forwarder on the same path (4 tcp proxies whose remotePort the
# same stand-in process relays to the same services) as the peer, since no frpc binary exists here.
# Figures: RSS of the sidecar (the whole Pod side: no frpc child with native) with 4 tunnels, its growth
# with 100 idle connections, connect -> first echoed byte (median), and throughput (iperf3).
# Targets (issue 12): whole Pod side <= 20 MiB with 4 native visitors; <= 1 MiB more per 100 idle
# connections; setup latency and throughput as the peer's or better (the issue's peer is frpc).
# Loopback only. Needs: dotnet, iperf3, dig, procps; SIDECAR_BIN (default artifacts/publish/dynamic/sidecar).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIDECAR_BIN=${SIDECAR_BIN:-$ROOT/artifacts/publish/dynamic/sidecar}
RUNS=${RUNS:-3}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-5}
LATENCY_COUNT=${LATENCY_COUNT:-200}
IDLE=${IDLE:-100}
[[ -x "$SIDECAR_BIN" ]] || { echo "no sidecar at $SIDECAR_BIN: bash .ci/publish.sh dynamic artifacts/publish/dynamic" >&2; exit 1; }
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
wait_port() { for _ in $(seq 1 200); do (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null && return 0; sleep 0.05; done; echo "no listener on $1:$2" >&2; exit 1; }

echo "building bench harnesses..." >&2
dotnet build -c Release "$ROOT/bench/ForwardBench" -v q -nologo >/dev/null
dotnet build -c Release "$ROOT/bench/NativeBench" -v q -nologo >/dev/null
HARNESS=(dotnet "$ROOT/bench/ForwardBench/bin/Release/net10.0/ForwardBench.dll")
NATIVE=(dotnet "$ROOT/bench/NativeBench/bin/Release/net10.0/NativeBench.dll")
free_port() { "${HARNESS[@]}" freeport; }

# The services behind both paths.
IPERF_PORT=$(free_port); ECHO_PORT=$(free_port)
iperf3 -s -p "$IPERF_PORT" >/dev/null 2>&1 & PIDS+=($!)
"${HARNESS[@]}" echo "$ECHO_PORT" >/dev/null & PIDS+=($!)
wait_port 127.0.0.1 "$IPERF_PORT"; wait_port 127.0.0.1 "$ECHO_PORT"

# The stand-in frps: 4 stcp proxies (iperf, echo x3) and 4 tcp proxy ports to the same services.
FRPS_PORT=$(free_port); TOKEN="bench-$RANDOM$RANDOM"; SECRET="sk-$RANDOM$RANDOM"
T_PORTS=($(free_port) $(free_port) $(free_port) $(free_port))
NAMES=(bench-iperf bench-echo bench-echo-b bench-echo-c)
BACKENDS=("$IPERF_PORT" "$ECHO_PORT" "$ECHO_PORT" "$ECHO_PORT")
SPECS=()
for i in 0 1 2 3; do
  SPECS+=("stcp:${NAMES[$i]}=$SECRET@127.0.0.1:${BACKENDS[$i]}" "tcp:${T_PORTS[$i]}=127.0.0.1:${BACKENDS[$i]}")
done
"${NATIVE[@]}" frps "$FRPS_PORT" "$TOKEN" "${SPECS[@]}" >/dev/null & PIDS+=($!)
wait_port 127.0.0.1 "$FRPS_PORT"

# One FRPServer file per sidecar: the same 4 names as stcp (native) or as tcp (the peer).
frpserver() {  # kind
  printf 'apiVersion: tunnel.kubeinfra.io/v1alpha1\nkind: FRPServer\nmetadata: {name: bench-frps}\n'
  printf 'spec: {bindAddr: 127.0.0.1, bindPort: %s, auth: {method: token, token: "%s"}}\n' "$FRPS_PORT" "$TOKEN"
  printf 'status:\n  internetAddr: 127.0.0.1\n  activeConnections:\n'
  for i in 0 1 2 3; do
    if [[ $1 == stcp ]]; then
      printf '  - {proxyName: %s, proxyType: stcp, status: online, proxyConfig: {name: %s, type: stcp, secretKey: "%s"}}\n' "${NAMES[$i]}" "${NAMES[$i]}" "$SECRET"
    else
      printf '  - {proxyName: %s, proxyType: tcp, status: online, proxyConfig: {name: %s, type: tcp, remotePort: %s}}\n' "${NAMES[$i]}" "${NAMES[$i]}" "${T_PORTS[$i]}"
    fi
  done
}
MAPPED="bench-iperf:15201,bench-echo:17007,bench-echo-b:17008,bench-echo-c:17009"
start_sidecar() {  # kind ip-range dns-port -> pid
  frpserver "$1" >"$WORK/$1.yaml"
  "$SIDECAR_BIN" --source "file:$WORK/$1.yaml" --mapped-services "$MAPPED" --tunnel-engine native \
    --ip-range "$2" --dns-addr "127.0.0.1:$3" --admin-addr "" --state-dir "$WORK/state-$1" --frpc-path /nonexistent/frpc \
    --log-level warn >"$WORK/$1.log" 2>&1 & echo $!
}
resolve() {  # dns-port name
  for _ in $(seq 1 200); do a=$(dig +short +tries=1 +time=1 @127.0.0.1 -p "$1" "$2" A | head -1); [[ -n "$a" ]] && { echo "$a"; return; }; sleep 0.1; done
  echo "sidecar did not publish $2" >&2; exit 1
}
N_DNS=$(free_port); T_DNS=$(free_port)
N_PID=$(start_sidecar stcp 127.1.1.0/24 "$N_DNS"); PIDS+=("$N_PID")
T_PID=$(start_sidecar tcp 127.1.2.0/24 "$T_DNS"); PIDS+=("$T_PID")
N_IPERF=$(resolve "$N_DNS" bench-iperf); N_ECHO=$(resolve "$N_DNS" bench-echo)
T_IPERF=$(resolve "$T_DNS" bench-iperf); T_ECHO=$(resolve "$T_DNS" bench-echo)
wait_port "$N_ECHO" 17007; wait_port "$T_ECHO" 17007; wait_port "$N_IPERF" 15201; wait_port "$T_IPERF" 15201
[[ -z "$(pgrep -P "$N_PID" || true)" ]] || { echo "native sidecar has a child process" >&2; exit 1; }

# Memory first, while fresh: RSS with the 4 tunnels (after a 20-connection warm-up through the echo one),
# then with IDLE echo-checked idle connections held through it.
idle_delta() {  # host port pid
  local before after fifo="$WORK/idle.$RANDOM"
  mkfifo "$fifo"
  echo | "${HARNESS[@]}" idle "$1:$2" 20 >/dev/null
  sleep 1
  before=$(rss_kb "$3")
  "${HARNESS[@]}" idle "$1:$2" "$IDLE" <"$fifo" >"$fifo.out" & local client=$!
  exec 7>"$fifo"
  for _ in $(seq 1 600); do grep -q held "$fifo.out" 2>/dev/null && break; sleep 0.1; done
  grep -q held "$fifo.out" || { echo "idle client failed" >&2; exit 1; }
  sleep 1
  after=$(rss_kb "$3")
  exec 7>&-
  wait "$client" || true
  echo "$before $after"
}
read -r N_BEFORE N_AFTER < <(idle_delta "$N_ECHO" 17007 "$N_PID")
read -r T_BEFORE T_AFTER < <(idle_delta "$T_ECHO" 17007 "$T_PID")

gbps() { iperf3 -c "$1" -p 15201 -t "$SECONDS_PER_RUN" -f g | awk '/receiver/ {print $(NF-2)}'; }
latency() { "${NATIVE[@]}" latency "$1:17007" "$LATENCY_COUNT"; }

# Warm-up (JIT of the stand-in, page cache), not counted; then alternate the two paths.
gbps "$N_IPERF" >/dev/null; gbps "$T_IPERF" >/dev/null; latency "$N_ECHO" >/dev/null; latency "$T_ECHO" >/dev/null
for i in $(seq 1 "$RUNS"); do
  gbps "$N_IPERF" >>"$WORK/native.gbps"; gbps "$T_IPERF" >>"$WORK/tcp.gbps"
  latency "$N_ECHO" >>"$WORK/native.lat"; latency "$T_ECHO" >>"$WORK/tcp.lat"
  echo "run $i/$RUNS done" >&2
done
N_RSS_END=$(rss_kb "$N_PID"); T_RSS_END=$(rss_kb "$T_PID")

mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k/1024}'; }
printf '\nNative visitor benchmark, %s runs (iperf3 %ss, %s connects each), loopback, %s cores\n' "$RUNS" "$SECONDS_PER_RUN" "$LATENCY_COUNT" "$(nproc)"
printf 'native: %s --tunnel-engine native, 4 stcp visitors, one TLS session to the stand-in frps (bench/NativeBench)\n' "$SIDECAR_BIN"
printf 'peer:   the same binary, 4 tcp proxies (our forwarder) to the stand-in process'"'"'s tcp proxy ports; no frpc here\n\n'
printf '%-44s %12s %12s %10s\n' "metric (median)" "native" "tcp (peer)" "target"
printf '%-44s %12s %12s %10s\n' "RSS with 4 tunnels, MiB (whole Pod side)" "$(mib "$N_BEFORE")" "$(mib "$T_BEFORE")" "<= 20"
printf '%-44s %12s %12s %10s\n' "RSS growth with $IDLE idle connections, MiB" \
  "$(mib $((N_AFTER - N_BEFORE)))" "$(mib $((T_AFTER - T_BEFORE)))" "<= 1"
printf '%-44s %12s %12s %10s\n' "connect -> first echoed byte, us (p50)" \
  "$(awk '{print $1}' "$WORK/native.lat" | median)" "$(awk '{print $1}' "$WORK/tcp.lat" | median)" "<= peer"
printf '%-44s %12s %12s %10s\n' "connect -> first echoed byte, us (p90)" \
  "$(awk '{print $2}' "$WORK/native.lat" | median)" "$(awk '{print $2}' "$WORK/tcp.lat" | median)" ""
printf '%-44s %12s %12s %10s\n' "throughput, Gbit/s (iperf3)" "$(median <"$WORK/native.gbps")" "$(median <"$WORK/tcp.gbps")" ">= peer"
printf '%-44s %12s %12s %10s\n' "RSS after the runs, MiB" "$(mib "$N_RSS_END")" "$(mib "$T_RSS_END")" ""
printf '\nraw: native Gbit/s %s | tcp Gbit/s %s | native us %s | tcp us %s\n' \
  "$(paste -sd' ' "$WORK/native.gbps")" "$(paste -sd' ' "$WORK/tcp.gbps")" \
  "$(awk '{print $1}' "$WORK/native.lat" | paste -sd' ')" "$(awk '{print $1}' "$WORK/tcp.lat" | paste -sd' ')"
printf 'native + tcp paths both cross the stand-in process (C#, JIT), which bounds throughput for both.\n'
