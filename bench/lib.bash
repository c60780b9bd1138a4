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
