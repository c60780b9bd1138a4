#!/usr/bin/env bash
# Native visitor benchmark (issue 12): the published sidecar with --tunnel-engine native, 4 stcp visitors,
# against the tests' STAND-IN frps (bench/NativeBench hosts it; its stcp proxies relay to local services),
# compared in the same run with our own tcp forwarder on the same path (4 tcp proxies whose remotePort the
# same stand-in process relays to the same services) as the peer, since no frpc binary exists here.
# Figures: RSS of the sidecar (the whole Pod side: no frpc child with native) with 4 tunnels, its growth
# with 100 idle connections, connect -> first echoed byte (median), throughput both ways (iperf3, -R) and
# the CPU time each process spends per GB relayed; RSS again after those runs and SETTLE (30) s later, when
# what a burst of traffic leaves behind shows.
# Targets (issue 12): whole Pod side <= 20 MiB with 4 native visitors; <= 1 MiB more per 100 idle
# connections; setup latency and throughput as the peer's or better (the issue's peer is frpc).
# With K8S=1 (the default) also the RSS of both with the Kubernetes source (stand-in API server, bench/Fleet).
# Loopback only. Needs: dotnet, iperf3, dig, procps; SIDECAR_BIN (default artifacts/publish/dynamic/sidecar).
# PERF_DATA=FILE also records a perf profile of the native sidecar over one uncounted iperf3 run
# (PERF_IPERF_FLAG=-R for the service -> app direction); read it with perf report -i FILE.
# BASE_BIN=PATH adds a third sidecar, another build with --tunnel-engine native on the same stand-in, measured
# in the same runs (RSS, throughput and CPU per GB): a before/after of a change on a shared, noisy machine.
# THROUGHPUT=0 stops after the memory figures (no iperf3 or latency runs): the cheap run for RSS work.
# Each run prints where the native sidecar's RSS goes (smaps by mapping kind, threads) beside the peer's.
# FRPS_BIN=PATH FRPC_BIN=PATH (real frps and frpc 0.61.x): the issue's own comparison instead, native against
# the frpc engine through a real frps, run by bench/native-frp.sh (see there).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
if [[ -n "${FRPS_BIN:-}${FRPC_BIN:-}" ]]; then
  [[ -n "${FRPS_BIN:-}" && -n "${FRPC_BIN:-}" ]] || { echo "the frpc comparison needs both FRPS_BIN and FRPC_BIN" >&2; exit 2; }
  exec bash "$ROOT/bench/native-frp.sh"
fi
FRPC_HINT='stand-in mode; for the issue'"'"'s comparison against frpc through a real frps: FRPS_BIN=/path/frps FRPC_BIN=/path/frpc bash bench/native.sh (frp 0.61.x)'
SIDECAR_BIN=${SIDECAR_BIN:-$ROOT/artifacts/publish/dynamic/sidecar}
RUNS=${RUNS:-3}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-5}
LATENCY_COUNT=${LATENCY_COUNT:-200}
IDLE=${IDLE:-100}
SETTLE=${SETTLE:-30}
[[ -x "$SIDECAR_BIN" ]] || { echo "no sidecar at $SIDECAR_BIN: bash .ci/publish.sh dynamic artifacts/publish/dynamic" >&2; exit 1; }
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

source "$ROOT/bench/lib.bash"

# The harnesses and the services behind both paths.
start_bench_services "$ROOT"

# The stand-in frps: 4 stcp proxies (iperf, echo x3) and 4 tcp proxy ports to the same services.
FRPS_PORT=$(free_port); TOKEN="bench-$RANDOM$RANDOM"; SECRET="sk-$RANDOM$RANDOM"
T_PORTS=($(free_port) $(free_port) $(free_port) $(free_port))
NAMES=(bench-iperf bench-echo bench-echo-b bench-echo-c)
BACKENDS=("$IPERF_PORT" "$ECHO_PORT" "$ECHO_PORT" "$ECHO_PORT")
SPECS=()
for i in 0 1 2 3; do
  SPECS+=("stcp:${NAMES[$i]}=$SECRET@127.0.0.1:${BACKENDS[$i]}" "tcp:${T_PORTS[$i]}=127.0.0.1:${BACKENDS[$i]}")
done
"${NATIVE[@]}" frps "$FRPS_PORT" "$TOKEN" "${SPECS[@]}" >/dev/null & FRPS_PID=$!; PIDS+=("$FRPS_PID")
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
start_sidecar() {  # kind ip-range dns-port [binary] -> pid
  frpserver "$1" >"$WORK/$1.yaml"
  "${4:-$SIDECAR_BIN}" --source "file:$WORK/$1.yaml" --mapped-services "$MAPPED" --tunnel-engine native \
    --ip-range "$2" --dns-addr "127.0.0.1:$3" --admin-addr "" --state-dir "$WORK/state-$1" --frpc-path /nonexistent/frpc \
    --log-level warn >"$WORK/$1$3.log" 2>&1 & echo $!
}
N_DNS=$(free_port); T_DNS=$(free_port)
N_PID=$(start_sidecar stcp 127.1.1.0/24 "$N_DNS"); PIDS+=("$N_PID")
T_PID=$(start_sidecar tcp 127.1.2.0/24 "$T_DNS"); PIDS+=("$T_PID")
N_IPERF=$(resolve "$N_DNS" bench-iperf); N_ECHO=$(resolve "$N_DNS" bench-echo)
T_IPERF=$(resolve "$T_DNS" bench-iperf); T_ECHO=$(resolve "$T_DNS" bench-echo)
wait_port "$N_ECHO" 17007; wait_port "$T_ECHO" 17007; wait_port "$N_IPERF" 15201; wait_port "$T_IPERF" 15201
[[ -z "$(pgrep -P "$N_PID" || true)" ]] || { echo "native sidecar has a child process" >&2; exit 1; }
if [[ -n "${BASE_BIN:-}" ]]; then
  B_DNS=$(free_port); B_PID=$(start_sidecar stcp 127.1.3.0/24 "$B_DNS" "$BASE_BIN"); PIDS+=("$B_PID")
  B_IPERF=$(resolve "$B_DNS" bench-iperf); B_ECHO=$(resolve "$B_DNS" bench-echo); wait_port "$B_IPERF" 15201; wait_port "$B_ECHO" 17007
fi

# Memory first, while fresh: RSS with the 4 tunnels (after a 20-connection warm-up through the echo one),
# then with IDLE echo-checked idle connections held through it.
idle_delta() {  # host port pid
  local before after fifo="$WORK/idle.$RANDOM"
  mkfifo "$fifo"
  echo | "${HARNESS[@]}" idle "$1:$2" 20 >/dev/null
  sleep 1
  before=$(rss_kb "$3")
  { smaps_breakdown "$3" "$(readlink -f "/proc/$3/exe")"; printf '      %-36s %6s\n' threads "$(status_kb "$3" Threads)"; } >"$WORK/where.$3"
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
[[ -z "${BASE_BIN:-}" ]] || read -r B_BEFORE B_AFTER < <(idle_delta "$B_ECHO" 17007 "$B_PID")

# Kubernetes mode (K8S=0 skips it): the same two sidecars' RSS with --source kubernetes over TLS against the
# tests' STAND-IN API server (bench/Fleet serve), which serves both FRPServers as JSON and rewrites them once
# a second as the operator does; each sidecar watches only its own (--frpservers). A sidecar with this source
# maps OpenSSL for the API server anyway, so the native engine's TLS costs less extra here than in file mode.
K_N_RSS=-; K_T_RSS=-
if [[ "${K8S:-1}" != 0 ]]; then
  dotnet build "$ROOT/bench/Fleet" -c Release -v q -nologo -o "$ROOT/artifacts/bench/fleet" >/dev/null
  frpserver_json() {  # kind
    local items=() i
    for i in 0 1 2 3; do
      if [[ $1 == stcp ]]; then
        items+=("{\"proxyName\":\"${NAMES[$i]}\",\"proxyType\":\"stcp\",\"status\":\"online\",\"proxyConfig\":{\"name\":\"${NAMES[$i]}\",\"type\":\"stcp\",\"secretKey\":\"$SECRET\"}}")
      else
        items+=("{\"proxyName\":\"${NAMES[$i]}\",\"proxyType\":\"tcp\",\"status\":\"online\",\"proxyConfig\":{\"name\":\"${NAMES[$i]}\",\"type\":\"tcp\",\"remotePort\":${T_PORTS[$i]}}}")
      fi
    done
    printf '{"apiVersion":"tunnel.kubeinfra.io/v1alpha1","kind":"FRPServer","metadata":{"name":"bench-frps-%s"},' "$1"
    printf '"spec":{"bindAddr":"127.0.0.1","bindPort":%s,"auth":{"method":"token","token":"%s"}},' "$FRPS_PORT" "$TOKEN"
    printf '"status":{"internetAddr":"127.0.0.1","activeConnections":[%s]}}\n' "$(IFS=,; echo "${items[*]}")"
  }
  frpserver_json stcp >"$WORK/k-stcp.json"; frpserver_json tcp >"$WORK/k-tcp.json"
  dotnet "$ROOT/artifacts/bench/fleet/Fleet.dll" serve "$WORK" 100000 0 0 "$WORK/k-stcp.json" "$WORK/k-tcp.json" >"$WORK/serve.out" & FLEET_PID=$!; PIDS+=("$FLEET_PID")
  for _ in $(seq 300); do grep -q '^kubeconfig ' "$WORK/serve.out" 2>/dev/null && break; sleep 0.1; done
  KUBECONFIG_FILE=$(sed -n 's/^kubeconfig //p' "$WORK/serve.out")
  [[ -n "$KUBECONFIG_FILE" ]] || { echo "the stand-in API server did not start" >&2; exit 1; }
  start_k8s() {  # kind ip-range dns-port -> pid
    "$SIDECAR_BIN" --source kubernetes --kubeconfig "$KUBECONFIG_FILE" --frpservers "bench-frps-$1" --mapped-services "$MAPPED" \
      --ip-range "$2" --dns-addr "127.0.0.1:$3" --admin-addr "" --state-dir "$WORK/state-k-$1" --frpc-path /nonexistent/frpc \
      --log-level warn >"$WORK/k-$1.log" 2>&1 & echo $!
  }
  KN_DNS=$(free_port); KT_DNS=$(free_port)
  KN_PID=$(start_k8s stcp 127.1.4.0/24 "$KN_DNS"); PIDS+=("$KN_PID")
  KT_PID=$(start_k8s tcp 127.1.5.0/24 "$KT_DNS"); PIDS+=("$KT_PID")
  KN_ECHO=$(resolve "$KN_DNS" bench-echo); KT_ECHO=$(resolve "$KT_DNS" bench-echo)
  wait_port "$KN_ECHO" 17007; wait_port "$KT_ECHO" 17007
  echo | "${HARNESS[@]}" idle "$KN_ECHO:17007" 20 >/dev/null; echo | "${HARNESS[@]}" idle "$KT_ECHO:17007" 20 >/dev/null
  sleep 5 # a few status rewrites
  K_N_RSS=$(rss_kb "$KN_PID"); K_T_RSS=$(rss_kb "$KT_PID")
  kill "$KN_PID" "$KT_PID" "$FLEET_PID" 2>/dev/null || true # not in the way of the throughput runs
fi

where() {  # where the RSS with 4 tunnels goes, native beside the peer
  printf '\nwhere the RSS with 4 tunnels goes (smaps Rss)         native      tcp (peer)\n'
  awk '{split($0, f, /  +/); k = f[2]; if (!(k in seen)) order[++n] = k; seen[k] = 1; if (FNR == NR) a[k] = f[3]; else b[k] = f[3]}
    END {for (i = 1; i <= n; i++) {k = order[i]; printf "      %-36s %12s %15s\n", k, (k in a ? a[k] : "-"), (k in b ? b[k] : "-")}}' \
    "$WORK/where.$N_PID" "$WORK/where.$T_PID"
}
if [[ "${THROUGHPUT:-1}" == 0 ]]; then
  printf '\nNative visitor benchmark, memory only (THROUGHPUT=0)\n'
  printf '%-44s %12s %12s %10s\n' "metric" "native" "tcp (peer)" "target"
  printf '%-44s %12s %12s %10s\n' "RSS with 4 tunnels, MiB (whole Pod side)" "$(mib "$N_BEFORE")" "$(mib "$T_BEFORE")" "<= 20"
  [[ "$K_N_RSS" == - ]] || printf '%-44s %12s %12s %10s\n' "RSS with 4 tunnels, Kubernetes source, MiB" "$(mib "$K_N_RSS")" "$(mib "$K_T_RSS")" ""
  printf '%-44s %12s %12s %10s\n' "RSS growth with $IDLE idle connections, MiB" \
    "$(mib $((N_AFTER - N_BEFORE)))" "$(mib $((T_AFTER - T_BEFORE)))" "<= 1"
  [[ -z "${BASE_BIN:-}" ]] || printf '%-44s %12s %12s\n' "base ($BASE_BIN): RSS with 4 tunnels, growth" "$(mib "$B_BEFORE")" "$(mib $((B_AFTER - B_BEFORE)))"
  where
  printf '%s\n' "$FRPC_HINT"
  exit 0
fi

gbps() { iperf3 -c "$1" -p 15201 -t "$SECONDS_PER_RUN" -f g ${2:-} | awk '/receiver/ {print $(NF-2)}'; }
# One iperf3 run through a sidecar: "Gbit/s  sidecar-CPU-ms-per-GB  stand-in-CPU-ms-per-GB" (each process's
# CPU time, utime+stime, over the run, per GB relayed): the sidecar's is the part of the cost that is ours,
# whatever the stand-in on the path costs; the stand-in's shows what bounds the throughput on 2 cores.
gbps_cpu() {  # host pid [iperf3 flag]
  local t0 t1 f0 f1 g
  t0=$(cpu_ticks "$2"); f0=$(cpu_ticks "$FRPS_PID"); g=$(gbps "$1" "${3:-}"); t1=$(cpu_ticks "$2"); f1=$(cpu_ticks "$FRPS_PID")
  awk -v g="$g" -v d=$((t1 - t0)) -v f=$((f1 - f0)) -v hz="$(getconf CLK_TCK)" -v s="$SECONDS_PER_RUN" \
    'BEGIN {gb = g * s / 8; printf "%s %.0f %.0f\n", g, (g > 0 ? (d / hz * 1000) / gb : 0), (g > 0 ? (f / hz * 1000) / gb : 0)}'
}
latency() { "${NATIVE[@]}" latency "$1:17007" "$LATENCY_COUNT"; }

# Warm-up (JIT of the stand-in, page cache), not counted; then alternate the two paths.
gbps "$N_IPERF" >/dev/null; gbps "$T_IPERF" >/dev/null; latency "$N_ECHO" >/dev/null; latency "$T_ECHO" >/dev/null
[[ -z "${BASE_BIN:-}" ]] || gbps "$B_IPERF" >/dev/null
# PERF_DATA=FILE: a perf profile (call graphs) of the native sidecar over one more, uncounted iperf3 run.
if [[ -n "${PERF_DATA:-}" ]]; then
  perf record -g -o "$PERF_DATA" -p "$N_PID" -- sleep "$SECONDS_PER_RUN" >/dev/null 2>&1 & perf_pid=$!
  gbps "$N_IPERF" "${PERF_IPERF_FLAG:-}" >/dev/null; wait "$perf_pid" || true
fi
for i in $(seq 1 "$RUNS"); do
  gbps_cpu "$N_IPERF" "$N_PID" >>"$WORK/native.gbps"; gbps_cpu "$T_IPERF" "$T_PID" >>"$WORK/tcp.gbps"
  gbps_cpu "$N_IPERF" "$N_PID" -R >>"$WORK/native.rgbps"; gbps_cpu "$T_IPERF" "$T_PID" -R >>"$WORK/tcp.rgbps"
  if [[ -n "${BASE_BIN:-}" ]]; then
    gbps_cpu "$B_IPERF" "$B_PID" >>"$WORK/base.gbps"; gbps_cpu "$B_IPERF" "$B_PID" -R >>"$WORK/base.rgbps"
  fi
  latency "$N_ECHO" >>"$WORK/native.lat"; latency "$T_ECHO" >>"$WORK/tcp.lat"
  echo "run $i/$RUNS done" >&2
done
N_RSS_END=$(rss_kb "$N_PID"); T_RSS_END=$(rss_kb "$T_PID"); [[ -z "${BASE_BIN:-}" ]] || B_RSS_END=$(rss_kb "$B_PID")
# And once the Pod has been idle a while (SETTLE seconds): what a burst of traffic leaves behind.
sleep "$SETTLE"
N_RSS_IDLE=$(rss_kb "$N_PID"); T_RSS_IDLE=$(rss_kb "$T_PID"); [[ -z "${BASE_BIN:-}" ]] || B_RSS_IDLE=$(rss_kb "$B_PID")

printf '\nNative visitor benchmark, %s runs (iperf3 %ss, %s connects each), loopback, %s cores\n' "$RUNS" "$SECONDS_PER_RUN" "$LATENCY_COUNT" "$(nproc)"
printf 'native: %s --tunnel-engine native, 4 stcp visitors, one TLS session to the stand-in frps (bench/NativeBench)\n' "$SIDECAR_BIN"
printf 'peer:   the same binary, 4 tcp proxies (our forwarder) to the stand-in process'"'"'s tcp proxy ports; no frpc here\n\n'
printf '%-44s %12s %12s %10s\n' "metric (median)" "native" "tcp (peer)" "target"
printf '%-44s %12s %12s %10s\n' "RSS with 4 tunnels, MiB (whole Pod side)" "$(mib "$N_BEFORE")" "$(mib "$T_BEFORE")" "<= 20"
[[ "$K_N_RSS" == - ]] || printf '%-44s %12s %12s %10s\n' "RSS with 4 tunnels, Kubernetes source, MiB" "$(mib "$K_N_RSS")" "$(mib "$K_T_RSS")" ""
printf '%-44s %12s %12s %10s\n' "RSS growth with $IDLE idle connections, MiB" \
  "$(mib $((N_AFTER - N_BEFORE)))" "$(mib $((T_AFTER - T_BEFORE)))" "<= 1"
printf '%-44s %12s %12s %10s\n' "connect -> first echoed byte, us (p50)" \
  "$(awk '{print $1}' "$WORK/native.lat" | median)" "$(awk '{print $1}' "$WORK/tcp.lat" | median)" "<= peer"
printf '%-44s %12s %12s %10s\n' "connect -> first echoed byte, us (p90)" \
  "$(awk '{print $2}' "$WORK/native.lat" | median)" "$(awk '{print $2}' "$WORK/tcp.lat" | median)" ""
col() { awk -v c="$2" '{print $c}' "$WORK/$1" | median; }
printf '%-44s %12s %12s %10s\n' "throughput app -> service, Gbit/s (iperf3)" "$(col native.gbps 1)" "$(col tcp.gbps 1)" ">= peer"
printf '%-44s %12s %12s %10s\n' "throughput service -> app, Gbit/s (iperf3 -R)" "$(col native.rgbps 1)" "$(col tcp.rgbps 1)" ">= peer"
printf '%-44s %12s %12s %10s\n' "sidecar CPU per GB, ms (app -> service)" "$(col native.gbps 2)" "$(col tcp.gbps 2)" ""
printf '%-44s %12s %12s %10s\n' "sidecar CPU per GB, ms (service -> app)" "$(col native.rgbps 2)" "$(col tcp.rgbps 2)" ""
printf '%-44s %12s %12s %10s\n' "stand-in CPU per GB, ms (app -> service)" "$(col native.gbps 3)" "$(col tcp.gbps 3)" ""
printf '%-44s %12s %12s %10s\n' "stand-in CPU per GB, ms (service -> app)" "$(col native.rgbps 3)" "$(col tcp.rgbps 3)" ""
if [[ -n "${BASE_BIN:-}" ]]; then
  printf '\nbase: %s (native), same runs\n' "$BASE_BIN"
  printf '%-44s %12s %12s\n' "metric (median)" "native" "base"
  printf '%-44s %12s %12s\n' "RSS with 4 tunnels, MiB" "$(mib "$N_BEFORE")" "$(mib "$B_BEFORE")"
  printf '%-44s %12s %12s\n' "RSS growth with $IDLE idle connections, MiB" "$(mib $((N_AFTER - N_BEFORE)))" "$(mib $((B_AFTER - B_BEFORE)))"
  printf '%-44s %12s %12s\n' "RSS after the runs, MiB" "$(mib "$N_RSS_END")" "$(mib "$B_RSS_END")"
  printf '%-44s %12s %12s\n' "RSS $SETTLE s after the runs, MiB" "$(mib "$N_RSS_IDLE")" "$(mib "$B_RSS_IDLE")"
  printf '%-44s %12s %12s\n' "throughput app -> service, Gbit/s" "$(col native.gbps 1)" "$(col base.gbps 1)"
  printf '%-44s %12s %12s\n' "throughput service -> app, Gbit/s" "$(col native.rgbps 1)" "$(col base.rgbps 1)"
  printf '%-44s %12s %12s\n' "sidecar CPU per GB, ms (app -> service)" "$(col native.gbps 2)" "$(col base.gbps 2)"
  printf '%-44s %12s %12s\n' "sidecar CPU per GB, ms (service -> app)" "$(col native.rgbps 2)" "$(col base.rgbps 2)"
  printf '\n'
fi
printf '%-44s %12s %12s %10s\n' "RSS after the runs, MiB" "$(mib "$N_RSS_END")" "$(mib "$T_RSS_END")" ""
printf '%-44s %12s %12s %10s\n' "RSS $SETTLE s after the runs, MiB" "$(mib "$N_RSS_IDLE")" "$(mib "$T_RSS_IDLE")" ""
printf '\nraw: native Gbit/s %s | tcp Gbit/s %s | -R native %s | -R tcp %s | native us %s | tcp us %s\n' \
  "$(awk '{print $1}' "$WORK/native.gbps" | paste -sd' ')" "$(awk '{print $1}' "$WORK/tcp.gbps" | paste -sd' ')" \
  "$(awk '{print $1}' "$WORK/native.rgbps" | paste -sd' ')" "$(awk '{print $1}' "$WORK/tcp.rgbps" | paste -sd' ')" \
  "$(awk '{print $1}' "$WORK/native.lat" | paste -sd' ')" "$(awk '{print $1}' "$WORK/tcp.lat" | paste -sd' ')"
where
printf 'native + tcp paths both cross the stand-in process (C#, JIT), which bounds throughput for both.\n'
printf '%s\n' "$FRPC_HINT"
