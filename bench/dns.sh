#!/usr/bin/env bash
# DNS throughput and latency: the sidecar (published AOT binary) against dnsmasq and knot in the same run.
#
# Each server serves the same 100 names (name0..name99.svc.test); queries are 50 % hits and 50 % misses
# (missN.svc.test, NXDOMAIN). Servers are pinned to core 0, dnsperf to core 1, so neither steals the other's core.
# Two phases per server and run:
#   saturate: dnsperf -c 10 -q 500 for DURATION s -> queries/s and queries per server CPU-second
#             (utime+stime of the server from /proc/PID/stat over the phase; dnsperf caps q/s on 2 cores,
#             so q/CPU-s is the fair figure);
#   fixed:    dnsperf -Q 20000 -v for LATENCY_DURATION s -> p50/p99 service latency from per-query lines.
# Prints every run, then medians and the sidecar's ratios to each peer.
#
# The sidecar gets its names from the file source (--source file:GENERATED.yaml, one FRPServer with 100
# online tcp proxies); a build without that source answers nothing and the script stops with its log.
#
# Usage: bench/dns.sh [runs=3] [duration=10] [latency-duration=5]
# Environment: SIDECAR_BIN=path to a published sidecar (else this script publishes one, ~1 min).
# Needs: dnsperf, dnsmasq, knot (knotd), dnsutils (dig), util-linux (taskset); Linux with /proc.
set -euo pipefail

RUNS=${1:-3}
DURATION=${2:-10}
LATENCY_DURATION=${3:-5}
REPO=$(cd "$(dirname "$0")/.." && pwd)
WORK_PREFIX=sidecar-dns-bench source "$(dirname "$0")/lib.bash"
PORT=$((20000 + RANDOM % 20000))
SIDECAR_ADDR=127.0.0.81 DNSMASQ_ADDR=127.0.0.82 KNOT_ADDR=127.0.0.83
SERVER_CORE=0 CLIENT_CORE=1

for tool in dnsperf dnsmasq knotd dig taskset; do
  command -v "$tool" >/dev/null || { echo "bench/dns.sh: '$tool' is not installed" >&2; exit 1; }
done

# --- the sidecar binary -------------------------------------------------------------------------------
if [[ -z "${SIDECAR_BIN:-}" ]]; then
  echo "publishing the sidecar (Native AOT, Release)..." >&2
  dotnet publish "$REPO/src/Sidecar" -r linux-x64 -c Release -o "$WORK/publish" -nologo -v quiet >&2
  SIDECAR_BIN="$WORK/publish/sidecar"
fi

# --- the same 100 names for every server --------------------------------------------------------------
NAMES=$(for i in $(seq 0 99); do printf 'name%d.svc.test,' "$i"; done); NAMES=${NAMES%,}

# One FRPServer (the format of the cluster resource) with 100 online tcp proxies, for --source file:.
{
  printf 'apiVersion: tunnel.kubeinfra.io/v1alpha1\nkind: FRPServer\nmetadata:\n  name: bench\n'
  printf 'spec:\n  bindAddr: 127.0.0.1\n  bindPort: 17000\nstatus:\n  activeConnections:\n'
  for i in $(seq 0 99); do
    printf '  - proxyName: name%d.svc.test\n    proxyType: tcp\n    status: online\n' "$i"
    printf '    proxyConfig:\n      name: name%d.svc.test\n      type: tcp\n      localIP: 127.0.0.1\n      remotePort: %d\n' "$i" $((2000 + i))
  done
} > "$WORK/frpserver.yaml"

mkdir -p "$WORK/knot"
{
  printf '$ORIGIN svc.test.\n$TTL 5\n@ SOA ns.svc.test. hostmaster.svc.test. 1 3600 600 86400 5\n@ NS ns\nns A 127.0.0.1\n'
  for i in $(seq 0 99); do printf 'name%d A 127.77.%d.%d\n' "$i" $((i / 250)) $((i % 250 + 1)); done
} > "$WORK/knot/svc.test.zone"
cat > "$WORK/knot/knot.conf" <<KNOT
server:
    rundir: "$WORK/knot"
    listen: $KNOT_ADDR@$PORT
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
database:
    storage: "$WORK/knot/db"
log:
  - target: stderr
    any: error
template:
  - id: default
    storage: "$WORK/knot"
zone:
  - domain: svc.test
    file: svc.test.zone
KNOT

DNSMASQ_RECORDS=()
for i in $(seq 0 99); do DNSMASQ_RECORDS+=("--host-record=name$i.svc.test,127.77.$((i / 250)).$((i % 250 + 1))"); done

# 50 % hits, 50 % misses, interleaved.
for i in $(seq 0 9999); do
  if (( i % 2 == 0 )); then echo "name$(( (i / 2) % 100 )).svc.test A"; else echo "miss$i.svc.test A"; fi
done > "$WORK/queries.txt"

# --- helpers ------------------------------------------------------------------------------------------
start_server() {  # name -> sets SERVER_PID, SERVER_ADDR
  case "$1" in
    sidecar)
      SERVER_ADDR=$SIDECAR_ADDR
      taskset -c $SERVER_CORE "$SIDECAR_BIN" --source "file:$WORK/frpserver.yaml" --mapped-services "$NAMES" \
        --ip-range 127.77.0.0/16 --dns-addr "$SIDECAR_ADDR:$PORT" --dns-wait-for-tunnel=false --admin-addr "" \
        --log-level warning > "$WORK/sidecar.log" 2>&1 &
      ;;
    dnsmasq)
      SERVER_ADDR=$DNSMASQ_ADDR
      # --local makes names under svc.test that are not host records NXDOMAIN, like the other servers.
      taskset -c $SERVER_CORE dnsmasq -k --conf-file=/dev/null --no-resolv --no-hosts --bind-interfaces \
        --listen-address=$DNSMASQ_ADDR --port=$PORT --pid-file= --local=/svc.test/ "${DNSMASQ_RECORDS[@]}" \
        > "$WORK/dnsmasq.log" 2>&1 &
      ;;
    knot)
      SERVER_ADDR=$KNOT_ADDR
      taskset -c $SERVER_CORE knotd -c "$WORK/knot/knot.conf" > "$WORK/knot.log" 2>&1 &
      ;;
  esac
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  for _ in $(seq 1 100); do
    if dig +short +tries=1 +time=1 -p "$PORT" "@$SERVER_ADDR" name7.svc.test A 2>/dev/null | grep -q '^127\.77\.'; then return 0; fi
    sleep 0.1
  done
  echo "bench/dns.sh: $1 did not answer name7.svc.test; its log:" >&2
  tail -n 20 "$WORK/$1.log" >&2
  exit 1
}

stop_server() {
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

measure() {  # name -> prints "qps qpcpu p50us p99us lost%"
  start_server "$1"
  local before after ticks hz out qps completed lost lat
  hz=$(getconf CLK_TCK)
  before=$(cpu_ticks "$SERVER_PID")
  out=$(taskset -c $CLIENT_CORE dnsperf -s "$SERVER_ADDR" -p "$PORT" -d "$WORK/queries.txt" -l "$DURATION" -c 10 -q 500 -t 2 2>&1)
  after=$(cpu_ticks "$SERVER_PID")
  qps=$(awk '/Queries per second:/ { print $4 }' <<<"$out")
  completed=$(awk '/Queries completed:/ { print $3 }' <<<"$out")
  lost=$(awk '/Queries lost:/ { gsub(/[()%]/, "", $4); print $4 }' <<<"$out")
  ticks=$((after - before))
  # Per-query lines of -v: "> RCODE name type latency-seconds".
  lat=$(taskset -c $CLIENT_CORE dnsperf -s "$SERVER_ADDR" -p "$PORT" -d "$WORK/queries.txt" -l "$LATENCY_DURATION" -Q 20000 -v 2>/dev/null \
    | awk '$1 == ">" { print $NF * 1e6 }' | sort -n \
    | awk '{ v[NR] = $1 } END { if (NR == 0) { print "nan nan" } else { print v[int(NR * 0.5) + 1], v[int(NR * 0.99) + 1] } }')
  stop_server
  awk -v q="$qps" -v c="$completed" -v t="$ticks" -v hz="$hz" -v l="$lat" -v lost="$lost" \
    'BEGIN { split(l, p, " "); printf "%.0f %.0f %.0f %.0f %s\n", q, (t > 0 ? c / (t / hz) : 0), p[1], p[2], lost }'
}


# --- runs ---------------------------------------------------------------------------------------------
SERVERS=(sidecar dnsmasq knot)
printf '%-4s %-8s %10s %12s %8s %8s %7s\n' run server "q/s" "q/CPU-s" "p50 µs" "p99 µs" "lost %"
for run in $(seq 1 "$RUNS"); do
  # Rotate the order so no server always runs first (or last) on a shared machine.
  for k in 0 1 2; do
    server=${SERVERS[$(( (k + run - 1) % 3 ))]}
    read -r qps qpcpu p50 p99 lost < <(measure "$server")
    printf '%-4s %-8s %10s %12s %8s %8s %7s\n' "$run" "$server" "$qps" "$qpcpu" "$p50" "$p99" "$lost"
    echo "$server $qps $qpcpu $p50 $p99" >> "$WORK/results"
  done
done

echo
echo "medians of $RUNS runs (saturate ${DURATION}s: 10 clients x 500 in flight; latency at 20k q/s for ${LATENCY_DURATION}s)"
printf '%-8s %10s %12s %8s %8s\n' server "q/s" "q/CPU-s" "p50 µs" "p99 µs"
declare -A MED
for server in "${SERVERS[@]}"; do
  for col in 2 3 4 5; do
    MED[$server,$col]=$(awk -v s="$server" -v c="$col" '$1 == s { print $c }' "$WORK/results" | median)
  done
  printf '%-8s %10.0f %12.0f %8.0f %8.0f\n' "$server" "${MED[$server,2]}" "${MED[$server,3]}" "${MED[$server,4]}" "${MED[$server,5]}"
done
echo
for peer in dnsmasq knot; do
  awk -v a="${MED[sidecar,3]}" -v b="${MED[$peer,3]}" -v c="${MED[sidecar,2]}" -v d="${MED[$peer,2]}" \
      -v e="${MED[sidecar,5]}" -v f="${MED[$peer,5]}" -v p="$peer" \
    'BEGIN { printf "sidecar / %-8s q/CPU-s %.2f   q/s %.2f   p99 %.2f (lower is better)\n", p, a / b, c / d, e / f }'
done
