#!/bin/sh
# Benchmark of 'entente panel' (the index of every directed dyad and year) against its
# peer, one 'entente rank FOCAL --at YEAR' per focal state and year. The store is the
# validation store's sources (UN votes, ATOP, the repository's ledger), built once in
# $ENTENTE_PANEL_DB (default /tmp/entente-panel-bench.duckdb), or a copy of $STORE when
# set (STORE=/work/s.duckdb). Prints the panel's time, rows and file sizes (CSV and
# Parquet), then the peer: SAMPLE rank calls (default 12) on focal-years spread over the
# range, timed one by one as a user's script would run them (process and store open
# included), extrapolated to the panel's focal-years, and the ratio; then the Go
# benchmarks of one year (in process, warm): the panel's year against RankState per focal
# state.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
data=${DATA:-$root/../shared/data}
db=${ENTENTE_PANEL_DB:-/tmp/entente-panel-bench.duckdb}
from=${FROM:-1990}
to=${TO:-2025}
sample=${SAMPLE:-12}
tmp=$(mktemp -d)
bin=$tmp/entente
cd "$root"
go build -o "$bin" ./cmd/entente
if [ ! -e "$db" ]; then
	if [ -n "${STORE:-}" ]; then
		cp "$STORE" "$db"
	else
		"$bin" import unvotes "$data/unvotes/voeten_votes_1946_2024.csv" "$data/unvotes/un_votes_2025_processed.csv" --db "$db" --quiet >/dev/null
		"$bin" import atop "$data/alliances/peacesciencer_atop_alliance.csv" --db "$db" --quiet >/dev/null
		"$bin" import ledger data/ledger --db "$db" --quiet >/dev/null
	fi
fi
echo "store $db; panel $from-$to, $(nproc) cores"

now() { date +%s.%N; }
for fmt in parquet csv; do
	out=$tmp/panel.$fmt
	t0=$(now)
	"$bin" panel --from "$from" --to "$to" --format "$fmt" --output "$out" --db "$db" 2>"$tmp/note.$fmt"
	t1=$(now)
	printf 'panel %-8s %6.1f s  %s bytes  %s\n' "$fmt" "$(echo "$t1 - $t0" | bc)" "$(stat -c %s "$out")" "$(cat "$tmp/note.$fmt")"
done
panel_s=$(echo "$t1 - $t0" | bc) # the CSV run: the peer writes CSV too
rows=$(($(wc -l <"$tmp/panel.csv") - 1))
focal_years=$(tail -n +2 "$tmp/panel.csv" | cut -d, -f3,4 | sort -u | wc -l)
echo "panel: $rows rows, $focal_years focal-years"

# The peer: rank calls on focal-years spread over the range and the states.
tail -n +2 "$tmp/panel.csv" | cut -d, -f3,4 | sort -u | awk -v n="$sample" -v total="$focal_years" \
	'BEGIN { step = int(total / n); if (step < 1) step = 1 } (NR - 1) % step == 0 && c < n { print; c++ }' >"$tmp/sample"
t0=$(now)
k=0
while IFS=, read -r year iso3; do
	"$bin" rank "$iso3" --at "$year" --format csv --quiet --db "$db" >/dev/null
	k=$((k + 1))
done <"$tmp/sample"
t1=$(now)
per=$(echo "($t1 - $t0) / $k" | bc -l)
est=$(echo "$per * $focal_years" | bc -l)
printf 'peer: %d rank calls, %.3f s each; x %d focal-years = %.0f s (%.1f min)\n' "$k" "$per" "$focal_years" "$est" "$(echo "$est / 60" | bc -l)"
printf 'ratio (rank calls / panel csv): %.1f\n' "$(echo "$est / $panel_s" | bc -l)"

echo "Go benchmarks, one year (2024), in process:"
ENTENTE_INDEX_DB=$db go test -run '^$' -bench 'BenchmarkPanelYear|BenchmarkRankStateYear' -benchtime 2x ./index/ | grep Benchmark
rm -rf "$tmp"
