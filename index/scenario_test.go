package index_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/entente/entente/country"
	"github.com/entente/entente/duckdb"
	"github.com/entente/entente/index"
	"github.com/entente/entente/index/scenariotest"
)

// TestScenarios runs every scenario file of testdata/scenarios against a real DuckDB
// store in a temporary folder.
func TestScenarios(t *testing.T) {
	files, err := filepath.Glob("testdata/scenarios/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenarios: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			t.Parallel()
			runScenarioFile(t, file)
		})
	}
}

func runScenarioFile(t *testing.T, file string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	sc, err := scenariotest.ParseScenario(r, filepath.Base(file))
	if err != nil {
		t.Fatal(err)
	}
	st, err := duckdb.Open(ctx, filepath.Join(t.TempDir(), "scenario.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := sc.Load(ctx, st, country.Default()); err != nil {
		t.Fatalf("load: %v", err)
	}
	cfg, err := sc.Config(index.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	e := index.New(st, country.Default(), nil, cfg)
	for _, err := range sc.Run(ctx, e) {
		t.Error(err)
	}
}
