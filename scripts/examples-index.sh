#!/bin/sh
# Regenerates the index examples in docs/examples (the seed cases of docs/index.md) from
# a store with every dataset of ../shared/data and the repository's ledger:
#   sh scripts/examples-index.sh [STORE]
# STORE (default /tmp/entente-examples.duckdb) is built when it does not exist.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
data=${DATA:-$root/../shared/data}
db=${1:-/tmp/entente-examples.duckdb}
cd "$root"
bin=$(mktemp -d)/entente
go build -o "$bin" ./cmd/entente
e() { "$bin" --db "$db" "$@"; }
if [ ! -e "$db" ]; then
	e import unvotes "$data/unvotes/" --quiet >/dev/null
	e import gdelt "$data/gdelt/" "$data/gdelt/v2/" --quiet >/dev/null
	e import aid "$data/aid/kiel_ust_data_explorer.csv" --quiet >/dev/null
	e import atop "$data/alliances/peacesciencer_atop_alliance.csv" --quiet >/dev/null
	e import igo "$data/igo/manyigos_COW_MEM_memberships.csv" --quiet >/dev/null
	e import ledger data/ledger/ --quiet >/dev/null
	e import force "$data/conflict/" "$data/arms/" --quiet >/dev/null
	e import idealpoints "$data/idealpoints/IdealpointsJuly2025.csv" --quiet >/dev/null
fi
ex=docs/examples
run() { # run FILE ARGS...: the command line, then its output (stdout and the notes)
	out=$1
	shift
	{ echo "\$ entente $*"; e "$@" 2>&1; } >"$ex/$out"
}
run index_rank_rus_2025-06.txt rank RUS --at 2025-06 --signal index --top 40 --bottom 15
run index_rank_rus_2024-11.txt rank RUS --at 2024-11 --signal index --top 25
run index_rank_usa_2024.txt rank USA --at 2024 --signal index --top 30 --bottom 15
run index_rank_chn_2024.txt rank CHN --at 2024 --signal index --top 30 --bottom 15
run index_explain_rus_arm_2025-06.txt explain RUS ARM --at 2025-06 --evidence 4
run index_explain_rus_kaz_2025-06.txt explain RUS KAZ --at 2025-06 --evidence 4
run index_explain_rus_syr_2025-06.txt explain RUS SYR --at 2025-06 --evidence 4
e explain RUS KAZ --at 2025-06 --evidence 4 --format json >"$ex/index_explain_rus_kaz_2025-06.json" 2>/dev/null
run index_drift_rus_2010-2025.txt drift RUS --since 2010 --until 2025-06 --top 30
e drift RUS --since 2010 --until 2025-06 --top 0 --format csv 2>/dev/null |
	awk -F, 'NR == 1 || $2 == "SYR" || $2 == "UKR" || $2 == "ARM" || $2 == "FIN" || $2 == "KAZ" || $2 == "PRK" || $2 == "BLR" || $2 == "SWE"' >"$ex/index_drift_rus_selected.csv"
# Finland's and Sweden's move 2022-23: their yearly scores with Russia, with intervals
# (the panel's rows for focal RUS; drift marks no change point there, docs/index.md).
{
	echo "\$ entente panel --from 2019 --to 2025 --states RUS --intervals --format csv | (rows of FIN and SWE)"
	e panel --from 2019 --to 2025 --states RUS --intervals --format csv --quiet 2>&1 |
		awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "iso3_2") c = i; print; next } $c == "FIN" || $c == "SWE"'
} >"$ex/index_series_rus_fin_swe.csv"
echo "examples written to $ex from $db"
