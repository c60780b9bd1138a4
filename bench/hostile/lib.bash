# Sourced by bench/hostile/*.sh (not run itself): the published binary, a started sidecar, RSS readings, a dig timer.
# Needs: dig (dnsutils), curl, python3; Linux with /proc.
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WORK=$(mktemp -d /tmp/sidecar-hostile.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

for tool in dig curl python3; do
  command -v "$tool" >/dev/null || { echo "$(basename "$0"): '$tool' is not installed (bash .ci/install-packages.sh)" >&2; exit 1; }
done

# The published Native AOT binary: the script's first argument, else SIDECAR_BIN, else
# artifacts/publish/dynamic/sidecar, else publish one.
SIDECAR_BIN=${HOSTILE_BIN:-${SIDECAR_BIN:-}}
if [[ -z "$SIDECAR_BIN" ]]; then
  SIDECAR_BIN=$REPO/artifacts/publish/dynamic/sidecar
  if [[ ! -x $SIDECAR_BIN ]]; then
    echo "publishing the sidecar (Native AOT)..." >&2
    bash "$REPO/.ci/publish.sh" dynamic "$REPO/artifacts/publish/dynamic" >&2
  fi
fi

SIDECAR_BIN=$(realpath "$SIDECAR_BIN")
MISSED=0

# start_sidecar ADDR DNS_PORT ADMIN_PORT IP_RANGE: runs the sidecar on the local example file (its tunnel
# addresses from IP_RANGE, one per script, so runs never collide); sets SIDECAR_PID.
start_sidecar() {
  local addr=$1 dns_port=$2 admin_port=$3 range=$4
  "$SIDECAR_BIN" --ip-range "$range" --dns-addr "$addr:$dns_port" --admin-addr "$addr:$admin_port" \
    --source "file:$REPO/examples/local/frpserver.yaml" --mapped-services mysql.abc \
    --state-dir "$WORK/state" >"$WORK/sidecar.log" 2>&1 &
  SIDECAR_PID=$!
  PIDS+=("$SIDECAR_PID")
  for _ in $(seq 200); do
    [[ -n $(dig +short +time=1 +tries=1 @"$addr" -p "$dns_port" mysql.abc A 2>/dev/null) ]] && return 0
    sleep 0.05
  done
  echo "the sidecar did not answer: $(cat "$WORK/sidecar.log")" >&2
  exit 1
}

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
peak_rss_kib() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }
mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }

# timed_dig ADDR PORT [dig options]: prints dig's own "Query time" in ms for one query (spawning dig costs
# ~0.5 s on a loaded machine and is not the server's doing), or "miss" without an answer.
timed_dig() {
  local addr=$1 port=$2; shift 2
  local out
  out=$(dig +time=1 +tries=1 "$@" @"$addr" -p "$port" mysql.abc A 2>/dev/null || true)
  if grep -q $'^mysql.abc.*\tA\t' <<<"$out"; then
    sed -n 's/^;; Query time: \([0-9]*\) msec.*/\1/p' <<<"$out"
  else
    echo miss
  fi
}

# sample_until END_EPOCH FILE CMD...: runs CMD every 100 ms until END_EPOCH, one result per line in FILE.
sample_until() {
  local end=$1 file=$2; shift 2
  while [ "$(date +%s)" -lt "$end" ]; do "$@" >>"$file"; sleep 0.1; done
}

# max_per_window LOGFILE PATTERN SECONDS: the most lines matching PATTERN within any SECONDS-long window.
max_per_window() {
  grep "$2" "$1" | python3 -c '
import sys, datetime
t = [datetime.datetime.fromisoformat(l.split()[0].replace("Z", "+00:00")).timestamp() for l in sys.stdin if l.strip()]
w = float(sys.argv[1]); print(max([sum(1 for u in t if s <= u < s + w) for s in t] or [0]))' "$3"
}

# verdict FIGURE TARGET_TEXT OK(0/1)
# (a missed target makes the script exit 1 at its end: finish).
verdict() {
  printf '  %-58s %-22s %s\n' "$1" "$2" "$([ "$3" = 1 ] && echo met || echo MISSED)"
  [ "$3" = 1 ] || MISSED=1
}
finish() { exit "$MISSED"; }
