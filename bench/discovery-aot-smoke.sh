#!/usr/bin/env bash
# Smoke check of the published (Native AOT) executable against the stand-in Kubernetes API server:
# TLS with the stand-in's own CA, bearer token, list + watch, JSON through the generated context.
# Passes when the sidecar publishes mysql.abc and then withdraws it as the stand-in toggles it.
# Usage: bench/discovery-aot-smoke.sh [path/to/published/sidecar]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-src/Sidecar/bin/Release/net10.0/linux-x64/publish/sidecar}
dotnet build bench/Converge -c Release -v quiet -nologo >/dev/null
dir=$(mktemp -d)
trap 'kill "$serve" 2>/dev/null || true; rm -rf "$dir"' EXIT
dotnet bench/Converge/bin/Release/net10.0/Converge.dll serve "$dir" 8 >"$dir/serve.log" 2>&1 &
serve=$!
for _ in $(seq 100); do grep -q '^kubeconfig ' "$dir/serve.log" && break; sleep 0.1; done
kubeconfig=$(awk '/^kubeconfig /{print $2}' "$dir/serve.log")
timeout 5 "$bin" --kubeconfig "$kubeconfig" --mapped-services mysql.abc --ip-range 127.1.0.0/24 \
  --dns-addr "127.0.0.2:$((20000 + RANDOM % 20000))" --frps-addr 127.0.0.1 --admin-addr "" >"$dir/sidecar.log" 2>&1 || true
grep -q 'DNS now answers mysql.abc with ' "$dir/sidecar.log" && grep -q 'DNS no longer answers mysql.abc' "$dir/sidecar.log" \
  && echo "PASS: the AOT binary followed the stand-in API (publish and withdraw)" \
  || { echo "FAIL"; cat "$dir/sidecar.log"; exit 1; }
