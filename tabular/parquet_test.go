package tabular

import (
	"database/sql"
	"math"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
)

// TestParquetTypesAndNulls writes a table whose types show only late (a column null in
// the first 5000 rows, a column of whole numbers that later holds a fraction) and reads
// it back with DuckDB: the column types, the nulls (NaN and nil) and the values. A
// column of NaN only is double (NaN is a typed null), a column of nil only string.
func TestParquetTypesAndNulls(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.parquet")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := NewParquet(f, []string{"id", "late", "mixed", "measure", "nan", "none"})
	const n = 5000
	for i := 0; i < n; i++ {
		var late any
		if i == n-1 {
			late = "last"
		}
		var mixed any = i
		if i == 10 {
			mixed = 0.5
		}
		m := float64(i) / 3
		if i%7 == 0 {
			m = math.NaN()
		}
		if err := w.Row(int64(i), late, mixed, m, math.NaN(), nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.Exec("SET autoload_known_extensions = false")
	var types string
	if err := db.QueryRow(`SELECT string_agg(column_type, ',' ORDER BY rowid) FROM (DESCRIBE SELECT * FROM read_parquet(?))`, path).Scan(&types); err != nil {
		// DESCRIBE has no rowid in every version: fall back to the plain order.
		rows, err2 := db.Query(`DESCRIBE SELECT * FROM read_parquet(?)`, path)
		if err2 != nil {
			t.Fatalf("describe: %v / %v", err, err2)
		}
		types = ""
		for rows.Next() {
			var name, typ string
			var x1, x2, x3, x4 any // DESCRIBE: null, key, default, extra
			rows.Scan(&name, &typ, &x1, &x2, &x3, &x4)
			types += typ + ","
		}
		rows.Close()
		types = types[:len(types)-1]
	}
	if want := "BIGINT,VARCHAR,DOUBLE,DOUBLE,DOUBLE,VARCHAR"; types != want {
		t.Errorf("column types %s, want %s", types, want)
	}
	var rowsN, lateN, nullM int
	var mixed10, m3 float64
	var last string
	err = db.QueryRow(`SELECT count(*), count(late), count(*) - count(measure), max(late),
		max(mixed) FILTER (WHERE id = 10), max(measure) FILTER (WHERE id = 3) FROM read_parquet(?)`, path).
		Scan(&rowsN, &lateN, &nullM, &last, &mixed10, &m3)
	if err != nil {
		t.Fatal(err)
	}
	if rowsN != n || lateN != 1 || last != "last" || nullM != (n+6)/7 || mixed10 != 0.5 || m3 != 1 {
		t.Errorf("rows %d, late %d %q, null measures %d (want %d), mixed[10] %v, measure[3] %v", rowsN, lateN, last, nullM, (n+6)/7, mixed10, m3)
	}
}

// TestParquetRowGroups writes more rows than one row group and batch hold and reads
// them back with DuckDB: every row, in order, in more than one row group.
func TestParquetRowGroups(t *testing.T) {
	path := filepath.Join(t.TempDir(), "long.parquet")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := NewParquet(f, []string{"i", "x", "s"})
	n := parquetRowGroupRows + parquetBatchRows + 7
	for i := range n {
		if err := w.Row(i, float64(i)/2, "s"); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.Exec("SET autoload_known_extensions = false")
	var rows, ordered, groups int
	var sum float64
	if err := db.QueryRow(`SELECT count(*), sum(x), count(*) FILTER (WHERE i = rn - 1) FROM (SELECT i, x, row_number() OVER () AS rn FROM read_parquet(?))`, path).Scan(&rows, &sum, &ordered); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT count(DISTINCT row_group_id) FROM parquet_metadata(?)`, path).Scan(&groups); err != nil {
		t.Fatal(err)
	}
	if rows != n || ordered != n || sum != float64(n)*float64(n-1)/4 || groups < 2 {
		t.Errorf("read %d rows (%d in order), sum %v, %d row groups; want %d rows in order, sum %v, >= 2 groups", rows, ordered, sum, groups, n, float64(n)*float64(n-1)/4)
	}
}
