#!/usr/bin/env bash
# Churn benchmark: what one status rewrite of the operator's (counters and times only, 50 connections) costs the
# sidecar, recognised on its bytes by ChurnFilter, against the peer in the same run: decoding it and finding it
# equal (the path before). First per event in one thread (allocated bytes and time, medians of interleaved rounds),
# then the whole watch path over TLS from the stand-in API server in another process (allocated bytes per event
# of the whole client process, rounds alternating).
# Usage: bench/churn.sh [events-per-round=2000] [watch-round-seconds=20] [watch-rounds=5]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/Converge -c Release -v quiet -nologo >/dev/null
dotnet build bench/Fleet -c Release -v quiet -nologo -o artifacts/bench/fleet >/dev/null
dotnet bench/Converge/bin/Release/net10.0/Converge.dll churn "${1:-2000}"

WORK_PREFIX=sidecar-churn source bench/lib.bash
seconds=${2:-20}; rounds=${3:-5}
dotnet artifacts/bench/fleet/Fleet.dll serve "$WORK" $(( (rounds + 1) * 2 * (seconds + 5) + 60 )) >"$WORK/serve.out" &
PIDS+=("$!")
for _ in $(seq 300); do grep -q '^kubeconfig ' "$WORK/serve.out" 2>/dev/null && break; sleep 0.1; done
dotnet bench/Converge/bin/Release/net10.0/Converge.dll churn-watch "$(sed -n 's/^kubeconfig //p' "$WORK/serve.out")" "$seconds" "$rounds"
