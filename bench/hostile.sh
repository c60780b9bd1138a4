#!/usr/bin/env bash
# Runs every attack script in bench/hostile/ against the published (Native AOT) binary; each prints its
# figures next to its targets and fails if one is missed.
# Usage: bench/hostile.sh [path/to/published/sidecar]   (publishes the dynamic flavour when none is given)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-artifacts/publish/dynamic/sidecar}
[ -x "$bin" ] || bash .ci/publish.sh dynamic artifacts/publish/dynamic >/dev/null
rc=0
for script in bench/hostile/*.sh; do
  echo "== $script"
  bash "$script" "$bin" || rc=1
done
exit "$rc"
