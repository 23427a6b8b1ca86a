package http

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/bloc"
	"github.com/entente/entente/country"
	"github.com/entente/entente/duckdb"
	"github.com/entente/entente/idealpoint"
	"github.com/entente/entente/index"
	"github.com/entente/entente/ingest/aid"
	"github.com/entente/entente/ingest/atop"
	"github.com/entente/entente/ingest/ledger"
	"github.com/entente/entente/ingest/unvotes"
	"github.com/entente/entente/signal"
)

// The tests share one real DuckDB store in a temporary folder, loaded with small real
// excerpts kept in the repository:
//   - UN votes: cmd/entente/testdata (UN Digital Library 2025 roll calls with every
//     member's vote; unvotes 2019 and Voeten 1991-92 rows of seven states), with the
//     yearly similarity signals computed as 'entente import' does;
//   - the cited ledger of acts, data/ledger;
//   - ATOP and Kiel aid excerpts, ingest/atop/testdata and ingest/aid/testdata.
// See those folders' READMEs for where each line comes from.

var (
	fixtureOnce  sync.Once
	fixtureStore entente.Store
	fixtureErr   error
	fixtureDir   string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if fixtureStore != nil {
		fixtureStore.Close()
	}
	if fixtureDir != "" {
		os.RemoveAll(fixtureDir)
	}
	os.Exit(code)
}

// testStore returns the shared store, building it on first use.
func testStore(t testing.TB) entente.Store {
	t.Helper()
	fixtureOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		if fixtureDir, fixtureErr = os.MkdirTemp("", "entente-http-test-"); fixtureErr != nil {
			return
		}
		fixtureStore, fixtureErr = loadFixture(ctx, filepath.Join(fixtureDir, "test.duckdb"))
	})
	if fixtureErr != nil {
		t.Fatalf("test store: %v", fixtureErr)
	}
	return fixtureStore
}

func loadFixture(ctx context.Context, path string) (entente.Store, error) {
	countries := country.Default()
	st, err := duckdb.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	un := "../cmd/entente/testdata/"
	var files []unvotes.File
	for _, f := range []string{"voeten_excerpt.csv", "un_roll_calls_excerpt.csv", "un_votes_excerpt.csv", "undl_excerpt.csv"} {
		files = append(files, unvotes.File{Path: un + f})
	}
	if _, err := st.ImportVotes(ctx, func(w entente.VoteWriter) error {
		_, err := unvotes.Import(ctx, w, countries, files, unvotes.Options{})
		return err
	}); err != nil {
		return st, fmt.Errorf("import votes: %w", err)
	}
	bs, err := st.Ballots(ctx, entente.BallotQuery{})
	if err != nil {
		return st, err
	}
	cov, err := st.VoteCoverage(ctx, "")
	if err != nil {
		return st, err
	}
	if err := st.ReplaceSimilarity(ctx, "year", signal.AllPairs(entente.SelectByPrecedence(bs, cov), signal.ByYear(), 0)); err != nil {
		return st, err
	}
	if _, err := idealpoint.Run(ctx, st, idealpoint.Options{}, 20, nil); err != nil {
		return st, err
	}
	if _, err := st.ImportTies(ctx, func(w entente.TieWriter) error {
		_, err := atop.Import(ctx, w, []atop.File{{Path: "../ingest/atop/testdata/atop_excerpt.csv"}})
		return err
	}); err != nil {
		return st, fmt.Errorf("import atop: %w", err)
	}
	if _, err := st.ImportEvents(ctx, func(w entente.EventWriter) error {
		_, err := aid.Import(ctx, w, countries, []aid.File{{Path: "../ingest/aid/testdata/kiel_ust_data_explorer.csv"}}, aid.Options{})
		return err
	}); err != nil {
		return st, fmt.Errorf("import aid: %w", err)
	}
	acts, files2, errs := ledger.Load("../data/ledger")
	errs = append(errs, ledger.Check(acts, countries, time.Now(), nil)...)
	if len(errs) > 0 {
		return st, fmt.Errorf("ledger: %v", errs[0])
	}
	if _, err := st.ImportTies(ctx, func(w entente.TieWriter) error {
		for _, file := range files2 {
			if err := w.StartFile(entente.ImportFile{Source: entente.SourceLedger, Path: file, SHA256: file}); err != nil {
				return err
			}
			n := 0
			for _, a := range acts {
				if a.File == file {
					if err := w.Act(a.Act); err != nil {
						return err
					}
					n++
				}
			}
			if err := w.FinishFile(int64(n), nil); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return st, fmt.Errorf("import ledger: %w", err)
	}
	return st, nil
}

// testEngine returns an index engine over the shared store, with the documented
// defaults and the embedded bloc registry, as the command line builds it.
func testEngine(t testing.TB) *index.Engine {
	return index.New(testStore(t), country.Default(), bloc.Default(), index.DefaultConfig())
}

// testServer starts the API over the shared store.
func testServer(t testing.TB) (*Server, *httptest.Server) {
	t.Helper()
	s := NewServer(testEngine(t), testStore(t), country.Default())
	s.Logf = t.Logf
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return s, ts
}
