#!/usr/bin/env bash
# Smoke-tests a published sidecar binary the way an operator meets it.
# usage: smoke.sh PATH_TO_SIDECAR
set -euo pipefail
bin=$(realpath "$1")
work=$(mktemp -d)
trap 'kill -9 "${pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
fail() { echo "smoke: FAIL: $*" >&2; exit 1; }

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

# A good start on loopback: serves, then stops on SIGTERM with exit 0 within the grace period.
port=$(( 20000 + RANDOM % 20000 ))
"$bin" --ip-range 127.1.0.0/24 --dns-addr "127.0.0.1:$port" --admin-addr "" \
  --source "file:$work/none.yaml" --mapped-services mysql.abc >"$work/out" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q "Ready in" "$work/out" && break; sleep 0.05; done
grep -q "Ready in" "$work/out" || fail "not ready: $(cat "$work/out")"

kill -TERM "$pid"
start=$(date +%s%N)
set +e
wait "$pid"; code=$?
set -e
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$code" -eq 0 ] || fail "SIGTERM exit code $code, want 0: $(cat "$work/out")"
[ "$elapsed_ms" -lt 5000 ] || fail "shutdown took ${elapsed_ms} ms, over the 5 s grace period"
echo "smoke: OK ($bin; shutdown in ${elapsed_ms} ms)"
