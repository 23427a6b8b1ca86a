package http

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entente/entente"
	"github.com/entente/entente/bloc"
	"github.com/entente/entente/country"
	"github.com/entente/entente/duckdb"
	"github.com/entente/entente/index"
	"github.com/entente/entente/ingest/sipri"
	"github.com/entente/entente/ingest/ucdp"
)

// TestDyadForce checks the force part of the dyad response on a store loaded with the
// UCDP and SIPRI excerpts of the importers' testdata.
func TestDyadForce(t *testing.T) {
	ctx := context.Background()
	st, err := duckdb.Open(ctx, filepath.Join(t.TempDir(), "f.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.ImportConflict(ctx, func(w entente.ConflictWriter) error {
		if _, err := ucdp.Import(ctx, w, country.DefaultGW(), []ucdp.File{{Path: "../ingest/ucdp/testdata/ucdp_excerpt.csv"}}); err != nil {
			return err
		}
		_, err := sipri.Import(ctx, w, country.Default(), []sipri.File{{Path: "../ingest/sipri/testdata/sipri_excerpt.csv"}})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	s := &Server{Index: index.New(st, country.Default(), bloc.Default(), index.DefaultConfig()), Facts: st, Countries: country.Default()}
	rus, _ := country.Default().ByISO3("RUS", entente.Day(2024, 7, 1))
	prk, _ := country.Default().ByISO3("PRK", entente.Day(2024, 7, 1))
	fy, err := s.dyadForce(ctx, rus, prk, entente.Day(2024, 1, 1), entente.Day(2026, 1, 1))
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(fy)
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	for _, want := range []string{`"period":"2024","signal":"cobelligerence","value":1`, "conflict 13243", "Hwasong-11",
		`"period":"2025","signal":"war","value":null`} {
		if !strings.Contains(got, want) {
			t.Errorf("force JSON lacks %s:\n%s", want, got)
		}
	}
	// A store without force data gives an empty list, not an error.
	none, err := (&Server{Facts: factsOnly{st}, Countries: country.Default()}).dyadForce(ctx, rus, prk, entente.Day(2024, 1, 1), entente.Day(2025, 1, 1))
	if err != nil || len(none) != 0 {
		t.Errorf("facts without force data: %v, %v", none, err)
	}
}

// factsOnly hides every method of a store but those of Facts.
type factsOnly struct{ Facts }
