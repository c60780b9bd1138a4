#!/usr/bin/env bash
# Installs the Debian packages the tests, smoke tests and benchmarks use, only when missing.
#   dnsutils: dig (DNS client tests)    dnsperf, dnsmasq-base, knot: DNS benchmark peers
#   socat, iperf3: forwarder tests and benchmark peers    libssl-dev: static OpenSSL for the static binary
#   procps: ps/pgrep in smoke tests    curl, util-linux (unshare, mountpoint): the empty-root smoke test
#   systemd: systemd-analyze verify for deploy/systemd/sidecar.service (installing it in a container only
#     adds files; it does not become PID 1 or start anything)
set -euo pipefail
packages=(dnsutils dnsperf dnsmasq-base knot socat iperf3 libssl-dev procps curl util-linux systemd)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "all present: ${packages[*]}"
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing: ${missing[*]}"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
# knot's package starts a system service on port 53; the benchmarks run their own instance.
$sudo systemctl disable --now knot 2>/dev/null || true
