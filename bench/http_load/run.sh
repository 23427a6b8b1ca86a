#!/bin/sh
# Load benchmark of the HTTP API (issue 7): GET /api/v1/rank/RUS, the ranking of every
# state with Russia, on a store with every source of ../shared/data and the repository's
# ledger (built once with 'entente up --no-serve', kept in $ENTENTE_LOAD_DB, default
# /tmp/entente-http-load.duckdb). Target: >= 2,000 req/s with p99 < 50 ms on 2 cores.
#   1. in-process server, closed loop, 16 connections
#   2. 'entente serve' in its own process, closed loop, 16 connections (client and
#      server share the machine's cores)
#   3. the same server, open loop at 2,000 req/s (latency from the scheduled time)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
data=${DATA:-$root/../shared/data}
db=${ENTENTE_LOAD_DB:-/tmp/entente-http-load.duckdb}
dur=${DURATION:-20s}
port=${PORT:-18090}
tmp=$(mktemp -d)
bin=$tmp/entente
cd "$root"
go build -o "$bin" ./cmd/entente
go build -o "$tmp/http_load" ./bench/http_load
if [ ! -e "$db" ]; then
	"$bin" up --mirror "$data" --data "$tmp/data" --db "$db" --no-serve --quiet
fi
echo "== 1. in-process server"
"$tmp/http_load" -db "$db" -d "$dur" -c 16
"$bin" serve --db "$db" --addr "127.0.0.1:$port" 2>"$tmp/serve.log" &
pid=$!
trap 'kill -INT $pid 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in 1 2 3 4 5 6 7 8 9 10; do
	curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
	sleep 0.5
done
echo "== 2. entente serve, closed loop"
"$tmp/http_load" -url "http://127.0.0.1:$port" -d "$dur" -c 16
echo "== 3. entente serve, open loop at 2000 req/s"
"$tmp/http_load" -url "http://127.0.0.1:$port" -d "$dur" -c 64 -rate 2000
echo "== server metrics (rank route)"
curl -s "http://127.0.0.1:$port/metrics" | grep -E 'route="GET /api/v1/rank/\{focal\}"' | grep -E '_count|le="0.005"|le="0.05"|code='
