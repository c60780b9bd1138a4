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
# PROT_NONE guard (glibc pthread stacks); glibc's per-thread malloc arenas start on a 64 MiB boundary (its
# HEAP_MAX_SIZE: OpenSSL's allocations land there when a pool thread does TLS); the rest of anonymous memory
# is the GC heap, the runtime's own allocations and malloc's large (mmapped) blocks.
smaps_breakdown() {  # pid binary-path
  awk -v bin="$2" '
    /^[0-9a-f]+-[0-9a-f]+ / {
      split($1, r, "-"); path = (NF >= 6) ? $6 : ""
      if (path == bin) cls = "binary pages"
      else if (path ~ /libssl|libcrypto/) cls = "OpenSSL"
      else if (path ~ /\.so/) cls = "other shared libraries"
      else if (path == "[heap]") cls = "native heap ([heap])"
      else if (path == "[stack]" || (path == "" && guard && r[1] == guard_end)) cls = "thread stacks"
      else if (path ~ /^\[/) cls = "kernel ([vdso], [vvar])"
      else if (path == "" && $2 == "rw-p" && substr(r[1], length(r[1]) - 5) == "000000" && substr(r[1], length(r[1]) - 6, 1) ~ /[048c]/) cls = "malloc arenas of threads"
      else if (path == "") cls = "other anonymous (GC heap, runtime)"
      else cls = "other files"
      guard = ($2 == "---p" && path == ""); guard_end = r[2]; next
    }
    /^Size:/ { if (guard && $2 > 64) guard = 0 }
    /^Rss:/ { rss[cls] += $2; total += $2 }
    /^Private_Dirty:/ { dirty += $2 }
    END {
      for (c in rss) printf "      %-36s %6.2f MiB\n", c, rss[c] / 1024 | "sort -k1,1"
      close("sort -k1,1")
      printf "      %-36s %6.2f MiB\n", "total", total / 1024
      printf "      %-36s %6.2f MiB\n", "of it private (each extra Pod)", dirty / 1024
    }' "/proc/$1/smaps"
}
