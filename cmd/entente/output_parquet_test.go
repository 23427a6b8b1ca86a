package main

import (
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
)

// readParquetDuckDB reads a Parquet file with an independent reader, DuckDB's own
// Parquet reader (built into the embedded engine; extension autoloading is off, so
// nothing is fetched), and returns its header, column types and rows, each value
// formatted as the CSV output formats it.
func readParquetDuckDB(t *testing.T, path string) (header, types []string, rows [][]string) {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range []string{"SET autoload_known_extensions = false", "SET autoinstall_known_extensions = false", "SET threads = 1"} {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	rs, err := db.Query("SELECT * FROM read_parquet(?)", path)
	if err != nil {
		t.Fatalf("duckdb read_parquet(%s): %v", path, err)
	}
	defer rs.Close()
	header, _ = rs.Columns()
	cts, _ := rs.ColumnTypes()
	for _, c := range cts {
		types = append(types, c.DatabaseTypeName())
	}
	for rs.Next() {
		vals := make([]any, len(header))
		ptrs := make([]any, len(header))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(vals))
		for i, v := range vals {
			switch v := v.(type) {
			case nil:
			case int64:
				row[i] = strconv.FormatInt(v, 10)
			case float64:
				row[i] = string(appendMachineFloat(nil, v))
			case string:
				row[i] = v
			default:
				t.Fatalf("column %s: unexpected %T %v", header[i], v, v)
			}
		}
		rows = append(rows, row)
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	return header, types, rows
}

// checkParquetEqualsCSV runs args as CSV and as Parquet and compares what DuckDB reads
// back from the Parquet file with the CSV, value by value; it returns the CSV table.
func checkParquetEqualsCSV(t *testing.T, db string, wantTypes map[string]string, args ...string) table {
	t.Helper()
	r := mustRun(t, db, append(args, "--format", "csv")...)
	tb := parseCSV(t, r.stdout)
	file := filepath.Join(t.TempDir(), "out.parquet")
	mustRun(t, db, append(args, "--format", "parquet", "--output", file)...)
	header, types, rows := readParquetDuckDB(t, file)
	name := strings.Join(args, " ")
	if strings.Join(header, ",") != strings.Join(tb.header, ",") {
		t.Fatalf("%s: parquet columns %q, csv %q", name, header, tb.header)
	}
	if len(rows) != len(tb.rows) || len(rows) == 0 {
		t.Fatalf("%s: parquet %d rows, csv %d (want equal, > 0)", name, len(rows), len(tb.rows))
	}
	for i, row := range rows {
		for j, h := range header {
			if row[j] != tb.rows[i][h] {
				t.Fatalf("%s: row %d column %s: parquet %q, csv %q", name, i+1, h, row[j], tb.rows[i][h])
			}
		}
	}
	for i, h := range header {
		if want, ok := wantTypes[h]; ok && types[i] != want {
			t.Errorf("%s: column %s is %s in parquet, want %s", name, h, types[i], want)
		}
	}
	t.Logf("%s: %d rows, %d columns equal in CSV and Parquet (read by DuckDB)", name, len(rows), len(header))
	return tb
}

func TestParquetEqualsCSV(t *testing.T) {
	idb := indexDB(t)
	tb := checkParquetEqualsCSV(t, idb, map[string]string{"focal": "VARCHAR", "at": "VARCHAR", "rank": "BIGINT", "ccode": "BIGINT", "score": "DOUBLE", "lo": "DOUBLE", "unvotes": "DOUBLE", "name": "VARCHAR"},
		"rank", "RUS", "--at", "2024")
	if tb.header[0] != "focal" || tb.header[1] != "at" || tb.rows[0]["focal"] != "RUS" || tb.rows[0]["at"] != "2024-12-31" {
		t.Errorf("rank CSV does not lead with focal RUS, at 2024-12-31: %q %v", tb.header, tb.rows[0])
	}
	// A signal with no evidence for a state is null in Parquet, an empty CSV field.
	nulls := 0
	for _, row := range tb.rows {
		if row["events"] == "" {
			nulls++
		}
	}
	if nulls == 0 {
		t.Errorf("rank RUS: no undefined events contribution; the null path is untested")
	}
	checkParquetEqualsCSV(t, idb, map[string]string{"balance": "DOUBLE"}, "rank", "RUS", "--at", "2024", "--signal", "ledger")

	edb := excerptDB(t)
	checkParquetEqualsCSV(t, edb, map[string]string{"n": "BIGINT", "kappa": "DOUBLE", "iso3": "VARCHAR"},
		"rank", "USA", "--at", "2019", "--signal", "unvotes", "--metric", "kappa,agree")
	// similarity --all --format csv is the bulk path (signal.WriteAllPairsCSV); Parquet
	// goes through the row writer: both must give the same values.
	checkParquetEqualsCSV(t, edb, map[string]string{"ccode_a": "BIGINT", "agree": "DOUBLE"},
		"similarity", "--all", "--metric", "agree,kappa")
}

// TestMachineFormatsFullPrecision checks that CSV and JSON carry each value in the
// shortest form that reads back exactly, and the table 3 decimals.
func TestMachineFormatsFullPrecision(t *testing.T) {
	db := excerptDB(t)
	args := []string{"rank", "USA", "--at", "2019", "--signal", "unvotes", "--metric", "kappa"}
	tb := parseCSV(t, mustRun(t, db, append(args, "--format", "csv")...).stdout)
	long := 0
	for _, row := range tb.rows {
		s := row["kappa"]
		if s == "" {
			continue
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		if got := strconv.FormatFloat(v, 'g', -1, 64); got != s {
			t.Errorf("kappa %q is not the shortest round-trip form %q", s, got)
		}
		if i := strings.IndexByte(s, '.'); i >= 0 && len(s)-i-1 > 6 {
			long++
		}
	}
	if long == 0 {
		t.Errorf("no kappa with more than 6 decimals: is the CSV still rounded?")
	}
	js := mustRun(t, db, append(args, "--format", "json")...).stdout
	first := tb.rows[0]["kappa"]
	if !strings.Contains(js, `"kappa": `+first) {
		t.Errorf("JSON does not carry kappa %s at full precision:\n%.400s", first, js)
	}
	tab := mustRun(t, db, args...).stdout
	if strings.Contains(tab, first) && strings.Count(first, "")-strings.IndexByte(first, '.') > 5 {
		t.Errorf("table prints full precision %s; want 3 decimals", first)
	}
	if strings.Contains(tab, "focal") {
		t.Errorf("table carries the focal column; only machine formats do")
	}
}

// TestOutputFile checks --output for CSV (the same bytes as stdout, nothing on stdout),
// that a failed command leaves no file, and that Parquet is refused for a second table.
func TestOutputFile(t *testing.T) {
	db := indexDB(t)
	want := mustRun(t, db, "rank", "RUS", "--at", "2024", "--format", "csv").stdout
	file := filepath.Join(t.TempDir(), "rank.csv")
	r := mustRun(t, db, "--format", "csv", "--output", file, "rank", "RUS", "--at", "2024")
	if r.stdout != "" {
		t.Errorf("--output: stdout not empty: %q", r.stdout)
	}
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("--output file mode %v (%v), want 0644", fi.Mode(), err)
	}
	got, err := os.ReadFile(file)
	if err != nil || string(got) != want {
		t.Fatalf("--output file %q (%v), want the stdout CSV %q", got, err, want)
	}
	bad := filepath.Join(t.TempDir(), "bad.csv")
	wantExit(t, db, 2, []string{"Atlantis"}, "rank", "Atlantis", "--format", "csv", "--output", bad)
	if _, err := os.Stat(bad); !os.IsNotExist(err) {
		t.Errorf("a failed command left %s (%v)", bad, err)
	}
	ents, _ := os.ReadDir(filepath.Dir(bad))
	if len(ents) != 0 {
		t.Errorf("a failed command left files: %v", ents)
	}
	pq := filepath.Join(t.TempDir(), "x.parquet")
	wantExit(t, db, 1, []string{"Parquet file holds one"}, "explain", "RUS", "BLR", "--at", "2024", "--format", "parquet", "--output", pq)
	wantExit(t, db, 2, []string{"want table, csv, json or parquet"}, "rank", "RUS", "--format", "xlsx")
}

// TestExplainJSONFullPrecision checks that explain's JSON carries the score in its
// shortest round-trip form and equal to the CSV rank's score, not rounded to 4 decimals.
func TestExplainJSONFullPrecision(t *testing.T) {
	db := indexDB(t)
	tb := parseCSV(t, mustRun(t, db, "rank", "RUS", "--at", "2024", "--format", "csv").stdout)
	want := tb.one(t, "iso3", "KAZ")["score"]
	js := mustRun(t, db, "explain", "RUS", "KAZ", "--at", "2024", "--format", "json").stdout
	if !strings.Contains(js, `"score": `+want+",") && !strings.Contains(js, `"score":`+want+",") {
		t.Errorf("explain JSON does not carry the score %s of rank's CSV:\n%.300s", want, js)
	}
}
