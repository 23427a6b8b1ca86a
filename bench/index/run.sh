#!/bin/sh
# Benchmarks of the alignment index on the real data (issue 6): builds a store with every
# source of ../shared/data and the repository's ledger (once, kept in $ENTENTE_INDEX_DB,
# default /tmp/entente-index-bench.duckdb), then times, warm:
#   rank RUS --at 2025-06 --signal index   target < 100 ms (Go benchmark and the CLI)
#   drift RUS --since 2010 --until 2025-06 target < 2 s
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
data=${DATA:-$root/../shared/data}
db=${ENTENTE_INDEX_DB:-/tmp/entente-index-bench.duckdb}
bin=$(mktemp -d)/entente
cd "$root"
go build -o "$bin" ./cmd/entente
if [ ! -e "$db" ]; then
	"$bin" import unvotes "$data/unvotes/voeten_votes_1946_2024.csv" "$data/unvotes/un_votes_2025_processed.csv" --db "$db" --quiet >/dev/null
	"$bin" import atop "$data/alliances/peacesciencer_atop_alliance.csv" --db "$db" --quiet >/dev/null
	"$bin" import ledger data/ledger --db "$db" --quiet >/dev/null
	"$bin" import aid "$data/aid/kiel_ust_data_explorer.csv" --db "$db" --quiet >/dev/null
	"$bin" import gdelt "$data/gdelt/v2" --db "$db" --quiet >/dev/null
fi
ENTENTE_INDEX_DB=$db go test -run '^$' -bench 'BenchmarkRank|BenchmarkDrift' -benchtime 20x ./index/
for i in 1 2 3; do
	/usr/bin/time -f "rank  (process, store open included): %e s, %M KB" "$bin" rank RUS --at 2025-06 --signal index --db "$db" --quiet >/dev/null
done
for i in 1 2; do
	/usr/bin/time -f "drift (process, store open included): %e s, %M KB" "$bin" drift RUS --since 2010 --until 2025-06 --db "$db" --quiet >/dev/null
done
