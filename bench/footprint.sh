#!/usr/bin/env bash
# Footprint of the published AOT binary, as medians of repeated runs, with dnsmasq measured the same way
# in the same run as the peer (interleaved rounds): binary size, exec → first DNS answer that carries the record
# (not the NXDOMAIN the sidecar gives before its first read of the resources), the CPU time and page faults
# by then, idle RSS after start-up. The probe (bench/StartupProbe) drains the program's output only after the
# answer, so its own work does not share the cores with the start-up it times.
# Then, for both sources, where each MB goes (docs/scale.md): the sidecar runs for HOLD seconds — file source
# on the example, Kubernetes source over TLS against the stand-in API server with every FRPServer's status
# rewritten once a second (10 × 50 connections ≈ 50 KB) — RSS is sampled after start and at the end, and
# /proc/PID/smaps is split into binary pages, OpenSSL, other libraries, native heap, thread stacks and the
# rest of anonymous memory (GC heap, runtime). Each runtime knob in VARIANTS is measured the same way.
# "Of it private" is the Private_Dirty part: clean file pages (the binary, libc, OpenSSL) are page cache that every
# sidecar of the same image on a node maps once; private pages are what each extra Pod really adds.
# usage: bench/footprint.sh [RUNS=11] [HOLD=120]   (reuses artifacts/publish/dynamic/sidecar when present)
# Targets: ≤ 10 MiB binary; first answer ≤ 1.5× dnsmasq's; idle RSS file ≤ 12 MiB, Kubernetes ≤ 18 MiB and
# flat (± 1 MiB) over the churn.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-11}
hold=${2:-120}
bin=artifacts/publish/dynamic/sidecar
[ -x "$bin" ] || bash .ci/publish.sh dynamic artifacts/publish/dynamic >/dev/null
command -v dnsmasq >/dev/null || bash .ci/install-packages.sh >/dev/null
dotnet build bench/StartupProbe -c Release -o artifacts/bench/probe >/dev/null
dotnet build bench/Fleet -c Release -v quiet -nologo -o artifacts/bench/fleet >/dev/null
probe=artifacts/bench/probe/StartupProbe
binpath=$(readlink -f "$bin")

WORK_PREFIX=sidecar-footprint source bench/lib.bash
serve_pid=
cp examples/local/frpserver.yaml "$WORK/frpserver.yaml" 2>/dev/null || : >"$WORK/frpserver.yaml"


# One start-up of one program: appends its figures to $WORK/NAME.{times,cpu,faults,rss}.
probe_once() { # name, then the command line after "--"
  local name=$1; shift
  local port=$(( 30000 + RANDOM % 20000 ))
  local cmd=("${@//@PORT@/$port}")
  out=$("$probe" 127.0.0.1 "$port" mysql.abc 300 -- "${cmd[@]}") || { echo "$name run failed: $out" >&2; return 0; }
  sed -n 's/.*first_answer_ms=\([0-9.]*\).*/\1/p' <<<"$out" >>"$WORK/$name.times"
  sed -n 's/.*rss_kb=\([0-9]*\).*/\1/p' <<<"$out" >>"$WORK/$name.rss"
  sed -n 's/.*cpu_ms=\([0-9.]*\).*/\1/p' <<<"$out" >>"$WORK/$name.cpu"
  sed -n 's/.*minor_faults=\([0-9]*\).*/\1/p' <<<"$out" >>"$WORK/$name.faults"
}

report() {
  local name=$1
  printf '%-9s first answer p50 %7s ms (CPU used by then %6s ms, %4s page faults)   idle RSS p50 %6s KB   (%s runs)\n' \
    "$name" "$(median <"$WORK/$name.times")" "$(median <"$WORK/$name.cpu")" "$(median <"$WORK/$name.faults")" \
    "$(median <"$WORK/$name.rss")" "$(wc -l <"$WORK/$name.times")"
}

# Where the MB go: bench/lib.bash smaps_breakdown, split by mapping kind with this binary's pages apart.
breakdown() { smaps_breakdown "$1" "$binpath"; }

# name, env assignments (or "-"), a local IP range of its own, then the sidecar's arguments. The runs go side
# by side, so each needs its own range: with a shared one they all allocate the same address for the same name,
# all but one fail to bind it and retry, and the retries' exceptions and log lines were counted as growth.
hold_run() {
  local name=$1 envs=$2 range=$3; shift 3
  local port=$(( 30000 + RANDOM % 20000 ))
  local envargs=(); [ "$envs" = "-" ] || read -r -a envargs <<<"$envs"
  env "${envargs[@]}" "$bin" --ip-range "$range" --dns-addr "127.0.0.1:$port" --admin-addr "" \
    --mapped-services mysql.abc,svc-0-0.fleet --dns-wait-for-tunnel=false --log-level warn "$@" >"$WORK/$name.log" 2>&1 &
  local pid=$!
  sleep 5
  local start; start=$(rss_kb "$pid")
  sleep "$hold"
  local end; end=$(rss_kb "$pid")
  local threads; threads=$(awk '/^Threads:/ {print $2}' "/proc/$pid/status")
  printf '   %-44s RSS after 5 s %6.2f MiB, after %s s more %6.2f MiB (%+.2f), %s threads\n' "$name" \
    "$(awk -v k="$start" 'BEGIN {print k/1024}')" "$hold" "$(awk -v k="$end" 'BEGIN {print k/1024}')" \
    "$(awk -v a="$start" -v b="$end" 'BEGIN {print (b-a)/1024}')" "$threads"
  [ "$envs" = "-" ] && breakdown "$pid"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

size=$(stat -L -c %s "$bin")
awk -v s="$size" 'BEGIN {printf "sidecar binary: %d bytes (%.2f MiB)\n", s, s / 1048576}'
sidecar_cmd=("$bin" --ip-range 127.1.0.0/24 --dns-addr 127.0.0.1:@PORT@ --admin-addr "" \
  --source "file:$WORK/frpserver.yaml" --mapped-services mysql.abc --dns-wait-for-tunnel=false)
dnsmasq_cmd=("$(command -v dnsmasq)" -k --conf-file=/dev/null --no-resolv --no-hosts --bind-interfaces \
  --listen-address=127.0.0.1 --port=@PORT@ --address=/mysql.abc/127.1.0.1 --user=root)
# Interleaved, in alternating order, so a drift in the machine's load falls on both alike.
for name in sidecar dnsmasq; do : >"$WORK/$name.times"; : >"$WORK/$name.rss"; : >"$WORK/$name.cpu"; : >"$WORK/$name.faults"; done
for i in $(seq "$runs"); do
  if (( i % 2 )); then probe_once sidecar "${sidecar_cmd[@]}"; probe_once dnsmasq "${dnsmasq_cmd[@]}"
  else probe_once dnsmasq "${dnsmasq_cmd[@]}"; probe_once sidecar "${sidecar_cmd[@]}"; fi
done
report sidecar
report dnsmasq
awk -v a="$(median <"$WORK/sidecar.times")" -v b="$(median <"$WORK/dnsmasq.times")" \
  'BEGIN {printf "first answer, sidecar / dnsmasq: %.2fx (target <= 1.5x)\n", a / b}'

dotnet artifacts/bench/fleet/Fleet.dll serve "$WORK" 100000 >"$WORK/serve.out" &
serve_pid=$!
PIDS+=("$serve_pid")
for _ in $(seq 300); do grep -q '^kubeconfig ' "$WORK/serve.out" 2>/dev/null && break; sleep 0.1; done
kubeconfig=$(sed -n 's/^kubeconfig //p' "$WORK/serve.out")

variants=(
  "-"
  "DOTNET_GCgen0size=100000"
  "DOTNET_GCConserveMemory=9"
  "MALLOC_ARENA_MAX=2"
  "DOTNET_GCHeapHardLimit=2000000"
  "DOTNET_gcConcurrent=0"
)
echo "== where the MB go, and runtime knobs (all runs side by side: 5 s start, then ${hold} s)"
i=0
for v in "${variants[@]}"; do
  label=${v/#-/default}
  hold_run "file, $label" "$v" "127.1.$((10 + 2 * i)).0/24" --source "file:$WORK/frpserver.yaml" >"$WORK/hold.$i.a" &
  hold_run "kubernetes+TLS, 1 s churn, $label" "$v" "127.1.$((11 + 2 * i)).0/24" --source kubernetes --kubeconfig "$kubeconfig" >"$WORK/hold.$i.b" &
  i=$((i + 1))
done
wait_for=$(jobs -p | grep -v "^$serve_pid\$" || true)
for j in $wait_for; do wait "$j" || true; done
for k in $(seq 0 $((i - 1))); do cat "$WORK/hold.$k.a" "$WORK/hold.$k.b"; done
