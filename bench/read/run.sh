#!/bin/sh
# Speed of `entente read` (issues 9, 17): sentences per second on one core (wall clock,
# and per CPU second of the process, which a loaded shared machine does not distort).
#   1. the Go benchmark of package read over the PLOVER dev set's 164 sentences and the
#      test articles (read/testdata/articles), coded again and again: target >= 20,000/s
#   2. the command on a 50 MB file made of that corpus repeated (process start, reading,
#      coding and output included) and on one 50 MB line with no sentence boundary
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$root"
GOMAXPROCS=1 go test -run '^$' -bench 'BenchmarkRead|BenchmarkSplit' -benchtime 3s -cpu 1 ./read/
go build -o "$tmp/entente" ./cmd/entente
if ! command -v python3 >/dev/null 2>&1 || [ ! -f ../shared/data/cameo/plover/PLOVER_GSR_CAMEO_dev.json ]; then
	echo "skipping the 50 MB file runs: they need python3 and ../shared/data to build the file"
	exit 0
fi
if [ ! -x /usr/bin/time ]; then
	echo "skipping the 50 MB file runs: they need /usr/bin/time (Debian package time)"
	exit 0
fi
python3 - "$tmp" <<'PY'
import json, sys, glob, re
tmp = sys.argv[1]
recs = [r["text"] for r in json.load(open("../shared/data/cameo/plover/PLOVER_GSR_CAMEO_dev.json")) if r.get("text")]
arts = [open(f).read() for f in sorted(glob.glob("read/testdata/articles/*.txt")) if "<html" not in open(f).read()]
block = "\n\n".join(recs + arts) + "\n\n"
n = 50 << 20
open(tmp + "/corpus.txt", "w").write((block * (n // len(block) + 1))[:n])
open(tmp + "/oneline.txt", "w").write(("Russia and Belarus held talks with China " * (n // 41)))
PY
for f in corpus oneline; do
	/usr/bin/time -f "entente read $f.txt (50 MB, one process): %e s, %M KB" \
		"$tmp/entente" read "$tmp/$f.txt" --all --format csv --db "$tmp/none.db" --quiet > "$tmp/$f.csv"
	echo "  $(($(wc -l < "$tmp/$f.csv") - 1)) acts"
done
