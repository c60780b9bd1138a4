#!/usr/bin/env bash
# Fleet benchmark (docs/scale.md): N published sidecar processes (Kubernetes source, TLS, each with its own token) against
# the tests' stand-in API server, which counts requests, events and bytes per client, while every FRPServer's
# status is rewritten once a second (10 × 50 connections ≈ 50 KB each by default). Runs watch mode, then poll
# mode; prints per-Pod requests/hour, bytes/hour and API-side CPU (above a churn-only peer), extrapolated to
# 10,000 Pods. Targets: watch ≤ 15 requests per Pod-hour; poll exactly one LIST per interval (360/h at 10 s).
# usage: bench/fleet.sh [PODS=50] [SECONDS=120] [SERVERS=10] [CONNECTIONS=50]
set -euo pipefail
cd "$(dirname "$0")/.."
pods=${1:-50}; seconds=${2:-120}; servers=${3:-10}; connections=${4:-50}
bin=artifacts/publish/dynamic/sidecar
[ -x "$bin" ] || bash .ci/publish.sh dynamic artifacts/publish/dynamic >/dev/null
dotnet build bench/Fleet -c Release -v quiet -nologo -o artifacts/bench/fleet >/dev/null
for mode in watch poll; do
  dotnet artifacts/bench/fleet/Fleet.dll "$bin" "$mode" "$pods" "$seconds" "$servers" "$connections"
done
