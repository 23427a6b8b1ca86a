package index

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entente/entente"
	"github.com/entente/entente/country"
	"github.com/entente/entente/duckdb"
	"github.com/entente/entente/ingest/inputfile"
	"github.com/entente/entente/ingest/mids"
	"github.com/entente/entente/ingest/rivalry"
	"github.com/entente/entente/ingest/sipri"
	"github.com/entente/entente/ingest/ucdp"
)

// perStateForce is what a focal state's force records were before they were drawn
// from every state's (focalForce): built from the store's own answers to the queries by
// the focal state, which focalForce's filters must reproduce.
func perStateForce(t *testing.T, e *Engine, cs entente.ConflictStore, cov []entente.SourceYears, focal entente.Country, from int) *forceData {
	t.Helper()
	ctx := context.Background()
	fd, add := newForceData(cov, focal)
	if focal.COW > 0 {
		q := entente.ForceQuery{CCode: focal.COW, FromYear: from}
		cys, err := cs.ConflictYears(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		e.conflictRecs(cys, focal, add)
		rivs, err := cs.Rivalries(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		e.rivalryRecs(rivs, focal, from, add)
		ds, err := cs.Disputes(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		e.disputeRecs(ds, focal, add)
	}
	flows, err := cs.(entente.ArmsFlowStore).ArmsFlows(ctx, focal.ID, from)
	if err != nil {
		t.Fatal(err)
	}
	e.armsRecs(flows, focal, from, add)
	return fd
}

// TestFocalForceIsThePerStateQuery: on the real conflict, rivalry, dispute and arms
// files, every state's force records drawn from every state's rows are, record for
// record and in order, those of the store's queries by that state.
func TestFocalForceIsThePerStateQuery(t *testing.T) {
	data := filepath.Join("..", "..", "shared", "data")
	files := map[string][]string{
		"ucdp":    {filepath.Join(data, "conflict", "peacesciencer_ucdp_acd.csv")},
		"rivalry": {filepath.Join(data, "conflict", "peacesciencer_td_rivalries.csv"), filepath.Join(data, "conflict", "peacesciencer_tss_rivalries.csv")},
		"mids":    {filepath.Join(data, "conflict", "peacesciencer_gml_dirdisp.csv")},
		"sipri":   {filepath.Join(data, "arms", "sipri_trade_register_2025-03-13.csv")},
	}
	in := func(kind string) []inputfile.File {
		var out []inputfile.File
		for _, p := range files[kind] {
			out = append(out, inputfile.File{Path: p})
		}
		return out
	}
	for _, ps := range files {
		for _, p := range ps {
			if _, err := os.Stat(p); err != nil {
				abs, _ := filepath.Abs(p)
				t.Skipf("real data absent: %s (%v); this test needs ../shared/data", abs, err)
			}
		}
	}
	ctx := context.Background()
	st, err := duckdb.Open(ctx, filepath.Join(t.TempDir(), "force.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.ImportConflict(ctx, func(w entente.ConflictWriter) error {
		if _, err := ucdp.Import(ctx, w, country.DefaultGW(), in("ucdp")); err != nil {
			return err
		}
		if _, err := rivalry.Import(ctx, w, in("rivalry")); err != nil {
			return err
		}
		if _, err := mids.Import(ctx, w, in("mids")); err != nil {
			return err
		}
		_, err := sipri.Import(ctx, w, country.Default(), in("sipri"))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	e := New(st, country.Default(), nil, DefaultConfig())
	cov, err := st.ForceCoverage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, from := range []int{1990, 2010} {
		rows, err := e.forceRows(ctx, st, cov, from)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range country.Default().All() {
			got := e.focalForce(rows, cov, c, from)
			want := perStateForce(t, e, st, cov, c, from)
			if g, w := forceText(got), forceText(want); g != w {
				t.Errorf("%s from %d: drawn from every state's rows\n%s\nwant, from the store's query by the state,\n%s", c.ID, from, g, w)
			}
			for _, r := range got.recs {
				kinds[r.kind]++
			}
		}
	}
	for _, k := range []string{"war", "cobelligerence", "rivalry", "disputes", "arms"} {
		if kinds[k] == 0 {
			t.Errorf("no %s record at all: the comparison proves little (%v)", k, kinds)
		}
	}
}

// forceText writes a focal state's force records whole, each with its description
// (the arms records' are made on demand).
func forceText(fd *forceData) string {
	var b strings.Builder
	fmt.Fprintf(&b, "last %v\n", fd.last)
	for i := range fd.recs {
		r := &fd.recs[i]
		fmt.Fprintf(&b, "%s %d %s %v %q\n", r.other, r.year, r.kind, r.strength, r.text())
	}
	return b.String()
}
