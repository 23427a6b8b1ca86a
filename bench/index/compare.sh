#!/bin/sh
# Rank latency of this checkout against an earlier revision, side by side in one run
# (issue 15, item 6): builds both, a store for each (the same imports: every source of
# ../shared/data and the ledger), then prints for each
#   warm: BenchmarkRankWarm (20 focal states at 2025-06 in turn, an engine that keeps its
#         facts, as serve's does): p50 and p99 per call
#   cold: `entente rank RUS --at 2025-06` as a process, as users type it (with its
#         coverage note; stderr discarded), best and worst of 5, four ways:
#         without the read cache (ENTENTE_CACHE=off: DuckDB started, every fact read);
#         the first rank at a date of a year no command has read (an empty cache);
#         the ranks that follow an import (which warms the cache for the year of the
#         store's default date): RUS, CHN, USA, IND and FIN at 2025-06, each a process;
#         the ranks that follow `entente cache warm` (every year of the store; its time
#         is printed): ten focal states at dates of ten different years, each a process
# and the ratios. The peer has no read cache: its cold figure stands in every cold row. BASE (default 4e9ec14, the end of the first rebuild session) is the
# peer. The earlier revision may lack BenchmarkRankWarm: its warm figure is then
# BenchmarkRank's time per op (the same query repeated).
#   sh bench/index/compare.sh
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
data=${DATA:-$root/../shared/data}
base=${BASE:-4e9ec14}
tmp=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$tmp/base" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
git -C "$root" worktree add -q --detach "$tmp/base" "$base"
export ENTENTE_CACHE="$tmp/cache"
build() { # build DIR BIN STORE
	(cd "$1" && go build -o "$2" ./cmd/entente)
	b=$2
	db=$3
	"$b" import unvotes "$data/unvotes/voeten_votes_1946_2024.csv" "$data/unvotes/un_votes_2025_processed.csv" --db "$db" --quiet >/dev/null
	"$b" import atop "$data/alliances/peacesciencer_atop_alliance.csv" --db "$db" --quiet >/dev/null
	"$b" import igo "$data/igo/manyigos_COW_MEM_memberships.csv" --db "$db" --quiet >/dev/null
	"$b" import ledger "$1/data/ledger" --db "$db" --quiet >/dev/null
	"$b" import aid "$data/aid/kiel_ust_data_explorer.csv" --db "$db" --quiet >/dev/null
	"$b" import gdelt "$data/gdelt/v2" --db "$db" --quiet >/dev/null
	"$b" import force "$data/conflict" "$data/arms" --db "$db" --quiet >/dev/null 2>&1 || true
	"$b" import idealpoints "$data/idealpoints/IdealpointsJuly2025.csv" --db "$db" --quiet >/dev/null 2>&1 || true
}
build "$tmp/base" "$tmp/old" "$tmp/old.duckdb"
build "$root" "$tmp/new" "$tmp/new.duckdb"
warm() { # warm DIR STORE: the benchmark's p50 and p99 (ms)
	out=$(cd "$1" && ENTENTE_INDEX_DB=$2 go test -run '^$' -bench 'BenchmarkRankWarm$' -benchtime 200x ./index/ 2>/dev/null | grep '^BenchmarkRankWarm' || true)
	if [ -n "$out" ]; then
		echo "$out" | awk '{for (i = 1; i <= NF; i++) { if ($i == "p50-ms") p50 = $(i-1); if ($i == "p99-ms") p99 = $(i-1) } print p50, p99}'
	else
		(cd "$1" && ENTENTE_INDEX_DB=$2 go test -run '^$' -bench 'BenchmarkRank$' -benchtime 50x ./index/ 2>/dev/null) |
			awk '/^BenchmarkRank/ { ms = $3 / 1e6; print ms, ms }'
	fi
}
spread() { sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo, hi }'; }
cold() { # cold BIN STORE: best and worst of 5 process runs (s), no read cache
	for _ in 1 2 3 4 5; do
		ENTENTE_CACHE=off /usr/bin/time -o "$tmp/t" -f "%e" "$1" rank RUS --at 2025-06 --db "$2" >/dev/null 2>&1
		cat "$tmp/t"
	done | spread
}
coldFirst() { # coldFirst BIN STORE: best and worst of 5 first ranks at a date of 2025 (s), the cache empty each time
	for _ in 1 2 3 4 5; do
		rm -rf "$tmp/cache-first"
		ENTENTE_CACHE="$tmp/cache-first" /usr/bin/time -o "$tmp/t" -f "%e" "$1" rank RUS --at 2025-06 --db "$2" >/dev/null 2>&1
		cat "$tmp/t"
	done | spread
}
coldKept() { # coldKept BIN STORE: best and worst of the ranks of five focal states after the import (s)
	for f in RUS CHN USA IND FIN; do
		/usr/bin/time -o "$tmp/t" -f "%e" "$1" rank $f --at 2025-06 --db "$2" >/dev/null 2>&1
		cat "$tmp/t"
	done | spread
}
coldWarmed() { # coldWarmed BIN STORE: best and worst of ten ranks at dates of ten years after 'cache warm' (s)
	for q in USA:1962-10 FRA:1975 CHN:1989-06 IND:1998-05-11 BRA:2001-09-11 GBR:2008 UKR:2014-03 TUR:2016-07-15 ARM:2020-10 FIN:2023-04; do
		/usr/bin/time -o "$tmp/t" -f "%e" "$1" rank "${q%%:*}" --at "${q#*:}" --db "$2" >/dev/null 2>&1
		cat "$tmp/t"
	done | spread
}
# The builds and imports leave the disk flushing and the load up for a while: the warm
# figures, a p99 of 200 calls, want the machine settled.
sync
sleep "${SETTLE:-20}"
set -- $(warm "$tmp/base" "$tmp/old.duckdb"); ow50=$1; ow99=$2
set -- $(warm "$root" "$tmp/new.duckdb"); nw50=$1; nw99=$2
set -- $(cold "$tmp/old" "$tmp/old.duckdb"); oc1=$1; oc2=$2
set -- $(coldKept "$tmp/new" "$tmp/new.duckdb"); nk1=$1; nk2=$2
set -- $(cold "$tmp/new" "$tmp/new.duckdb"); nc1=$1; nc2=$2
set -- $(coldFirst "$tmp/new" "$tmp/new.duckdb"); nf1=$1; nf2=$2
/usr/bin/time -o "$tmp/t" -f "%e" "$tmp/new" cache warm --db "$tmp/new.duckdb" --quiet >/dev/null
cw=$(cat "$tmp/t")
set -- $(coldWarmed "$tmp/new" "$tmp/new.duckdb"); nw1=$1; nw2=$2
echo "rank latency, $base (peer) against this checkout, on $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
printf '%-44s %12s %12s %8s\n' "" "$base" "this" "ratio"
printf '%-44s %12s %12s %8s\n' "warm p50 (ms)" "$ow50" "$nw50" "$(echo "$nw50 $ow50" | awk '{printf "%.2f", $1/$2}')"
printf '%-44s %12s %12s %8s\n' "warm p99 (ms; target < 20)" "$ow99" "$nw99" "$(echo "$nw99 $ow99" | awk '{printf "%.2f", $1/$2}')"
ratio() { echo "$1 $2" | awk '{printf "%.2f", $1/$2}'; }
printf '%-44s %12s %12s %8s\n' "cold, after an import, best (s; < 0.1)" "$oc1" "$nk1" "$(ratio "$nk1" "$oc1")"
printf '%-44s %12s %12s %8s\n' "cold, after an import, worst (s)" "$oc2" "$nk2" "$(ratio "$nk2" "$oc2")"
printf '%-44s %12s %12s %8s\n' "cold, first at a new year's date, best (s)" "$oc1" "$nf1" "$(ratio "$nf1" "$oc1")"
printf '%-44s %12s %12s %8s\n' "cold, first at a new year's date, worst (s)" "$oc2" "$nf2" "$(ratio "$nf2" "$oc2")"
printf '%-44s %12s %12s %8s\n' "cold, after cache warm, 10 years, best (s)" "$oc1" "$nw1" "$(ratio "$nw1" "$oc1")"
printf '%-44s %12s %12s %8s\n' "cold, after cache warm, 10 years, worst (s)" "$oc2" "$nw2" "$(ratio "$nw2" "$oc2")"
printf '%-44s %12s %12s %8s\n' "entente cache warm, 1946-2025 (s)" "-" "$cw" "-"
printf '%-44s %12s %12s %8s\n' "cold, no read cache, best (s)" "$oc1" "$nc1" "$(ratio "$nc1" "$oc1")"
printf '%-44s %12s %12s %8s\n' "cold, no read cache, worst (s)" "$oc2" "$nc2" "$(ratio "$nc2" "$oc2")"
