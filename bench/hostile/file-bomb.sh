#!/usr/bin/env bash
# Hostile files against the published (Native AOT) sidecar's file source.
# Each attack replaces the watched file (temp file + rename); the script waits until the sidecar has read it,
# then prints the peak RSS of that read (VmHWM, reset before each attack via /proc/PID/clear_refs) and how
# long idle RSS took to return within 2 MiB of the idle RSS before the attacks, next to the targets:
# peak <= 64 MiB (the Pod example's limit), back within 2 MiB in <= 10 s, healthy and the last good state kept.
# Usage: bench/hostile/file-bomb.sh [path/to/published/sidecar]
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$(realpath "${1:-artifacts/publish/dynamic/sidecar}")
dir=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
file=$dir/frpservers.yaml
admin=127.0.0.1:$((20000 + RANDOM % 20000))
peak_target_kib=$((64 * 1024)) recover_target_kib=2048 recover_target_s=10

good() { # $1: proxy name
  sed "s/mysql\.abc/$1/g; s/bindAddr: 0\.0\.0\.0/bindAddr: 127.0.0.1/" tests/Sidecar.Tests/Discovery/Data/frpserver-sample.yaml
}
# A List of N resources, each with 100 proxies (about 31 KB of YAML per resource); the first proxy is mysql.abc.
many() {
  python3 - "$1" <<'PY'
import sys
n = int(sys.argv[1])
print("apiVersion: v1\nkind: List\nitems:")
for r in range(n):
    print(f"- apiVersion: tunnel.kubeinfra.io/v1alpha1\n  kind: FRPServer\n  metadata:\n    name: frps-{r}\n    resourceVersion: \"{r}\"\n  spec:\n    bindAddr: 127.0.0.1\n    bindPort: 17000\n  status:\n    activeConnections:")
    for p in range(100):
        name, kind = ("mysql.abc", "tcp") if r == 0 and p == 0 else (f"svc-{r}-{p}.abc", "stcp")
        print(f"    - proxyName: {name}\n      proxyType: {kind}\n      status: online\n      clientVersion: 0.61.2\n      startTime: \"0000-05-04T23:10:04Z\"\n      todayTrafficIn: 4029\n      todayTrafficOut: 4969\n      proxyConfig:\n        localIP: 127.0.0.1\n        remotePort: 2000\n        secretKey: k{r}x{p}\n        type: {kind}")
PY
}
nested() { python3 -c "import sys; d=int(sys.argv[1]); print('metadata: {name: deep}\nspec: ' + '['*d + ']'*d)" "$1"; }
alias_bomb() { # the 585-byte "billion laughs": 9 levels of 9 aliases
  python3 - <<'PY'
lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
prev = 'a'
for name in 'bcdefghi':
    lines.append(f'{name}: &{name} [' + ','.join(['*' + prev] * 9) + ']')
    prev = name
print('\n'.join(lines))
PY
}
put() { cat > "$file.tmp"; mv -f "$file.tmp" "$file"; }
rss() { awk '/^VmRSS/{print $2}' "/proc/$pid/status"; }
hwm() { awk '/^VmHWM/{print $2}' "/proc/$pid/status"; }
reads() { grep -c -E 'Loaded [0-9]+ FRPServers from|Cannot parse|Not reading|Cannot read' "$dir/sidecar.log" || true; }
http() { curl -s -o /dev/null -w '%{http_code}' "http://$admin$1"; }

good mysql.abc | put
"$bin" --source "file:$file" --mapped-services mysql.abc,redis.abc --ip-range 127.1.0.0/24 \
  --dns-addr "127.0.0.2:$((20000 + RANDOM % 20000))" --admin-addr "$admin" --state-dir "$dir/state" \
  --log-level debug >"$dir/sidecar.log" 2>&1 &
pid=$!
for _ in $(seq 100); do [ "$(http /readyz)" = 200 ] && break; sleep 0.1; done
[ "$(http /readyz)" = 200 ] || { echo "FAIL: the sidecar did not become ready"; cat "$dir/sidecar.log"; exit 1; }
sleep 3
idle=$(rss)
printf 'binary %s (%s bytes); idle RSS before the attacks: %.1f MiB\n' "$bin" "$(stat -c %s "$bin")" "$(echo "$idle/1024" | bc -l)"
printf '%-28s %10s %14s %24s %8s %6s\n' attack bytes "peak MiB" "idle back within 2 MiB" healthz state
fail=0
attack() { # $1: name, $2: the file; $3: "accepted" when the file is valid and its state is kept on purpose
  local before peak back=-1 t0 size health state=kept ok=PASS idle_after
  echo 5 > "/proc/$pid/clear_refs" # resets VmHWM (peak RSS) to the current RSS
  before=$(reads)
  size=$(stat -c %s "$2"); mv -f "$2" "$file"
  for _ in $(seq 600); do [ "$(reads)" -gt "$before" ] && break; sleep 0.05; done
  sleep 0.5
  peak=$(hwm)
  t0=$(date +%s.%N)
  for _ in $(seq 150); do
    if [ "$(rss)" -le $((idle + recover_target_kib)) ]; then back=$(echo "$(date +%s.%N) - $t0 + 0.5" | bc -l); break; fi
    sleep 0.1
  done
  idle_after=$(rss)
  health=$(http /healthz)
  curl -s "http://$admin/debug/mappings" | grep -q '"mysql.abc"' || state=LOST
  [ "$peak" -le "$peak_target_kib" ] || ok=FAIL
  [ "$health" = 200 ] || ok=FAIL
  if [ "${3:-}" = accepted ]; then
    recovered="n/a: +$(echo "($idle_after - $idle)/1024" | bc -l | xargs printf '%.1f') MiB held"
  else
    [ "$back" != -1 ] || ok=FAIL
    [ "$state" = kept ] || ok=FAIL
    recovered=$([ "$back" = -1 ] && echo ">15 s" || printf '%.1f s (<=10 s)' "$back")
  fi
  [ "$ok" = PASS ] || fail=1
  printf '%-28s %10s %7.1f (<=64) %24s %8s %6s  %s\n' "$1" "$size" "$(echo "$peak/1024" | bc -l)" "$recovered" "$health" "$state" "$ok"
}
a=$dir/attack
many 950 > "$a"; attack "30 MB file" "$a"
many 1580 > "$a"; attack "50 MB file" "$a"
nested 100000 > "$a"; attack "nested 100,000 deep (YAML)" "$a"
python3 -c "d=100000; print('{\"metadata\":{\"name\":\"deep\"},\"spec\":' + '['*d + ']'*d + '}')" > "$a"; attack "nested 100,000 deep (JSON)" "$a"
alias_bomb > "$a"; attack "alias bomb (9 x 9 levels)" "$a"
many 128 > "$a"; attack "largest accepted (~4 MB)" "$a" accepted
good mysql.abc | sed 's/todayTrafficIn: 4029/todayTrafficIn: 1/' > "$a"; attack "a good file again" "$a"
good redis.abc | put
for _ in $(seq 100); do curl -s "http://$admin/debug/mappings" | grep -q '"redis.abc"' && break; sleep 0.1; done
curl -s "http://$admin/debug/mappings" | grep -q '"redis.abc"' && echo "an edited good file after the attacks is in effect (redis.abc mapped)" \
  || { echo "FAIL: the good file after the attacks was not applied"; fail=1; }
grep -c -E 'Not reading|Cannot parse' "$dir/sidecar.log" | xargs printf 'refusals logged: %s\n'
[ "$fail" = 0 ] && echo "PASS: every hostile file within the targets" || { echo "FAIL"; exit 1; }
