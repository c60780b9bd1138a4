# Sourced by bench/hostile/*.sh (not run itself): the published binary, a started sidecar, RSS readings, a dig timer.
# Needs: dig (dnsutils), curl, python3; Linux with /proc.
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WORK_PREFIX=sidecar-hostile source "$REPO/bench/lib.bash"

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

# attacked_sidecar ADDR IP_RANGE SETTLE_SECONDS: raises the file limit for the attacker's connections, starts
# the sidecar on ADDR with random DNS and admin ports (sets PORT, ADMIN, SIDECAR_PID), waits SETTLE_SECONDS
# and records its idle RSS (sets idle_kib), the peer every attack script compares against.
attacked_sidecar() {
  ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
  PORT=$((20000 + RANDOM % 20000)) ADMIN=$((40000 + RANDOM % 20000))
  start_sidecar "$1" "$PORT" "$ADMIN" "$2"
  sleep "$3"
  idle_kib=$(rss_kib "$SIDECAR_PID")
}

# start_attacker ADDR PORT MODE: slow_clients.py holds CONNECTIONS connections of MODE for SECONDS_ATTACK s in
# the background (its summary in $WORK/attacker.out); sets ATTACKER.
start_attacker() {
  python3 "$REPO/bench/hostile/slow_clients.py" "$1" "$2" "$CONNECTIONS" "$SECONDS_ATTACK" "$3" >"$WORK/attacker.out" &
  ATTACKER=$!
  PIDS+=("$ATTACKER")
}

# count_within LIMIT VALUE...: how many values are answers (not "miss") of at most LIMIT.
count_within() {
  local limit=$1 n=0 v; shift
  for v in "$@"; do [[ $v != miss ]] && [ "$v" -le "$limit" ] && n=$((n + 1)); done
  echo "$n"
}

# median VALUE... / p99 VALUE...: of the answers among the values ("n/a" without any).
median() { printf '%s\n' "$@" | grep -v miss | sort -n | awk '{a[NR]=$1} END {print (NR ? a[int((NR+1)/2)] : "n/a")}'; }
p99() { printf '%s\n' "$@" | grep -v miss | sort -n | awk '{a[NR]=$1} END {i=int(NR*0.99+0.999); print (NR ? a[i] : "n/a")}'; }

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
  { grep "$2" "$1" || true; } | python3 -c '
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
