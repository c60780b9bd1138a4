#!/usr/bin/env bash
# Regenerates src/Sidecar/hot-methods.order: the methods a sidecar runs in the scenarios every Pod goes through,
# which the AOT compiler then places first and together (Sidecar.csproj: --order, --method-layout:explicit).
# Why: the kernel maps a file's pages 64 KiB at a time around each page touched (fault-around), so code that runs
# spread thinly over the whole binary kept nearly every page of it resident; clustered, the untouched rest stays
# out of RSS (docs/scale.md has the figures). The list only moves code: a method missing from it (new, renamed)
# is placed after the listed ones as before, a name no longer in the binary is ignored. Rerun it after large changes.
# How: the published binary runs under valgrind's lackey, which names every block of code executed (not following
# calls into the caller's block, so a small method's entry shows as a block of its own), through:
#   1. the file source: start, DNS over UDP (mapped A, AAAA, a miss) and TCP, a connection to the tcp forwarder,
#      the admin endpoints (the Pod's probes, metrics, mappings), a rewrite of the file, SIGTERM;
#   2. the Kubernetes source over TLS against the stand-in API server with the operator's 1 s churn, a DNS query,
#      the probes, SIGTERM;
#   3. native stcp visitors (--tunnel-engine native) against the tests' stand-in frps: login, heartbeats, echoed
#      connections, SIGTERM.
# The block addresses are mapped to the methods holding them with sidecar.dbg (valgrind itself cannot read that
# compressed debug file, so it runs a copy of the binary without it beside).
# usage: bench/hot-methods.sh [BINARY=artifacts/publish/dynamic/sidecar]   (needs valgrind, dig, curl: installed if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(readlink -f "${1:-artifacts/publish/dynamic/sidecar}")
[ -x "$bin" ] || bash .ci/publish.sh dynamic artifacts/publish/dynamic >/dev/null
[ -f "$bin.dbg" ] || { echo "no $bin.dbg beside the binary: publish with .ci/publish.sh" >&2; exit 1; }
command -v valgrind >/dev/null || apt-get install -y -q valgrind >/dev/null
command -v dig >/dev/null || bash .ci/install-packages.sh >/dev/null
command -v curl >/dev/null || apt-get install -y -q curl >/dev/null
out=src/Sidecar/hot-methods.order

WORK_PREFIX=sidecar-hot source bench/lib.bash
# Without the debug file beside it valgrind does not try to read it.
cp "$bin" "$WORK/sidecar"
dotnet build bench/Fleet -c Release -v quiet -nologo -o "$WORK/fleet" >/dev/null
dotnet build bench/NativeBench -c Release -v quiet -nologo -o "$WORK/native" >/dev/null
dotnet build bench/ForwardBench -c Release -v quiet -nologo -o "$WORK/forward" >/dev/null

under_valgrind() {  # name, then the sidecar's arguments; leaves the pid in $pid
  local name=$1; shift
  valgrind --tool=lackey --trace-superblocks=yes --vex-guest-chase=no --log-file="$WORK/$name.blocks" "$WORK/sidecar" "$@" >"$WORK/$name.log" 2>&1 &
  pid=$!
  PIDS+=("$pid")
}
published() {  # port name: its address, once the name resolves (generous: under valgrind it runs ~50x slower)
  resolve "$1" "$2" 120 || { tail -5 "$WORK"/*.log >&2; exit 1; }
}
stop() { kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; }
probe_admin() {  # port: what kubelet and a scraper ask
  for path in /healthz /readyz /metrics /debug/mappings; do curl -s -o /dev/null "http://127.0.0.1:$1$path" || true; done
}

# 1. File source.
cp examples/local/frpserver.yaml "$WORK/frpserver.yaml"
port=$(( 30000 + RANDOM % 20000 )); admin=$(( port + 1 ))
under_valgrind file --ip-range 127.1.250.0/24 --dns-addr "127.0.0.1:$port" --admin-addr "127.0.0.1:$admin" \
  --source "file:$WORK/frpserver.yaml" --mapped-services mysql.abc --dns-wait-for-tunnel=false --state-dir "$WORK/state-file"
address=$(published "$port" mysql.abc)
dig +short @127.0.0.1 -p "$port" mysql.abc AAAA >/dev/null
dig +short @127.0.0.1 -p "$port" nothing.example >/dev/null
dig +short +tcp @127.0.0.1 -p "$port" mysql.abc >/dev/null
(exec 3<>"/dev/tcp/$address/2000" && echo ping >&3) 2>/dev/null || true
probe_admin "$admin"
sed -i 's/creationTimestamp: "2025-05-04T14:09:04Z"/creationTimestamp: "2025-05-04T14:09:05Z"/' "$WORK/frpserver.yaml"
sleep 5
stop

# 2. Kubernetes source, TLS, 1 s churn.
dotnet "$WORK/fleet/Fleet.dll" serve "$WORK" 600 >"$WORK/serve.out" &
PIDS+=($!)
for _ in $(seq 300); do grep -q '^kubeconfig ' "$WORK/serve.out" 2>/dev/null && break; sleep 0.1; done
port=$(( 30000 + RANDOM % 20000 )); admin=$(( port + 1 ))
under_valgrind kubernetes --ip-range 127.1.251.0/24 --dns-addr "127.0.0.1:$port" --admin-addr "127.0.0.1:$admin" \
  --source kubernetes --kubeconfig "$(sed -n 's/^kubeconfig //p' "$WORK/serve.out")" \
  --mapped-services svc-0-0.fleet --dns-wait-for-tunnel=false --state-dir "$WORK/state-kubernetes"
published "$port" svc-0-0.fleet >/dev/null
probe_admin "$admin"
sleep 20
probe_admin "$admin"
stop

# 3. Native stcp visitors: the stand-in frps (bench/NativeBench) relays the proxy to a local echo service.
free_port() { dotnet "$WORK/forward/ForwardBench.dll" freeport; }
echo_port=$(free_port); frps_port=$(free_port)
dotnet "$WORK/forward/ForwardBench.dll" echo "$echo_port" >/dev/null & PIDS+=($!)
dotnet "$WORK/native/NativeBench.dll" frps "$frps_port" hot-token "stcp:hot-echo=hot-secret@127.0.0.1:$echo_port" >/dev/null &
PIDS+=($!)
wait_port 127.0.0.1 "$frps_port"; wait_port 127.0.0.1 "$echo_port"
{
  printf 'apiVersion: tunnel.kubeinfra.io/v1alpha1\nkind: FRPServer\nmetadata: {name: hot-frps}\n'
  printf 'spec: {bindAddr: 127.0.0.1, bindPort: %s, auth: {method: token, token: hot-token}}\n' "$frps_port"
  printf 'status:\n  activeConnections:\n'
  printf '  - {proxyName: hot-echo, proxyType: stcp, status: online, proxyConfig: {name: hot-echo, type: stcp, secretKey: hot-secret}}\n'
} >"$WORK/native.yaml"
port=$(( 30000 + RANDOM % 20000 ))
under_valgrind native --ip-range 127.1.252.0/24 --dns-addr "127.0.0.1:$port" --admin-addr "" --tunnel-engine native \
  --source "file:$WORK/native.yaml" --mapped-services hot-echo:7007 --state-dir "$WORK/state-native"
address=$(published "$port" hot-echo)
for _ in 1 2 3; do  # an echoed line through the visitor (generous: under valgrind the first connection takes seconds)
  ( exec 3<>"/dev/tcp/$address/7007" && echo ping >&3 && timeout 60 head -n1 <&3 | grep -q ping ) ||
    echo "no echo through the native visitor at $address:7007" >&2
done
sleep 5
stop

# Every executed address of this binary (fixed addresses: it is not position-independent) to the method holding it.
# Both lists are 16 lowercase hex digits, so sorting them together as text (C collation) sorts them by address, and
# an executed address, marked "~" (after every character of a name), follows the symbols that hold it, also those
# starting at that very address.
awk '$1 == "SB" {print substr("0000000000000000", 1, 16 - length($2)) $2 " ~"}' "$WORK"/*.blocks | LC_ALL=C sort -u >"$WORK/addresses"
nm -n --defined-only "$bin.dbg" | awk '$2 ~ /^[tT]$/ {print $1, $3}' >"$WORK/symbols"
# Identical method bodies are folded into one (IlcFoldIdenticalMethodBodies), so one address can carry several
# names: all of them are listed, as the compiler may know the body by any.
LC_ALL=C sort -m "$WORK/symbols" "$WORK/addresses" |
  awk '$2 != "~" { if ($1 != at) { at = $1; n = 0 } names[++n] = $2; next }
       { for (i = 1; i <= n; i++) if (!seen[names[i]]++) print names[i] }' >"$out"
echo "$(wc -l <"$out") methods executed, of $(wc -l <"$WORK/symbols") in the binary -> $out"
