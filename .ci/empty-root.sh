#!/usr/bin/env bash
# Runs the static binary the way a FROM scratch image or a minimal host meets it: in a root holding only
# the binary, the example FRPServer file and a mounted /proc (no libc, no /etc, no loader). Checks, from
# outside: a DNS answer, /readyz 200, and DNS batching on (recvmmsg/sendmmsg bound at link time).
# usage: empty-root.sh PATH_TO_STATIC_SIDECAR        (needs root: chroot and a private mount namespace)
set -euo pipefail
bin=$(realpath "$1")
example=$(realpath "$(dirname "$0")/../examples/local/frpserver.yaml")
fail() { echo "empty-root: FAIL: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "needs root (chroot, mount -t proc in a private mount namespace)"
for tool in dig curl unshare chroot; do command -v "$tool" >/dev/null || fail "$tool is missing: run bash .ci/install-packages.sh"; done

root=$(mktemp -d /tmp/sidecar-empty-root.XXXXXX)
cleanup() {
  kill -9 "${pid:-}" 2>/dev/null || true
  wait "${pid:-}" 2>/dev/null || true
  # The proc mount lives in the child's private namespace and goes with it; never delete through a mount.
  if mountpoint -q "$root/proc"; then umount -l "$root/proc" || true; fi
  mountpoint -q "$root/proc" || rm -rf "$root"
}
trap cleanup EXIT
cp "$bin" "$root/sidecar"
cp "$example" "$root/frpserver.yaml"
mkdir "$root/proc"
log=$(mktemp)

port=$(( 20000 + RANDOM % 20000 ))
admin=$(( port + 1 ))
# unshare -m: a private mount namespace, so /proc is mounted for the sidecar only and vanishes with it.
unshare -m --propagation private sh -c 'mount -t proc proc "$0/proc" && exec chroot "$0" "$@"' "$root" \
  /sidecar --ip-range 127.1.0.0/24 --dns-addr "127.0.0.1:$port" --admin-addr "127.0.0.1:$admin" \
  --source file:/frpserver.yaml --mapped-services mysql.abc --state-dir /state >"$log" 2>&1 &
pid=$!

answer=""
for _ in $(seq 200); do
  answer=$(dig +short +time=1 +tries=1 @127.0.0.1 -p "$port" mysql.abc A 2>/dev/null || true)
  [[ "$answer" == 127.1.0.* ]] && break
  sleep 0.05
done
[[ "$answer" == 127.1.0.* ]] || fail "mysql.abc did not resolve (got '$answer'): $(cat "$log")"

ready=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$admin/readyz" || true)
[ "$ready" = 200 ] || fail "/readyz answered '$ready', want 200: $(cat "$log")"

metrics=$(curl -s --max-time 5 "http://127.0.0.1:$admin/metrics" || true)
batched=$(awk '$1 == "sidecar_dns_udp_batched_loops" {print $2}' <<<"$metrics")
[ "${batched:-0}" -gt 0 ] || fail "DNS batching is off (sidecar_dns_udp_batched_loops=${batched:-missing}): $(cat "$log")"
! grep -qi "unable to load shared library" "$log" || fail "a library failed to load: $(cat "$log")"

kill -TERM "$pid"
set +e
wait "$pid"; code=$?
set -e
pid=""
[ "$code" -eq 0 ] || fail "SIGTERM exit code $code, want 0: $(cat "$log")"
echo "empty-root: OK ($bin; mysql.abc -> $answer; /readyz 200; $batched UDP loops batched)"
rm -f "$log"
