#!/usr/bin/env bash
# Load figures for the release binary on loopback, each as a ratio to /healthz measured in the
# same run (the machines are shared, so only ratios compare across runs).
# Needs wrk (apt-get install -y wrk). Every run is bounded: DURATION seconds per endpoint.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-5}
PORT=${PORT:-18089}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install -y wrk)" >&2; exit 1; }
cargo build --release --quiet
dir=$(mktemp -d)
# A token issued offline before the first start, so the server creates none of its own.
token=$(./target/release/jixiao token create --role admin --db "$dir/load.db")
./target/release/jixiao --addr "127.0.0.1:$PORT" --db "$dir/load.db" >"$dir/log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done

cat >"$dir/score.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
local f = io.open("data/examples/hengyang-2020-department.json")
wrk.body = f:read("*a")
f:close()
LUA

rate() { wrk -t2 -c16 -d"${DURATION}s" "$@" | awk '/Requests\/sec/ {print $2}'; }
base=$(rate "http://127.0.0.1:$PORT/healthz")
printf '%-40s %10s req/s  ratio\n' "endpoint" ""
printf '%-40s %10.0f        1.00\n' "GET /healthz (baseline)" "$base"
# The examples are published, so anyone reads them; with a token, each request also looks the
# token up.
for path in /api/v1/evaluations/1 "/api/v1/evaluations?limit=50" /api/v1/evaluations/1/form \
  /api/v1/evaluations/1/form.html /api/v1/evaluations/1/form.xlsx; do
  r=$(rate "http://127.0.0.1:$PORT$path")
  printf '%-40s %10.0f  %10.2f\n' "GET $path" "$r" "$(echo "$r / $base" | bc -l)"
done
r=$(rate -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT/api/v1/evaluations/1")
printf '%-40s %10.0f  %10.2f\n' "GET /api/v1/evaluations/1 (with token)" "$r" "$(echo "$r / $base" | bc -l)"
r=$(rate -s "$dir/score.lua" "http://127.0.0.1:$PORT/api/v1/score")
printf '%-40s %10.0f  %10.2f\n' "POST /api/v1/score (seed)" "$r" "$(echo "$r / $base" | bc -l)"
rss=$(awk '/VmHWM/ {print $2}' "/proc/$server/status")
echo "peak resident memory of the server: ${rss} KiB"
