#!/usr/bin/env bash
# Native visitors against frpc through a REAL frps (issue 12's proof), in one run. bench/native.sh runs this
# when FRPS_BIN and FRPC_BIN are set; it can be run directly too:
#   FRPS_BIN=/path/frps FRPC_BIN=/path/frpc bash bench/native-frp.sh      (frp 0.61.x; loopback only)
# Set-up, all on 127.0.0.1: iperf3 and an echo service; a real frps (frps.toml written here: bindAddr,
# bindPort, auth token); a real frpc on the proxy side (server-frpc.toml: 4 stcp proxies with a secretKey
# and allowUsers = ["*"], to iperf3 and the echo service x3); both files checked first with `verify -c`.
# Then two sidecars (SIDECAR_BIN) from one FRPServer file naming that frps and its 4 stcp proxies:
#   native: --tunnel-engine native: 4 stcp visitors in-process, no child (checked);
#   frpc:   --tunnel-engine frpc --frpc-path $FRPC_BIN: the sidecar writes the visitor TOML and runs frpc.
# Figures, native beside frpc, the "Pod side" being the sidecar and its children (the frpc engine's frpc):
# summed RSS with the 4 tunnels (after 20 warm-up connections), its growth with IDLE idle connections,
# connect -> first echoed byte (median of the runs' p50/p90), iperf3 throughput both ways, CPU per GB of
# the Pod side (and of frps + the proxy-side frpc, which both paths share), RSS after the runs and SETTLE s
# later; then one verdict line per target of the issue. THROUGHPUT=0 stops after the memory figures.
# Knobs as bench/native.sh: RUNS, SECONDS_PER_RUN, LATENCY_COUNT, IDLE, SETTLE, SIDECAR_BIN.
# Needs: dotnet, iperf3, dig, procps. No figure of this script is in the docs until someone with frp runs it.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIDECAR_BIN=${SIDECAR_BIN:-$ROOT/artifacts/publish/dynamic/sidecar}
FRPS_BIN=${FRPS_BIN:?FRPS_BIN must name a real frps}
FRPC_BIN=${FRPC_BIN:?FRPC_BIN must name a real frpc}
RUNS=${RUNS:-3}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-5}
LATENCY_COUNT=${LATENCY_COUNT:-200}
IDLE=${IDLE:-100}
SETTLE=${SETTLE:-30}
for bin in "$SIDECAR_BIN" "$FRPS_BIN" "$FRPC_BIN"; do
  [[ -x "$bin" ]] || { echo "not an executable: $bin (SIDECAR_BIN: bash .ci/publish.sh dynamic artifacts/publish/dynamic)" >&2; exit 2; }
done
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

WORK_PREFIX=sidecar-native-frp source "$ROOT/bench/lib.bash"
# On a failure, the last lines of every log here (frp's own and the sidecars').
fail() {
  echo "$1" >&2
  for f in "$WORK"/*.log; do [[ -s "$f" ]] && { echo "--- $(basename "$f")" >&2; tail -n 15 "$f" >&2; }; done
  exit 1
}

FRPS_VERSION=$("$FRPS_BIN" --version 2>&1 | head -1 || true); FRPC_VERSION=$("$FRPC_BIN" --version 2>&1 | head -1 || true)
[[ "$FRPS_VERSION" == 0.61.* && "$FRPC_VERSION" == 0.61.* ]] ||
  echo "warning: frps $FRPS_VERSION, frpc $FRPC_VERSION; this script writes frp 0.61.x configuration" >&2

# The harnesses and the services behind the 4 proxies.
start_bench_services "$ROOT"

# frp's side: frps, and the frpc that registers the proxies (frp v1 TOML, strict keys; the token and the
# secret are letters and digits, so they need no escaping).
FRPS_PORT=$(free_port); TOKEN="bench$RANDOM$RANDOM"; SECRET="sk$RANDOM$RANDOM"
NAMES=(bench-iperf bench-echo bench-echo-b bench-echo-c)
BACKENDS=("$IPERF_PORT" "$ECHO_PORT" "$ECHO_PORT" "$ECHO_PORT")
# What frps and frpc both set, after their own address lines: the token, and plain logs on the console.
common_toml() {
  printf 'auth.method = "token"\nauth.token = "%s"\nlog.to = "console"\nlog.level = "info"\nlog.disablePrintColor = true\n' "$TOKEN"
}
{
  printf 'bindAddr = "127.0.0.1"\nbindPort = %s\n' "$FRPS_PORT"
  common_toml
} >"$WORK/frps.toml"
{
  printf 'serverAddr = "127.0.0.1"\nserverPort = %s\n' "$FRPS_PORT"
  common_toml
  for i in 0 1 2 3; do
    printf '\n[[proxies]]\nname = "%s"\ntype = "stcp"\nsecretKey = "%s"\nallowUsers = ["*"]\nlocalIP = "127.0.0.1"\nlocalPort = %s\n' \
      "${NAMES[$i]}" "$SECRET" "${BACKENDS[$i]}"
  done
} >"$WORK/server-frpc.toml"
chmod 600 "$WORK/frps.toml" "$WORK/server-frpc.toml"
"$FRPS_BIN" verify -c "$WORK/frps.toml" >"$WORK/verify.log" 2>&1 || fail "frps verify refused frps.toml"
"$FRPC_BIN" verify -c "$WORK/server-frpc.toml" >>"$WORK/verify.log" 2>&1 || fail "frpc verify refused server-frpc.toml"

"$FRPS_BIN" -c "$WORK/frps.toml" >"$WORK/frps.log" 2>&1 & FRPS_PID=$!; PIDS+=("$FRPS_PID")
wait_port 127.0.0.1 "$FRPS_PORT"
"$FRPC_BIN" -c "$WORK/server-frpc.toml" >"$WORK/server-frpc.log" 2>&1 & SRV_PID=$!; PIDS+=("$SRV_PID")
# frpc logs "[NAME] start proxy success" once frps has registered a proxy.
for _ in $(seq 1 300); do
  (( $(grep -c 'start proxy success' "$WORK/server-frpc.log" || true) >= 4 )) && break
  kill -0 "$SRV_PID" 2>/dev/null || fail "the proxy-side frpc exited"
  sleep 0.1
done
(( $(grep -c 'start proxy success' "$WORK/server-frpc.log" || true) >= 4 )) || fail "frps did not register the 4 stcp proxies in 30 s"

# The FRPServer both sidecars read (the operator's resource shape): frps's address and token in spec, the
# 4 proxies online in status with the secret key the visitors sign with.
{
  printf 'apiVersion: tunnel.kubeinfra.io/v1alpha1\nkind: FRPServer\nmetadata: {name: bench-frps}\n'
  printf 'spec: {bindAddr: 127.0.0.1, bindPort: %s, auth: {method: token, token: "%s"}}\n' "$FRPS_PORT" "$TOKEN"
  printf 'status:\n  internetAddr: 127.0.0.1\n  activeConnections:\n'
  for i in 0 1 2 3; do
    printf '  - {proxyName: %s, proxyType: stcp, status: online, proxyConfig: {name: %s, type: stcp, secretKey: "%s"}}\n' \
      "${NAMES[$i]}" "${NAMES[$i]}" "$SECRET"
  done
} >"$WORK/frpserver.yaml"
chmod 600 "$WORK/frpserver.yaml"

MAPPED="bench-iperf:15201,bench-echo:17007,bench-echo-b:17008,bench-echo-c:17009"
start_sidecar() {  # engine ip-range dns-port; sets SIDECAR_PID (a child of this shell, so cleanup waits for it)
  local engine=(--tunnel-engine native --frpc-path /nonexistent/frpc)
  [[ $1 == frpc ]] && engine=(--tunnel-engine frpc --frpc-path "$FRPC_BIN")
  "$SIDECAR_BIN" --source "file:$WORK/frpserver.yaml" --mapped-services "$MAPPED" "${engine[@]}" \
    --ip-range "$2" --dns-addr "127.0.0.1:$3" --admin-addr "" --state-dir "$WORK/state-$1" \
    --log-level warn >"$WORK/sidecar-$1.log" 2>&1 & SIDECAR_PID=$!; PIDS+=("$SIDECAR_PID")
}
N_DNS=$(free_port); F_DNS=$(free_port)
start_sidecar native 127.1.1.0/24 "$N_DNS"; N_PID=$SIDECAR_PID
start_sidecar frpc 127.1.2.0/24 "$F_DNS"; F_PID=$SIDECAR_PID
N_IPERF=$(resolve "$N_DNS" bench-iperf) || fail "the native sidecar published no address"
N_ECHO=$(resolve "$N_DNS" bench-echo) || fail "the native sidecar published no address"
F_IPERF=$(resolve "$F_DNS" bench-iperf) || fail "the frpc-engine sidecar published no address"
F_ECHO=$(resolve "$F_DNS" bench-echo) || fail "the frpc-engine sidecar published no address"
wait_port "$N_ECHO" 17007; wait_port "$F_ECHO" 17007; wait_port "$N_IPERF" 15201; wait_port "$F_IPERF" 15201
[[ -z "$(pgrep -P "$N_PID" || true)" ]] || fail "the native sidecar has a child process"
F_CHILDREN=$(tree_pids "$F_PID" | tail -n +2 | paste -sd' ')
[[ -n "$F_CHILDREN" ]] || fail "the frpc-engine sidecar runs no frpc"
for p in $F_CHILDREN; do PIDS+=("$p"); done # should the sidecar die first, its frpc goes too

# Memory first, while fresh: the Pod side's RSS with the 4 tunnels (after 20 echo-checked connections
# through the echo one), then with IDLE echo-checked connections held open through it.
idle_delta() {  # host port pid -> "tree-before tree-after sidecar-alone-before"
  local before after own fifo="$WORK/idle.$RANDOM"
  mkfifo "$fifo"
  echo | "${HARNESS[@]}" idle "$1:$2" 20 >/dev/null || fail "20 echo-checked connections through $1:$2 failed"
  sleep 1
  before=$(tree_rss_kb "$3"); own=$(rss_kb "$3")
  "${HARNESS[@]}" idle "$1:$2" "$IDLE" <"$fifo" >"$fifo.out" & local client=$!
  exec 7>"$fifo"
  for _ in $(seq 1 600); do grep -q held "$fifo.out" 2>/dev/null && break; sleep 0.1; done
  grep -q held "$fifo.out" || fail "$IDLE idle connections through $1:$2 failed"
  sleep 1
  after=$(tree_rss_kb "$3")
  exec 7>&-
  wait "$client" || true
  echo "$before $after $own"
}
read -r N_BEFORE N_AFTER _ < <(idle_delta "$N_ECHO" 17007 "$N_PID")
read -r F_BEFORE F_AFTER F_OWN < <(idle_delta "$F_ECHO" 17007 "$F_PID")
[[ -n "$F_OWN" ]] || fail "no memory figures"

row() { printf '%-46s %12s %12s %10s\n' "$@"; }
ratio_ok() { awk -v a="$1" -v b="$2" -v op="$3" 'BEGIN {exit !(a != "n/a" && b != "n/a" && (op == "le" ? a <= b : a >= b))}'; }
verdict() {  # text ok?
  if "${@:2}"; then printf 'verdict: %-70s met\n' "$1"; else printf 'verdict: %-70s NOT met\n' "$1"; fi
}
GROWTH_PER_100=$(awk -v d=$((N_AFTER - N_BEFORE)) -v n="$IDLE" 'BEGIN {printf "%.2f", d / 1024 * 100 / n}')
header() {
  printf '\nNative visitors vs frpc through a real frps (frps %s, frpc %s), loopback, %s cores\n' "$FRPS_VERSION" "$FRPC_VERSION" "$(nproc)"
  printf 'native: %s --tunnel-engine native, 4 stcp visitors in-process, no child\n' "$SIDECAR_BIN"
  printf 'frpc:   the same binary --tunnel-engine frpc, its frpc child (%s) running the 4 visitors\n' "$FRPC_BIN"
  printf 'both through one frps and one proxy-side frpc (4 stcp proxies) to iperf3 and an echo service\n\n'
}
memory_rows() {
  row "RSS with 4 tunnels, MiB (whole Pod side)" "$(mib "$N_BEFORE")" "$(mib "$F_BEFORE")" "<= 20"
  row "  of it the sidecar / its frpc child(ren)" "$(mib "$N_BEFORE") / -" "$(mib "$F_OWN") / $(mib $((F_BEFORE - F_OWN)))" ""
  row "RSS growth with $IDLE idle connections, MiB" "$(mib $((N_AFTER - N_BEFORE)))" "$(mib $((F_AFTER - F_BEFORE)))" "<= 1 /100"
  row "RSS, 4 tunnels + $IDLE open connections, MiB" "$(mib "$N_AFTER")" "$(mib "$F_AFTER")" ""
}
memory_verdicts() {
  verdict "whole Pod side <= 20 MiB with 4 native visitors ($(mib "$N_BEFORE") MiB)" ratio_ok "$(mib "$N_BEFORE")" 20 le
  verdict "<= 1 MiB more per 100 idle connections (native: $GROWTH_PER_100 MiB)" ratio_ok "$GROWTH_PER_100" 1 le
}
if [[ "${THROUGHPUT:-1}" == 0 ]]; then
  header; printf 'memory only (THROUGHPUT=0)\n'
  row "metric" "native" "frpc" "target"
  memory_rows; printf '\n'; memory_verdicts
  exit 0
fi

gbps() { iperf3 -c "$1" -p 15201 -t "$SECONDS_PER_RUN" -f g ${2:+"$2"} | awk '/receiver/ {print $(NF-2)}'; }
# One iperf3 run through a sidecar: "Gbit/s  Pod-side-CPU-ms-per-GB  frp-side-CPU-ms-per-GB", CPU time
# (utime+stime) over the run per GB relayed: the sidecar with its children, and frps + the proxy-side frpc.
gbps_cpu() {  # host pid [iperf3 flag]
  local t0 t1 f0 f1 g
  t0=$(tree_cpu_ticks "$2"); f0=$(( $(cpu_ticks "$FRPS_PID") + $(cpu_ticks "$SRV_PID") ))
  g=$(gbps "$1" "${3:-}")
  t1=$(tree_cpu_ticks "$2"); f1=$(( $(cpu_ticks "$FRPS_PID") + $(cpu_ticks "$SRV_PID") ))
  awk -v g="$g" -v d=$((t1 - t0)) -v f=$((f1 - f0)) -v hz="$(getconf CLK_TCK)" -v s="$SECONDS_PER_RUN" \
    'BEGIN {gb = g * s / 8; printf "%s %.0f %.0f\n", g, (g > 0 ? (d / hz * 1000) / gb : 0), (g > 0 ? (f / hz * 1000) / gb : 0)}'
}
latency() { "${NATIVE[@]}" latency "$1:17007" "$LATENCY_COUNT"; }

# Warm-up (page cache, frp's pools), not counted; then alternate the two engines.
gbps "$N_IPERF" >/dev/null; gbps "$F_IPERF" >/dev/null; latency "$N_ECHO" >/dev/null; latency "$F_ECHO" >/dev/null
for i in $(seq 1 "$RUNS"); do
  gbps_cpu "$N_IPERF" "$N_PID" >>"$WORK/native.gbps"; gbps_cpu "$F_IPERF" "$F_PID" >>"$WORK/frpc.gbps"
  gbps_cpu "$N_IPERF" "$N_PID" -R >>"$WORK/native.rgbps"; gbps_cpu "$F_IPERF" "$F_PID" -R >>"$WORK/frpc.rgbps"
  latency "$N_ECHO" >>"$WORK/native.lat"; latency "$F_ECHO" >>"$WORK/frpc.lat"
  echo "run $i/$RUNS done" >&2
done
N_RSS_END=$(tree_rss_kb "$N_PID"); F_RSS_END=$(tree_rss_kb "$F_PID")
sleep "$SETTLE" # what a burst of traffic leaves behind once the Pod is idle again
N_RSS_IDLE=$(tree_rss_kb "$N_PID"); F_RSS_IDLE=$(tree_rss_kb "$F_PID")

col() { awk -v c="$2" '{print $c}' "$WORK/$1" | median; }
header
printf '%s runs (iperf3 %ss each way, %s connects each)\n' "$RUNS" "$SECONDS_PER_RUN" "$LATENCY_COUNT"
row "metric (median)" "native" "frpc" "target"
memory_rows
row "connect -> first echoed byte, us (p50)" "$(col native.lat 1)" "$(col frpc.lat 1)" "<= frpc"
row "connect -> first echoed byte, us (p90)" "$(col native.lat 2)" "$(col frpc.lat 2)" ""
row "throughput app -> service, Gbit/s (iperf3)" "$(col native.gbps 1)" "$(col frpc.gbps 1)" ">= frpc"
row "throughput service -> app, Gbit/s (iperf3 -R)" "$(col native.rgbps 1)" "$(col frpc.rgbps 1)" ">= frpc"
row "Pod side CPU per GB, ms (app -> service)" "$(col native.gbps 2)" "$(col frpc.gbps 2)" ""
row "Pod side CPU per GB, ms (service -> app)" "$(col native.rgbps 2)" "$(col frpc.rgbps 2)" ""
row "frps + proxy frpc CPU per GB, ms (app -> svc)" "$(col native.gbps 3)" "$(col frpc.gbps 3)" ""
row "frps + proxy frpc CPU per GB, ms (svc -> app)" "$(col native.rgbps 3)" "$(col frpc.rgbps 3)" ""
row "RSS after the runs, MiB (whole Pod side)" "$(mib "$N_RSS_END")" "$(mib "$F_RSS_END")" ""
row "RSS $SETTLE s after the runs, MiB" "$(mib "$N_RSS_IDLE")" "$(mib "$F_RSS_IDLE")" ""
printf '\nraw: native Gbit/s %s | frpc Gbit/s %s | -R native %s | -R frpc %s | native us %s | frpc us %s\n\n' \
  "$(awk '{print $1}' "$WORK/native.gbps" | paste -sd' ')" "$(awk '{print $1}' "$WORK/frpc.gbps" | paste -sd' ')" \
  "$(awk '{print $1}' "$WORK/native.rgbps" | paste -sd' ')" "$(awk '{print $1}' "$WORK/frpc.rgbps" | paste -sd' ')" \
  "$(awk '{print $1}' "$WORK/native.lat" | paste -sd' ')" "$(awk '{print $1}' "$WORK/frpc.lat" | paste -sd' ')"
memory_verdicts
verdict "setup latency <= frpc's (p50 $(col native.lat 1) vs $(col frpc.lat 1) us)" ratio_ok "$(col native.lat 1)" "$(col frpc.lat 1)" le
throughput_ok() {
  ratio_ok "$(col native.gbps 1)" "$(col frpc.gbps 1)" ge && ratio_ok "$(col native.rgbps 1)" "$(col frpc.rgbps 1)" ge
}
verdict "throughput >= frpc's, both ways ($(col native.gbps 1)/$(col native.rgbps 1) vs $(col frpc.gbps 1)/$(col frpc.rgbps 1) Gbit/s)" throughput_ok
