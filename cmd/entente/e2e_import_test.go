package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// excerptRows are the data records of each excerpt (testdata/README.md).
var excerptRows = map[string]int{
	"testdata/voeten_excerpt.csv":              62,
	"testdata/un_roll_calls_excerpt.csv":       5,
	"testdata/un_roll_call_issues_excerpt.csv": 3,
	"testdata/un_votes_excerpt.csv":            35,
	// 5 roll calls × 191 state columns, less the empty cells (absent or non-member)
	"testdata/undl_excerpt.csv": 688,
}

// checkReportCSV checks the accounting of an import report in CSV and returns it.
func checkReportCSV(t *testing.T, out string) table {
	t.Helper()
	tb := parseCSV(t, out)
	want := "file,layout,read,imported,quarantined,duplicate"
	if got := strings.Join(tb.header, ","); got != want {
		t.Errorf("report header %q, want %q", got, want)
	}
	for _, r := range tb.rows {
		read, imp, q, dup := atoi(t, r["read"]), atoi(t, r["imported"]), atoi(t, r["quarantined"]), atoi(t, r["duplicate"])
		if read != imp+q+dup {
			t.Errorf("%s: read %d != imported %d + quarantined %d + duplicate %d", r["file"], read, imp, q, dup)
		}
	}
	return tb
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("not an integer: %q", s)
	}
	return n
}

func TestImportExcerptsReport(t *testing.T) {
	db := newDB(t)
	r := mustRun(t, db, append([]string{"import", "unvotes", "--format", "csv"}, excerpts...)...)
	tb := checkReportCSV(t, r.stdout)
	if len(tb.rows) != len(excerpts) {
		t.Fatalf("report has %d rows, want one per file (%d):\n%s", len(tb.rows), len(excerpts), r.stdout)
	}
	layouts := map[string]string{
		"testdata/voeten_excerpt.csv":              "voeten",
		"testdata/un_roll_calls_excerpt.csv":       "roll calls",
		"testdata/un_roll_call_issues_excerpt.csv": "issues",
		"testdata/un_votes_excerpt.csv":            "unvotes votes",
		"testdata/undl_excerpt.csv":                "Digital Library",
	}
	for f, n := range excerptRows {
		row := tb.one(t, "file", f)
		if atoi(t, row["read"]) != n {
			t.Errorf("%s: read %s, want %d", f, row["read"], n)
		}
		if !strings.Contains(row["layout"], layouts[f]) {
			t.Errorf("%s: layout %q, want one naming %q", f, row["layout"], layouts[f])
		}
		wantQ := 0
		if f == "testdata/undl_excerpt.csv" {
			wantQ = 1 // the Security Council row
		}
		if atoi(t, row["quarantined"]) != wantQ || row["duplicate"] != "0" {
			t.Errorf("%s: %v, want %d quarantined and no duplicate", f, row, wantQ)
		}
	}
	if !strings.Contains(r.stderr, "quarantined") {
		t.Errorf("stderr does not point at the quarantine:\n%s", r.stderr)
	}

	// Importing the same files again adds nothing: everything read is a duplicate, except
	// what is quarantined again.
	r = mustRun(t, db, append([]string{"import", "unvotes", "--format", "csv"}, excerpts...)...)
	tb = checkReportCSV(t, r.stdout)
	for f, n := range excerptRows {
		row := tb.one(t, "file", f)
		q := atoi(t, row["quarantined"])
		if row["imported"] != "0" || atoi(t, row["duplicate"]) != n-q || atoi(t, row["read"]) != n {
			t.Errorf("second import of %s: %v, want imported 0 and %d duplicates", f, row, n)
		}
	}
}

func TestImportReportFormats(t *testing.T) {
	// table: one line per file, then a total; the last four columns are the counts.
	db := newDB(t)
	r := mustRun(t, db, append([]string{"import", "unvotes", "--quiet"}, excerpts...)...)
	if r.stderr != "" {
		t.Errorf("--quiet import wrote to stderr: %q", r.stderr)
	}
	if !strings.HasSuffix(r.stdout, "\n") {
		t.Errorf("table does not end with a newline: %q", r.stdout)
	}
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) != 1+len(excerpts)+1 {
		t.Fatalf("table has %d lines, want header, %d files and a total:\n%s", len(lines), len(excerpts), r.stdout)
	}
	if f := strings.Fields(lines[0]); strings.Join(f, ",") != "file,layout,read,imported,quarantined,duplicate" {
		t.Errorf("table header %q", lines[0])
	}
	var sum [4]int
	for i, l := range lines[1:] {
		f := strings.Fields(l)
		c := f[len(f)-4:]
		read, imp, q, dup := atoi(t, c[0]), atoi(t, c[1]), atoi(t, c[2]), atoi(t, c[3])
		if read != imp+q+dup {
			t.Errorf("table line %q: read != imported + quarantined + duplicate", l)
		}
		if i == len(excerpts) {
			if f[0] != "total" {
				t.Errorf("last line %q is not the total", l)
			}
			if [4]int{read, imp, q, dup} != sum {
				t.Errorf("total %v, want the sum of the files %v", c, sum)
			}
			continue
		}
		sum[0] += read
		sum[1] += imp
		sum[2] += q
		sum[3] += dup
	}

	// json: the same accounting, numbers as numbers; no total row.
	r = mustRun(t, db, append([]string{"import", "unvotes", "--format", "json", "--quiet"}, excerpts...)...)
	rows := parseJSON(t, r.stdout)
	if len(rows) != len(excerpts) {
		t.Fatalf("json report has %d rows, want %d", len(rows), len(excerpts))
	}
	for _, row := range rows {
		n := func(k string) int {
			v, err := strconv.Atoi(fmt.Sprint(row[k]))
			if err != nil {
				t.Fatalf("json %s = %v, not an integer", k, row[k])
			}
			return v
		}
		if n("read") != n("imported")+n("quarantined")+n("duplicate") {
			t.Errorf("json row %v: read != imported + quarantined + duplicate", row)
		}
		if n("imported") != 0 {
			t.Errorf("json row %v: a second import imported something", row)
		}
		if want, ok := excerptRows[fmt.Sprint(row["file"])]; !ok || n("read") != want {
			t.Errorf("json row %v: read, want %d", row, want)
		}
	}
}

func TestQuarantineListsSecurityCouncilRow(t *testing.T) {
	db := excerptDB(t)
	r := mustRun(t, db, "quarantine", "--format", "csv")
	tb := parseCSV(t, r.stdout)
	if got := strings.Join(tb.header, ","); got != "source,file,line,field,reason,raw" {
		t.Errorf("quarantine header %q", got)
	}
	if len(tb.rows) != 1 {
		t.Fatalf("%d quarantined records, want 1 (the Security Council row):\n%s", len(tb.rows), r.stdout)
	}
	q := tb.rows[0]
	if q["source"] != "undl" || q["file"] != "testdata/undl_excerpt.csv" || q["line"] != "2" || q["field"] != "Council" {
		t.Errorf("quarantined record %v, want undl, testdata/undl_excerpt.csv, line 2, field Council", q)
	}
	if !strings.Contains(q["reason"], "Security Council") || !strings.Contains(q["reason"], "undl_excerpt.csv:2") {
		t.Errorf("reason %q does not name the council, file and line", q["reason"])
	}
	if !strings.Contains(q["raw"], "S/RES/2768(2025)") {
		t.Errorf("raw %q is not the line read", q["raw"])
	}
	// The source filter and the table format.
	if r := mustRun(t, db, "quarantine", "voeten", "--format", "csv"); len(parseCSV(t, r.stdout).rows) != 0 {
		t.Errorf("quarantine voeten lists records of another source:\n%s", r.stdout)
	}
	r = mustRun(t, db, "quarantine", "undl")
	if !strings.Contains(r.stdout, "Security Council") || !strings.HasSuffix(r.stdout, "...\n") {
		t.Errorf("quarantine table does not show the record with its raw line cut:\n%s", r.stdout)
	}
	r = mustRun(t, db, "quarantine", "--format", "json")
	if rows := parseJSON(t, r.stdout); len(rows) != 1 || fmt.Sprint(rows[0]["line"]) != "2" {
		t.Errorf("quarantine json: %v", rows)
	}
}

// writeFile writes content to name in a new temporary folder and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const voetenHeader = `"resid","ccode","date","year","vote"` + "\n"

func TestImportBadRowsQuarantinedStoreKept(t *testing.T) {
	db := excerptDB(t)
	before := mustRun(t, db, "similarity", "--all", "--metric", "all", "--format", "csv").stdout
	// Two rows already stored, then one bad row of each kind.
	bad := voetenHeader +
		`47001,2,"1992-09-03",1992,1` + "\n" + // line 2: duplicate
		`47001,365,"1992-09-03",1992,1` + "\n" + // line 3: duplicate
		`47001,666,"1992-09-03",1992,7` + "\n" + // line 4: bad vote code
		`47006,2,"1992-13-02",1992,3` + "\n" + // line 5: bad date
		`47006,999,"1992-11-02",1992,3` + "\n" + // line 6: unknown state
		`47006,40,"1992-11-02",1992` + "\n" + // line 7: 4 fields
		`47006,40,"1992-11-02",1992,1,1` + "\n" + // line 8: 6 fields
		"47015,2,\"1992-12-04\",19\xff92,1\n" // line 9: non-UTF-8
	path := writeFile(t, "bad_rows.csv", bad)
	r := mustRun(t, db, "import", "unvotes", path, "--format", "csv")
	row := checkReportCSV(t, r.stdout).one(t, "file", path)
	if row["read"] != "8" || row["imported"] != "0" || row["quarantined"] != "6" || row["duplicate"] != "2" {
		t.Errorf("report %v, want read 8, imported 0, quarantined 6, duplicate 2", row)
	}
	after := mustRun(t, db, "similarity", "--all", "--metric", "all", "--format", "csv").stdout
	if after != before {
		t.Errorf("an import of bad rows changed the stored votes:\nbefore:\n%s\nafter:\n%s", before, after)
	}

	q := parseCSV(t, mustRun(t, db, "quarantine", "voeten", "--format", "csv").stdout)
	want := map[string]string{ // line → what the reason must say
		"4": "vote",
		"5": "date",
		"6": "unknown state",
		"7": "wrong number of fields",
		"8": "wrong number of fields",
		"9": "UTF-8",
	}
	if len(q.rows) != len(want) {
		t.Errorf("%d quarantined voeten records, want %d:\n%v", len(q.rows), len(want), q.rows)
	}
	for line, what := range want {
		rs := q.find("line", line)
		if len(rs) != 1 {
			t.Errorf("line %s: %d quarantine records, want 1", line, len(rs))
			continue
		}
		rec := rs[0]
		if rec["file"] != path {
			t.Errorf("line %s: file %q, want %q", line, rec["file"], path)
		}
		if !strings.Contains(rec["reason"], what) || !strings.Contains(rec["reason"], "bad_rows.csv:"+line) {
			t.Errorf("line %s: reason %q does not say %q with file and line", line, rec["reason"], what)
		}
	}
	// The Security Council row of the first import is still there.
	if len(parseCSV(t, mustRun(t, db, "quarantine", "undl", "--format", "csv").stdout).rows) != 1 {
		t.Errorf("the earlier quarantine record was lost")
	}
}

func TestImportMalformedFiles(t *testing.T) {
	db := excerptDB(t)
	before := snapshot(t, db)

	wide := voetenHeader + `47001,2,"1992-09-03",1992,1` + "\n" + strings.Repeat("1,", 9999) + "1\n"
	tests := []struct {
		name, content string
		want          []string // in stderr
	}{
		{"wrong_header.csv", `"resid","ccode","dote","year","vote"` + "\n" + `47001,2,"1992-09-03",1992,1` + "\n",
			[]string{"wrong_header.csv:1", "header"}},
		{"empty.csv", "", []string{"empty.csv:1", "empty"}},
		{"header_only_garbage.csv", "\xff\xfe garbage\n", []string{"header_only_garbage.csv:1"}},
		{"wide_header.csv", strings.Repeat("a,", 9999) + "a\n" + `47001,2,"1992-09-03",1992,1` + "\n",
			[]string{"wide_header.csv:1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, tt.name, tt.content)
			r := wantExit(t, db, 2, tt.want, "import", "unvotes", path)
			if r.stdout != "" {
				t.Errorf("a refused import printed a report:\n%s", r.stdout)
			}
			if got := snapshot(t, db); got != before {
				t.Errorf("a refused import changed the store:\nbefore:\n%s\nafter:\n%s", before, got)
			}
		})
	}

	// A bad file refuses the whole import: the good file given with it is not stored
	// either.
	t.Run("atomic", func(t *testing.T) {
		fresh := newDB(t)
		path := writeFile(t, "wrong_header.csv", `"resid","ccode","dote","year","vote"`+"\n")
		wantExit(t, fresh, 2, []string{"wrong_header.csv:1"}, "import", "unvotes", "testdata/voeten_excerpt.csv", path)
		wantExit(t, fresh, 2, []string{"no UN votes in the store"}, "similarity", "RUS", "USA")
		if r := mustRun(t, fresh, "quarantine", "--format", "csv"); len(parseCSV(t, r.stdout).rows) != 0 {
			t.Errorf("a refused import left quarantine records:\n%s", r.stdout)
		}
	})

	// Row-level damage (a truncated last line, a 10,000-field line) is quarantined with
	// file and line; the rows before it that were already stored stay, as duplicates.
	for _, tt := range []struct {
		name, content, line, reason string
	}{
		{"truncated.csv", voetenHeader + `47001,2,"1992-09-03",1992,1` + "\n" + `47001,365,"1992-0`, "3", "truncated"},
		{"wide_row.csv", wide, "3", "10000 fields"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, tt.name, tt.content)
			r := mustRun(t, db, "import", "unvotes", path, "--format", "csv")
			row := checkReportCSV(t, r.stdout).one(t, "file", path)
			if row["read"] != "2" || row["imported"] != "0" || row["quarantined"] != "1" || row["duplicate"] != "1" {
				t.Errorf("report %v, want read 2, imported 0, quarantined 1, duplicate 1", row)
			}
			q := parseCSV(t, mustRun(t, db, "quarantine", "--limit", "0", "--format", "csv").stdout)
			rec := q.one(t, "file", path)
			if rec["line"] != tt.line || !strings.Contains(rec["reason"], tt.reason) || !strings.Contains(rec["reason"], tt.name+":"+tt.line) {
				t.Errorf("quarantined %v, want line %s and a reason naming file, line and %q", rec, tt.line, tt.reason)
			}
			after := mustRun(t, db, "similarity", "--all", "--metric", "all", "--format", "csv").stdout
			if !strings.HasPrefix(before, after+"\n") {
				t.Errorf("the votes stored changed")
			}
		})
	}
}

func TestImportPaths(t *testing.T) {
	db := newDB(t)
	missing := filepath.Join(t.TempDir(), "no_such_file.csv")
	wantExit(t, db, 2, []string{missing, "no such file"}, "import", "unvotes", missing)
	wantExit(t, db, 2, []string{"testdata/nothing_*.csv", "no file matches"}, "import", "unvotes", "testdata/nothing_*.csv")
	wantExit(t, db, 2, []string{"folder holds no"}, "import", "unvotes", t.TempDir())
	wantExit(t, db, 2, []string{"want a source"}, "import", "unvotes")
	wantExit(t, db, 2, []string{"unknown source", "nosuch"}, "import", "nosuch", "testdata/voeten_excerpt.csv")
	// A missing path among good ones refuses the whole import.
	wantExit(t, db, 2, []string{missing}, "import", "unvotes", "testdata/voeten_excerpt.csv", missing)
	// Nothing was imported, so there is no store yet, and reading does not create one.
	wantExit(t, db, 2, []string{"no store at", "entente import unvotes"}, "similarity", "RUS", "USA")
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("a read-only command created the store %s (stat: %v)", db, err)
	}

	// A folder imports its csv files.
	r := mustRun(t, db, "import", "unvotes", "testdata", "--format", "csv", "--quiet")
	tb := checkReportCSV(t, r.stdout)
	var files []string
	for _, row := range tb.rows {
		files = append(files, filepath.Base(row["file"]))
	}
	sort.Strings(files)
	if got := strings.Join(files, " "); got != "un_roll_call_issues_excerpt.csv un_roll_calls_excerpt.csv un_votes_excerpt.csv undl_excerpt.csv voeten_excerpt.csv" {
		t.Errorf("folder import read %s", got)
	}

	// A glob imports what it matches; everything is already there.
	db2 := newDB(t)
	r = mustRun(t, db2, "import", "unvotes", "testdata/un_*.csv", "--format", "csv", "--quiet")
	tb = checkReportCSV(t, r.stdout)
	if len(tb.rows) != 3 {
		t.Errorf("glob testdata/un_*.csv imported %d files, want 3:\n%s", len(tb.rows), r.stdout)
	}
	for _, row := range tb.rows {
		if !strings.HasPrefix(filepath.Base(row["file"]), "un_") || row["imported"] == "0" {
			t.Errorf("glob import row %v", row)
		}
	}
	r = mustRun(t, db2, "import", "unvotes", "testdata/un_*.csv", "--format", "csv", "--quiet")
	for _, row := range checkReportCSV(t, r.stdout).rows {
		if row["imported"] != "0" {
			t.Errorf("second glob import row %v imported something", row)
		}
	}
}

func TestImportSameFileTwiceInOneRunAndGzip(t *testing.T) {
	db := newDB(t)
	// One file under two names, and again through its folder: stored once.
	r := mustRun(t, db, "import", "unvotes", "testdata/voeten_excerpt.csv", "./testdata/voeten_excerpt.csv", "testdata", "--format", "csv", "--quiet")
	tb := checkReportCSV(t, r.stdout)
	if a, b := tb.one(t, "file", "testdata/voeten_excerpt.csv"), tb.one(t, "file", "./testdata/voeten_excerpt.csv"); a["imported"] != "62" || b["imported"] != "0" || b["duplicate"] != "62" {
		t.Errorf("the same file twice in one import: %v and %v, want 62 imported then 62 duplicates", a, b)
	}
	if row := simCSV(t, db, "USA", "RUS", "--from", "1992", "--to", "1992").one(t, "period", "1992"); row["n"] != "4" {
		t.Errorf("after a double import, n = %s, want 4", row["n"])
	}

	// A gzip-compressed copy holds the same records: all duplicates.
	raw, err := os.ReadFile("testdata/voeten_excerpt.csv")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(raw)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	gz := writeFile(t, "voeten_excerpt.csv.gz", buf.String())
	r = mustRun(t, db, "import", "unvotes", filepath.Dir(gz), "--format", "csv", "--quiet")
	if row := checkReportCSV(t, r.stdout).one(t, "file", gz); row["read"] != "62" || row["duplicate"] != "62" {
		t.Errorf("gzip copy through its folder: %v, want 62 read, 62 duplicates", row)
	}
}

// The table of the quarantine cuts long raw lines for people; the cut must not split a
// UTF-8 character.
func TestQuarantineTableCutKeepsUTF8(t *testing.T) {
	db := newDB(t)
	// A row of 6 fields, valid UTF-8, whose 57th byte is inside an "é".
	line := `47001,2,"1992-09-03",1992,1,"x` + strings.Repeat("é", 30) + `"`
	path := writeFile(t, "long_row.csv", voetenHeader+line+"\n")
	mustRun(t, db, "import", "unvotes", path, "--quiet")
	csvOut := mustRun(t, db, "quarantine", "--format", "csv").stdout
	if !strings.Contains(csvOut, strings.Repeat("é", 30)) {
		t.Fatalf("csv quarantine does not hold the whole raw line:\n%s", csvOut)
	}
	r := mustRun(t, db, "quarantine")
	if !utf8.ValidString(r.stdout) {
	}
}

// TestImportLedgerWrongFileShape: a ledger file with anchors and aliases, or with two
// YAML documents, is refused whole with exit 2 and the file and line, and the store is
// left as it was (not a BUG message, not a count of one act for two).
func TestImportLedgerWrongFileShape(t *testing.T) {
	act := func(id, date, actor, cp string) string {
		return "- id: " + id + "\n  date: " + date + "\n  actor: " + actor + "\n  counterpart: " + cp +
			"\n  kind: state_visit\n  summary: a visit\n"
	}
	src := "  sources:\n    - url: https://example.org/a\n      title: A\n      published: 2024-06-19\n      checked: true\n"
	dir := t.TempDir()
	anchor := filepath.Join(dir, "anchor.yaml")
	os.WriteFile(anchor, []byte(act("t-1", "2024-06-19", "PRK", "RUS")+strings.Replace(src, "sources:", "sources: &src", 1)+
		act("t-2", "2024-06-20", "RUS", "PRK")+"  sources: *src\n"), 0o644)
	multi := filepath.Join(dir, "multi.yaml")
	os.WriteFile(multi, []byte(act("d-1", "2024-06-19", "PRK", "RUS")+src+"---\n"+act("d-2", "2024-06-20", "RUS", "PRK")+src), 0o644)
	db := excerptDB(t)
	mustRun(t, db, "import", "ledger", "../../data/ledger/asia.yaml", "--quiet")
	before := snapshot(t, db) + mustRun(t, db, "ledger", "list", "--format", "csv").stdout
	wantExit(t, db, 2, []string{"anchor.yaml:7:", "anchors and aliases are not allowed"}, "import", "ledger", anchor)
	wantExit(t, db, 2, []string{"multi.yaml:12:", "more than one YAML document"}, "import", "ledger", multi)
	if after := snapshot(t, db) + mustRun(t, db, "ledger", "list", "--format", "csv").stdout; after != before {
		t.Errorf("a refused ledger file changed the store:\n%s\nwant\n%s", after, before)
	}
}

// TestQuarantineSourceNames: the quarantine is listed under the words 'entente import'
// takes (unvotes covers the Voeten layout), an unknown source is a usage error, and
// control characters of a refused line are shown escaped.
func TestQuarantineSourceNames(t *testing.T) {
	db := newDB(t)
	path := filepath.Join(t.TempDir(), "bad.csv")
	bad := voetenHeader + "47001,2,\"1992-09-03\",1992,1\n" + "47001,2,\"1992-09-03\x00\",1992\n"
	if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, db, "import", "unvotes", path, "--quiet")
	for _, src := range []string{"unvotes", "voeten", "UNVOTES"} {
		r := mustRun(t, db, "quarantine", src, "--format", "csv")
		tb := parseCSV(t, r.stdout)
		if len(tb.rows) != 1 || tb.rows[0]["source"] != "voeten" || tb.rows[0]["line"] != "3" {
			t.Errorf("quarantine %s: %s", src, r)
			continue
		}
		if raw := tb.rows[0]["raw"]; strings.ContainsRune(raw, 0) || !strings.Contains(raw, `\x00`) {
			t.Errorf("quarantine %s: raw %q, want the NUL escaped", src, raw)
		}
	}
	if r := mustRun(t, db, "quarantine", "gdelt", "--format", "csv"); len(parseCSV(t, r.stdout).rows) != 0 {
		t.Errorf("quarantine gdelt on a store without GDELT: %s", r)
	}
	wantExit(t, db, 2, []string{`unknown source "bogus"`, "unvotes", "gdelt2"}, "quarantine", "bogus")
}
