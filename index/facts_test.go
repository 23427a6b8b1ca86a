package index_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/country"
	"github.com/entente/entente/duckdb"
	"github.com/entente/entente/index"
)

// failingStore is a real DuckDB store one of whose reads fails while another waits for
// its context to end: a load that reads them at once must return the failure, and end
// the waiting read, not wait on it.
type failingStore struct {
	*duckdb.Store
	fail string // the read that fails: "aid" or "conflict"
}

var errRead = errors.New("read failed")

func (s failingStore) AidSignals(ctx context.Context, q entente.EventQuery) ([]entente.AidSignal, error) {
	if s.fail == "aid" {
		return nil, errRead
	}
	return s.Store.AidSignals(ctx, q)
}

func (s failingStore) Ballots(ctx context.Context, q entente.BallotQuery) ([]entente.Ballot, error) {
	if s.fail == "aid" {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return s.Store.Ballots(ctx, q)
}

func (s failingStore) ConflictYears(ctx context.Context, q entente.ForceQuery) ([]entente.ConflictYear, error) {
	if s.fail == "conflict" {
		return nil, errRead
	}
	return s.Store.ConflictYears(ctx, q)
}

func (s failingStore) ArmsFlows(ctx context.Context, state string, from int) ([]entente.ArmsFlow, error) {
	if s.fail == "conflict" {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return s.Store.ArmsFlows(ctx, state, from)
}

// TestLoadReadFails: a failed read of the facts or of the force records fails the
// ranking with its error, and the reads running beside it are cancelled.
func TestLoadReadFails(t *testing.T) {
	ctx := context.Background()
	st, err := duckdb.Open(ctx, filepath.Join(t.TempDir(), "f.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// A force record, so that the force records are read.
	if _, err := st.ImportConflict(ctx, func(w entente.ConflictWriter) error {
		if err := w.StartFile(entente.ImportFile{Source: entente.SourceGML, Path: "gml.csv", SHA256: "ab", Size: 1}); err != nil {
			return err
		}
		if err := w.Dispute(entente.DisputeYear{DispNum: 1, CCode1: 2, CCode2: 365, Year: 2005, HostLev: 3, DispHostLev: 3, Fatality: -9, Line: 2}); err != nil {
			return err
		}
		return w.FinishFile(1, nil)
	}); err != nil {
		t.Fatal(err)
	}
	for _, fail := range []string{"aid", "conflict", ""} {
		e := index.New(failingStore{st, fail}, country.Default(), nil, index.DefaultConfig())
		done := make(chan error, 1)
		go func() {
			_, err := e.Rank(ctx, "RUS", entente.Day(2010, 1, 1))
			done <- err
		}()
		select {
		case err := <-done:
			if fail == "" && err != nil {
				t.Errorf("no failure: %v", err)
			}
			if fail != "" && !errors.Is(err, errRead) {
				t.Errorf("%s read fails: ranking error %v; want %v", fail, err, errRead)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("%s read fails: the ranking still waits after 30 s", fail)
		}
	}
}
