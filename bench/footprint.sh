#!/usr/bin/env bash
# Footprint of the published AOT binary, as medians of repeated runs, with dnsmasq measured the same way
# in the same run as the peer: binary size, exec → first DNS answer, idle RSS after start-up.
# usage: bench/footprint.sh [RUNS]   (reuses artifacts/publish/dynamic/sidecar when present)
# Targets (issue 2): ≤ 10 MB binary, ≤ 20 ms to first answer, ≤ 12 MB idle RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-11}
bin=artifacts/publish/dynamic/sidecar
[ -x "$bin" ] || bash .ci/publish.sh dynamic artifacts/publish/dynamic >/dev/null
command -v dnsmasq >/dev/null || bash .ci/install-packages.sh >/dev/null
dotnet build bench/StartupProbe -c Release -o artifacts/bench/probe >/dev/null
probe=artifacts/bench/probe/StartupProbe

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp examples/local/frpserver.yaml "$work/frpserver.yaml" 2>/dev/null || : >"$work/frpserver.yaml"

median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) {print "n/a"} else if (NR%2) {print a[(NR+1)/2]} else {printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2}}'; }

measure() { # name, then the command line after "--"
  local name=$1; shift
  : >"$work/$name.times"; : >"$work/$name.rss"
  for i in $(seq "$runs"); do
    local port=$(( 30000 + RANDOM % 20000 ))
    local cmd=("${@//@PORT@/$port}")
    out=$("$probe" 127.0.0.1 "$port" mysql.abc 300 -- "${cmd[@]}") || { echo "$name run $i failed: $out" >&2; continue; }
    sed -n 's/.*first_answer_ms=\([0-9.]*\).*/\1/p' <<<"$out" >>"$work/$name.times"
    sed -n 's/.*rss_kb=\([0-9]*\).*/\1/p' <<<"$out" >>"$work/$name.rss"
  done
  printf '%-9s first answer p50 %7s ms   idle RSS p50 %6s KB   (%s runs)\n' "$name" \
    "$(median <"$work/$name.times")" "$(median <"$work/$name.rss")" "$(wc -l <"$work/$name.times")"
}

size=$(stat -c %s "$bin")
awk -v s="$size" 'BEGIN {printf "sidecar binary: %d bytes (%.2f MB)\n", s, s / 1048576}'
measure sidecar "$bin" --ip-range 127.1.0.0/24 --dns-addr 127.0.0.1:@PORT@ --admin-addr "" \
  --source "file:$work/frpserver.yaml" --mapped-services mysql.abc --dns-wait-for-tunnel=false
measure dnsmasq "$(command -v dnsmasq)" -k --conf-file=/dev/null --no-resolv --no-hosts --bind-interfaces \
  --listen-address=127.0.0.1 --port=@PORT@ --address=/mysql.abc/127.1.0.1 --user=root
