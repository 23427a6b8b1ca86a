#!/bin/sh
# Saturation benchmark of the HTTP API (issue 18): 'entente serve' on loopback over a
# store with every source of ../shared/data and the ledger (built once with
# 'entente up --no-serve', kept in $ENTENTE_LOAD_DB, default
# /tmp/entente-http-load.duckdb, shared with bench/http_load), loaded for $DURATION
# (default 60s) from 64 connections with distinct drift and uncached rank requests,
# then watched idle for $IDLE (default 60s).
# Targets: no dropped connection, no 500; every 503/429 with Retry-After; p99 of the
# requests served under 5 s; server peak RSS under 1.5 GB, under 600 MB after 60 s idle.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
data=${DATA:-$root/../shared/data}
db=${ENTENTE_LOAD_DB:-/tmp/entente-http-load.duckdb}
dur=${DURATION:-60s}
idle=${IDLE:-60s}
port=${PORT:-18091}
tmp=$(mktemp -d)
bin=$tmp/entente
cd "$root"
go build -o "$bin" ./cmd/entente
go build -o "$tmp/http_saturation" ./bench/http_saturation
if [ ! -e "$db" ]; then
	"$bin" up --mirror "$data" --data "$tmp/data" --db "$db" --no-serve --quiet
fi
"$bin" serve --db "$db" --addr "127.0.0.1:$port" 2>"$tmp/serve.log" &
pid=$!
trap 'kill -INT $pid 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
	sleep 0.5
done
"$tmp/http_saturation" -url "http://127.0.0.1:$port" -pid "$pid" -c 64 -d "$dur" -idle "$idle"
