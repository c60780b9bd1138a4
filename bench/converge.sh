#!/usr/bin/env bash
# Convergence benchmark: time from a change in the stand-in Kubernetes API to the DNS table changing (median,
# p99) with watch and, as the peer, with polling only; and the cost of one reconcile over 10,000
# connections (time, memory growth), with a rebuild-from-scratch peer.
# "DNS answer changed" is measured as the reconciler publishing to INamePublisher (the DNS server swaps
# that table in as is); the integrator may switch it to a real DNS query once the DNS server is merged.
# Usage: bench/converge.sh [watch-changes=200] [poll-changes=20] [reconcile-passes=500]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/Converge -c Release -v quiet -nologo >/dev/null
dotnet bench/Converge/bin/Release/net10.0/Converge.dll "$@"
