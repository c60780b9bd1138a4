#!/usr/bin/env bash
# Churn benchmark: what one status rewrite of the operator's (counters and times only, 50 connections) costs the
# sidecar, recognised on its bytes by ChurnFilter, against the peer in the same run: decoding it and finding it
# equal (the path before). Prints allocated bytes and time per event, medians of interleaved rounds.
# Usage: bench/churn.sh [events-per-round=2000]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/Converge -c Release -v quiet -nologo >/dev/null
dotnet bench/Converge/bin/Release/net10.0/Converge.dll churn "$@"
