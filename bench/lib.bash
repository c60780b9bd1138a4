# Sourced by the bench/ scripts (not run itself): a scratch directory and the processes started into it, both
# gone when the script exits however it exits, plus the two readings every benchmark takes.
# Usage: WORK_PREFIX=name source "$(dirname "$0")/lib.bash"   (WORK_PREFIX is optional)
WORK=$(mktemp -d "/tmp/${WORK_PREFIX:-sidecar-bench}.XXXXXX")
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# Median of the numbers on stdin, one per line (the mean of the middle two for an even count; n/a for none).
median() { sort -g | awk '{a[NR]=$1} END {print (NR == 0 ? "n/a" : NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# A field of /proc/PID/status in kB: status_kb PID VmRSS|VmHWM.
status_kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
rss_kb() { status_kb "$1" VmRSS; }

# /proc/PID/smaps Rss by kind of mapping. A thread stack is an anonymous mapping right after its 4-64 KiB
# PROT_NONE guard (glibc pthread stacks); glibc's per-thread malloc arenas are 64 MiB reservations on a 64 MiB
# boundary (HEAP_MAX_SIZE), used part first, PROT_NONE rest after (OpenSSL's allocations land there when a pool
# thread does TLS; a GC region can start on such a boundary too, hence the check of the rest); the rest of anonymous memory
# is the GC heap, the runtime's own allocations and malloc's large (mmapped) blocks.
smaps_breakdown() {  # pid binary-path
  awk -v bin="$2" '
    function hex(h,   i, v) { v = 0; for (i = 1; i <= length(h); i++) v = v * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1; return v }
    function settle() {  # an arena candidate counts as one only if its PROT_NONE rest follows and both make 64 MiB
      if (cand != "" && !(anon_none && start == cand_end && end - cand_start == 67108864)) { rss[other] += cand_rss; rss[arena] -= cand_rss }
      cand = ""
    }
    BEGIN { arena = "malloc arenas of threads"; other = "other anonymous (GC heap, runtime)" }
    /^[0-9a-f]+-[0-9a-f]+ / {
      split($1, r, "-"); path = (NF >= 6) ? $6 : ""; start = hex(r[1]); end = hex(r[2])
      anon_none = ($2 == "---p" && path == ""); settle()
      if (path == bin) cls = "binary pages"
      else if (path ~ /libssl|libcrypto/) cls = "OpenSSL"
      else if (path ~ /\.so/) cls = "other shared libraries"
      else if (path == "[heap]") cls = "native heap ([heap])"
      else if (path == "[stack]" || (path == "" && guard && r[1] == guard_end)) cls = "thread stacks"
      else if (path ~ /^\[/) cls = "kernel ([vdso], [vvar])"
      else if (path == "" && $2 == "rw-p" && start % 67108864 == 0) { cls = arena; cand = r[1]; cand_start = start; cand_end = end; cand_rss = 0 }
      else if (path == "") cls = other
      else cls = "other files"
      guard = anon_none; guard_end = r[2]; next
    }
    /^Size:/ { if (guard && $2 > 64) guard = 0 }
    /^Rss:/ { rss[cls] += $2; total += $2; if (cand != "") cand_rss = $2 }
    /^Private_Dirty:/ { dirty += $2 }
    END {
      anon_none = 0; settle()
      for (c in rss) if (rss[c] > 0) printf "      %-36s %6.2f MiB\n", c, rss[c] / 1024 | "sort -k1,1"
      close("sort -k1,1")
      printf "      %-36s %6.2f MiB\n", "total", total / 1024
      printf "      %-36s %6.2f MiB\n", "of it private (each extra Pod)", dirty / 1024
    }' "/proc/$1/smaps"
}

# Wait for a TCP listener (up to 10 s), or stop the script.
wait_port() { for _ in $(seq 1 200); do (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null && return 0; sleep 0.05; done; echo "no listener on $1:$2" >&2; exit 1; }

# The address a sidecar's DNS answers for a name, once it does (up to SECONDS, 20 by default):
# resolve DNS-PORT NAME [SECONDS]. Only an address counts: dig +short prints ";; communications error …" there
# while nothing listens yet.
resolve() {
  local a
  for _ in $(seq 1 $(( ${3:-20} * 10 ))); do a=$(dig +short +tries=1 +time=1 @127.0.0.1 -p "$1" "$2" A | grep -E '^[0-9.]+$' | head -1 || true); [[ -n "$a" ]] && { echo "$a"; return; }; sleep 0.1; done
  echo "sidecar did not publish $2" >&2; exit 1
}

mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k/1024}'; }

# The native benchmarks' harnesses and the services behind their proxies (iperf3, an echo service), started into
# PIDS: start_bench_services ROOT. Leaves HARNESS, NATIVE, free_port, IPERF_PORT and ECHO_PORT.
start_bench_services() {
  echo "building bench harnesses..." >&2
  dotnet build -c Release "$1/bench/ForwardBench" -v q -nologo >/dev/null
  dotnet build -c Release "$1/bench/NativeBench" -v q -nologo >/dev/null
  HARNESS=(dotnet "$1/bench/ForwardBench/bin/Release/net10.0/ForwardBench.dll")
  NATIVE=(dotnet "$1/bench/NativeBench/bin/Release/net10.0/NativeBench.dll")
  free_port() { "${HARNESS[@]}" freeport; }
  IPERF_PORT=$(free_port); ECHO_PORT=$(free_port)
  iperf3 -s -p "$IPERF_PORT" >/dev/null 2>&1 & PIDS+=($!)
  "${HARNESS[@]}" echo "$ECHO_PORT" >/dev/null & PIDS+=($!)
  wait_port 127.0.0.1 "$IPERF_PORT"; wait_port 127.0.0.1 "$ECHO_PORT"
}

# A process and all its descendants (a sidecar and the frpc children of its frpc engine), one pid a line.
tree_pids() { local p; echo "$1"; for p in $(pgrep -P "$1" || true); do tree_pids "$p"; done; }
# Sum of VmRSS over that tree, kB (what the Pod side costs; shared pages count once per process, as RSS does).
tree_rss_kb() {
  local sum=0 p r
  for p in $(tree_pids "$1"); do r=$(rss_kb "$p" 2>/dev/null) || continue; sum=$((sum + ${r:-0})); done
  echo "$sum"
}
# CPU ticks (utime+stime) of a process, and with tree_ of its descendants too, plus the children it has
# already reaped (cutime+cstime of the root): a child that exits mid-run still counts.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
tree_cpu_ticks() {
  local sum p t
  sum=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$1/stat")
  for p in $(tree_pids "$1" | tail -n +2); do t=$(cpu_ticks "$p" 2>/dev/null) || continue; sum=$((sum + ${t:-0})); done
  echo "$sum"
}
