#!/usr/bin/env bash
# Injection webhook benchmark: admission latency p50/p99 at an open-loop 200 requests/s over keep-alive HTTPS
# (as the API server calls a webhook: HTTP/1.1, connections reused), and the webhook's RSS, against nginx
# answering the same AdmissionReview bytes from a fixed `return` in the same run: TLS and HTTP with no work,
# the floor. Alternating runs, medians printed. Target: p99 <= 5 ms (the API server's default webhook timeout
# is 10 s, deploy/injector uses 5 s).
#
# Ours: the published binary (SIDECAR_BIN, default artifacts/publish/dynamic/sidecar; build it with
#   bash .ci/publish.sh dynamic artifacts/publish/dynamic) running `sidecar inject`.
# Load: bench/InjectBench (HttpClient/SocketsHttpHandler, one pool, latency from send to whole answer).
# Loopback only. Needs: dotnet, openssl, nginx (installed below when missing, as .ci/install-packages.sh does).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIDECAR_BIN=${SIDECAR_BIN:-$ROOT/artifacts/publish/dynamic/sidecar}
RATE=${RATE:-200}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-30}
RUNS=${RUNS:-3}

[[ -x "$SIDECAR_BIN" ]] || { echo "no published binary at $SIDECAR_BIN: bash .ci/publish.sh dynamic artifacts/publish/dynamic" >&2; exit 1; }

# The peer, from Debian, only when missing (the .ci/install-packages.sh pattern). Its package starts a
# system nginx on port 80; stop it, this benchmark runs its own instance.
if ! command -v nginx >/dev/null && ! [[ -x /usr/sbin/nginx ]]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing: nginx" >&2
  $sudo apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends nginx >&2
  $sudo systemctl disable --now nginx 2>/dev/null || $sudo service nginx stop 2>/dev/null || true
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

source "$(dirname "$0")/lib.bash"

pss_tree_kb() {  # nginx: its master and worker
  local total=0 p
  for p in "$1" $(pgrep -P "$1" || true); do
    total=$((total + $(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
wait_https() { for _ in $(seq 1 200); do curl -skf -o /dev/null "$1" && return 0; sleep 0.05; done; echo "no answer from $1" >&2; exit 1; }

echo "building the load generator..." >&2
dotnet build -c Release "$ROOT/bench/InjectBench" -v q -nologo >/dev/null
LOAD=(dotnet "$ROOT/bench/InjectBench/bin/Release/net10.0/InjectBench.dll")
"${LOAD[@]}" review >"$WORK/review.json"

# One self-signed ECDSA P-256 pair for both servers (cert-manager's deploy/injector/certificate.yaml kind).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$WORK/tls.key" -out "$WORK/tls.crt" 2>/dev/null

OURS_PORT=$("${LOAD[@]}" freeport)
"$SIDECAR_BIN" inject --listen-addr "127.0.0.1:$OURS_PORT" --tls-cert-file "$WORK/tls.crt" --tls-key-file "$WORK/tls.key" \
  --log-level warn & OURS_PID=$!; PIDS+=($!)
wait_https "https://127.0.0.1:$OURS_PORT/healthz"

# The peer answers with the webhook's own response, byte for byte.
curl -sk --data-binary "@$WORK/review.json" -H 'Content-Type: application/json' "https://127.0.0.1:$OURS_PORT/mutate" >"$WORK/response.json"
grep -q '"patch"' "$WORK/response.json" || { echo "the webhook did not patch the bench Pod" >&2; exit 1; }
NGINX_PORT=$("${LOAD[@]}" freeport)
mkdir -p "$WORK/nginx"
cat >"$WORK/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  keepalive_requests 1000;
  keepalive_timeout 120s;
  client_max_body_size 1m;
  server {
    listen 127.0.0.1:$NGINX_PORT ssl;
    ssl_certificate $WORK/tls.crt;
    ssl_certificate_key $WORK/tls.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    location = /mutate { default_type application/json; return 200 '$(sed -e 's/\\/\\\\/g' -e "s/'/\\\\'/g" "$WORK/response.json")'; }
    location = /healthz { return 200 'ok\n'; }
  }
}
CONF
"$NGINX" -p "$WORK/nginx" -c "$WORK/nginx.conf" & NGINX_PID=$!; PIDS+=($!)
wait_https "https://127.0.0.1:$NGINX_PORT/healthz"
curl -sk --data-binary "@$WORK/review.json" "https://127.0.0.1:$NGINX_PORT/mutate" | cmp -s - "$WORK/response.json" \
  || { echo "nginx does not answer the webhook's bytes" >&2; exit 1; }

run() {  # name url
  local line
  line=$("${LOAD[@]}" load "$2" "$WORK/review.json" "$RATE" "$SECONDS_PER_RUN")
  echo "$1 $line" >&2
  for key in p50_ms p99_ms errors connections; do
    sed -E "s/.*$key=([0-9.]+).*/\1/" <<<"$line" >>"$WORK/$1.$key"
  done
}
for i in $(seq 1 "$RUNS"); do
  run ours "https://127.0.0.1:$OURS_PORT/mutate"
  run nginx "https://127.0.0.1:$NGINX_PORT/mutate"
  echo "run $i/$RUNS done" >&2
done

echo
echo "Admission latency at $RATE requests/s open loop over keep-alive HTTPS, ${SECONDS_PER_RUN}s x $RUNS runs, medians of runs ($(nproc) cores)"
printf '%-34s %10s %10s %8s %12s\n' "" "p50 ms" "p99 ms" "errors" "connections"
for who in ours nginx; do
  label=$([[ $who == ours ]] && echo "sidecar inject (AOT, $(basename "$SIDECAR_BIN"))" || echo "nginx $("$NGINX" -v 2>&1 | sed 's/.*\///') fixed response (floor)")
  printf '%-34s %10s %10s %8s %12s\n' "$label" "$(median <"$WORK/$who.p50_ms")" "$(median <"$WORK/$who.p99_ms")" \
    "$(paste -sd+ "$WORK/$who.errors" | bc)" "$(median <"$WORK/$who.connections")"
done
echo
echo "Memory after the runs: sidecar inject RSS $(( $(status_kb "$OURS_PID" VmRSS) / 1024 )) MiB (peak $(( $(status_kb "$OURS_PID" VmHWM) / 1024 )) MiB);" \
  "nginx master+worker PSS $(( $(pss_tree_kb "$NGINX_PID") / 1024 )) MiB"
echo "Target: p99 <= 5 ms."
