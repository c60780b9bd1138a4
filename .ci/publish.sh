#!/usr/bin/env bash
# Publishes the Native AOT binary and fails on any trim/AOT/compiler warning.
# usage: publish.sh dynamic|static OUTPUT_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
flavour=$1
out=$2
# Each flavour keeps its own intermediate directory: the native link step is incremental and would
# otherwise hand one flavour's binary to the other.
args=(src/Sidecar -r linux-x64 -c Release -o "$out" "-p:IntermediateOutputPath=obj/publish-$flavour/")
if [ "$flavour" = static ]; then
  # Flags from docs: a non-PIE static glibc link with OpenSSL linked in (static-PIE trips a binutils
  # assertion; dlopen'ed OpenSSL crashed in static binaries).
  args+=(-p:StaticExecutable=true -p:PositionIndependentExecutable=false -p:StaticOpenSslLinking=true)
fi
log=$(mktemp)
dotnet publish "${args[@]}" 2>&1 | tee "$log"
# glibc's linker notes about NSS/dlopen in static binaries, and a CMake notice from the SDK's own build of
# its static OpenSSL shim, are expected for the static flavour and are
# not trim/AOT warnings; everything else that says "warning" fails the build.
if grep -i "warning" "$log" | grep -v -e "in statically linked applications requires at runtime" -e "CMake warning :" | grep -q .; then
  echo "publish ($flavour) produced warnings:" >&2
  grep -i "warning" "$log" | grep -v -e "in statically linked applications requires at runtime" -e "CMake warning :" >&2
  exit 1
fi
# sidecar.dbg stays beside the binary (never shipped): the binary carries no stack trace names, so its
# symbols are how an unexpected exception's frames get their method names back.
ls -l "$out/sidecar"
