#!/usr/bin/env bash
# Smoke-tests a published sidecar binary the way an operator meets it.
# usage: smoke.sh PATH_TO_SIDECAR
set -euo pipefail
bin=$(realpath "$1")
work=$(mktemp -d)
trap 'kill -9 "${pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
fail() { echo "smoke: FAIL: $*" >&2; exit 1; }
command -v dig >/dev/null || fail "dig is missing: run bash .ci/install-packages.sh"

"$bin" --version | grep -q '^sidecar ' || fail "--version"
"$bin" --help | grep -q 'SIDECAR_IP_RANGE' || fail "--help lists settings"

set +e
"$bin" --ip-range 127.1.0.0/24 --dns-ttl soon 2>"$work/err"; code=$?
set -e
[ "$code" -eq 2 ] || fail "bad flag exit code $code, want 2"
grep -q -- "--dns-ttl" "$work/err" || fail "bad flag message does not name the flag: $(cat "$work/err")"

set +e
"$bin" 2>"$work/err"; code=$?
set -e
[ "$code" -eq 2 ] || fail "missing --ip-range exit code $code, want 2"

# A good start on loopback with the README's local example: answers a mapped name, then stops on
# SIGTERM with exit 0 within the grace period.
example=$(realpath "$(dirname "$0")/../examples/local/frpserver.yaml")
port=$(( 20000 + RANDOM % 20000 ))
"$bin" --ip-range 127.1.0.0/24 --dns-addr "127.0.0.1:$port" --admin-addr "" \
  --source "file:$example" --mapped-services mysql.abc --state-dir "$work/state" >"$work/out" 2>&1 &
pid=$!
answer=""
for _ in $(seq 100); do
  answer=$(dig +short +time=1 +tries=1 @127.0.0.1 -p "$port" mysql.abc A 2>/dev/null || true)
  [[ "$answer" == 127.1.0.* ]] && break
  sleep 0.05
done
[[ "$answer" == 127.1.0.* ]] || fail "mysql.abc did not resolve into 127.1.0.0/24 (got '$answer'): $(cat "$work/out")"
nx=$(dig +time=1 +tries=1 @127.0.0.1 -p "$port" unknown.example A | grep -o 'status: [A-Z]*' || true)
[ "$nx" = "status: NXDOMAIN" ] || fail "unmapped name: want NXDOMAIN, got '$nx'"
grep -q "Ready in" "$work/out" || fail "no ready line: $(cat "$work/out")"

kill -TERM "$pid"
start=$(date +%s%N)
set +e
wait "$pid"; code=$?
set -e
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$code" -eq 0 ] || fail "SIGTERM exit code $code, want 0: $(cat "$work/out")"
[ "$elapsed_ms" -lt 5000 ] || fail "shutdown took ${elapsed_ms} ms, over the 5 s grace period"
echo "smoke: OK ($bin; mysql.abc -> $answer; shutdown in ${elapsed_ms} ms)"
