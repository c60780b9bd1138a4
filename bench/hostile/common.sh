# Shared by bench/hostile/*.sh: the published binary, a started sidecar, RSS readings, a dig timer.
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

# The published Native AOT binary: SIDECAR_BIN, else artifacts/publish/dynamic/sidecar, else publish one.
if [[ -z "${SIDECAR_BIN:-}" ]]; then
  SIDECAR_BIN=$REPO/artifacts/publish/dynamic/sidecar
  if [[ ! -x $SIDECAR_BIN ]]; then
    echo "publishing the sidecar (Native AOT)..." >&2
    bash "$REPO/.ci/publish.sh" dynamic "$REPO/artifacts/publish/dynamic" >&2
  fi
fi

# start_sidecar ADDR DNS_PORT ADMIN_PORT: runs the sidecar on the local example file; sets SIDECAR_PID.
start_sidecar() {
  local addr=$1 dns_port=$2 admin_port=$3
  "$SIDECAR_BIN" --ip-range 127.1.0.0/24 --dns-addr "$addr:$dns_port" --admin-addr "$addr:$admin_port" \
    --source "file:$REPO/examples/local/frpserver.yaml" --mapped-services mysql.abc \
    --state-dir "$WORK/state" >"$WORK/sidecar.log" 2>&1 &
  SIDECAR_PID=$!
  PIDS+=("$SIDECAR_PID")
  for _ in $(seq 200); do
    [[ $(dig +short +time=1 +tries=1 @"$addr" -p "$dns_port" mysql.abc A 2>/dev/null) == 127.1.0.* ]] && return 0
    sleep 0.05
  done
  echo "the sidecar did not answer: $(cat "$WORK/sidecar.log")" >&2
  exit 1
}

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
peak_rss_kib() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }
mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }

# timed_dig ADDR PORT [dig options]: prints the wall time in ms of one query, or "miss" without an answer.
timed_dig() {
  local addr=$1 port=$2; shift 2
  local start end answer
  start=$(date +%s%N)
  answer=$(dig +short +time=1 +tries=1 "$@" @"$addr" -p "$port" mysql.abc A 2>/dev/null || true)
  end=$(date +%s%N)
  if [[ $answer == 127.1.0.* ]]; then echo $(( (end - start) / 1000000 )); else echo miss; fi
}

# verdict FIGURE TARGET_TEXT OK(0/1)
verdict() { printf '  %-58s %-22s %s\n' "$1" "$2" "$([ "$3" = 1 ] && echo met || echo MISSED)"; }
