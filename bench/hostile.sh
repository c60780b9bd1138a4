#!/usr/bin/env bash
# Runs every hostile-neighbour benchmark in bench/hostile/ in turn against the published binary and prints
# each one's figures next to its target (issue 11: TCP DNS flood, slow admin clients, file bombs).
# Usage: bench/hostile.sh        Environment: SIDECAR_BIN as for each script.
set -uo pipefail
dir=$(cd "$(dirname "$0")/hostile" && pwd)
status=0
for script in "$dir"/*.sh; do
  [ "$(basename "$script")" = common.sh ] && continue
  echo
  echo "### $(basename "$script")"
  bash "$script" || status=1
done
exit $status
