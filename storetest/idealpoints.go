package storetest

import (
	"errors"
	"math"
	"testing"

	"github.com/entente/entente"
)

// RunIdealPoints runs the contract suite of entente.IdealPointStore. open must return a
// new, empty store for each call; RunIdealPoints closes it.
func RunIdealPoints(t *testing.T, open func(t *testing.T) entente.Store) {
	runCases(t, open, []storeCase{
		{"ImportAndReimport", testIdealPointImport},
		{"FillErrorRollsBack", testIdealPointFillError},
		{"InvalidPointRefused", testIdealPointInvalid},
		{"ReplaceAndQuery", testIdealPointReplace},
	})
}

func bsvPoint(variant string, cc, year int, x float64, line int) entente.IdealPoint {
	q := entente.NoQuantiles()
	if variant == "all" {
		q = [7]float64{x - 1, x - 0.5, x - 0.4, x, x + 0.4, x + 0.5, x + 1}
	}
	return entente.IdealPoint{Source: entente.SourceBSV, Variant: variant, CCode: cc, Year: year, X: x, Q: q, Votes: 40, Line: line}
}

// ipRow is one file row of a test import: its points, or a quarantined record.
type ipRow struct {
	line   int
	points []entente.IdealPoint
	quar   *entente.Quarantined
}

func importIdealPoints(t *testing.T, s entente.Store, path string, rows []ipRow) entente.ImportReport {
	t.Helper()
	reps, err := s.ImportIdealPoints(ctxT(t), func(w entente.IdealPointWriter) error {
		if err := w.StartFile(entente.ImportFile{Source: entente.SourceBSV, Path: path, SHA256: digest(path), Size: 1}); err != nil {
			return err
		}
		for _, r := range rows {
			var err error
			if r.quar != nil {
				err = w.Quarantine(*r.quar)
			} else {
				err = w.Row(r.line, r.points)
			}
			if err != nil {
				return err
			}
		}
		return w.FinishFile(int64(len(rows)), nil)
	})
	if err != nil {
		t.Fatalf("ImportIdealPoints: %v", err)
	}
	if len(reps) != 1 {
		t.Fatalf("%d reports, want 1", len(reps))
	}
	return reps[0]
}

func testIdealPointImport(t *testing.T, s entente.Store) {
	rows := []ipRow{
		{line: 2, points: []entente.IdealPoint{bsvPoint("all", 2, 2000, 2.5, 2), bsvPoint("fp", 2, 2000, 2.4, 2)}},
		{line: 3, points: []entente.IdealPoint{bsvPoint("all", 365, 2000, -0.5, 3)}},
		{line: 4, points: []entente.IdealPoint{bsvPoint("all", 365, 2000, -0.6, 4)}}, // repeats line 3's key
		{line: 5, quar: &entente.Quarantined{Source: entente.SourceBSV, File: "a.csv", SHA256: digest("a.csv"), Line: 5, Field: "year", Reason: "not a number", Raw: "x"}},
	}
	r := importIdealPoints(t, s, "a.csv", rows)
	if r.Read != 4 || r.Imported != 2 || r.Duplicate != 1 || r.Quarantined != 1 {
		t.Fatalf("first import: read %d imported %d duplicate %d quarantined %d, want 4 2 1 1", r.Read, r.Imported, r.Duplicate, r.Quarantined)
	}
	r = importIdealPoints(t, s, "a.csv", rows)
	if r.Read != 4 || r.Imported != 0 || r.Duplicate != 3 || r.Quarantined != 1 {
		t.Fatalf("re-import: read %d imported %d duplicate %d quarantined %d, want 4 0 3 1", r.Read, r.Imported, r.Duplicate, r.Quarantined)
	}
	got, err := s.IdealPoints(ctxT(t), entente.IdealPointQuery{Source: entente.SourceBSV, Variant: "all"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].CCode != 2 || got[1].CCode != 365 || got[1].X != -0.5 || got[0].Q[3] != 2.5 || got[0].Votes != 40 {
		t.Fatalf("stored all: %+v", got)
	}
	fp, err := s.IdealPoints(ctxT(t), entente.IdealPointQuery{Source: entente.SourceBSV, Variant: "fp"})
	if err != nil {
		t.Fatal(err)
	}
	if len(fp) != 1 || !math.IsNaN(fp[0].Q[1]) || fp[0].Line != 2 {
		t.Fatalf("stored fp: %+v (want one point, unknown quantiles)", fp)
	}
}

func testIdealPointFillError(t *testing.T, s entente.Store) {
	boom := errors.New("boom")
	_, err := s.ImportIdealPoints(ctxT(t), func(w entente.IdealPointWriter) error {
		if err := w.StartFile(entente.ImportFile{Source: entente.SourceBSV, Path: "b.csv", SHA256: digest("b.csv"), Size: 1}); err != nil {
			return err
		}
		if err := w.Row(2, []entente.IdealPoint{bsvPoint("all", 2, 2001, 1, 2)}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	got, err := s.IdealPoints(ctxT(t), entente.IdealPointQuery{Source: entente.SourceBSV, Variant: "all"})
	if err != nil || len(got) != 0 {
		t.Fatalf("after a failed import: %d points, err %v; want none", len(got), err)
	}
}

func testIdealPointInvalid(t *testing.T, s entente.Store) {
	bad := bsvPoint("all", 2, 2001, math.NaN(), 2)
	_, err := s.ImportIdealPoints(ctxT(t), func(w entente.IdealPointWriter) error {
		if err := w.StartFile(entente.ImportFile{Source: entente.SourceBSV, Path: "c.csv", SHA256: digest("c.csv"), Size: 1}); err != nil {
			return err
		}
		return w.Row(2, []entente.IdealPoint{bad})
	})
	if entente.ErrorCode(err) != entente.EINVALID {
		t.Fatalf("err = %v, want EINVALID", err)
	}
	if err := s.ReplaceIdealPoints(ctxT(t), entente.SourceEntente, "all", []entente.IdealPoint{bad}); entente.ErrorCode(err) != entente.EINVALID {
		t.Fatalf("replace with a point of another source: err = %v, want EINVALID", err)
	}
}

func testIdealPointReplace(t *testing.T, s entente.Store) {
	est := func(cc, year int, x float64) entente.IdealPoint {
		q := entente.NoQuantiles()
		q[1], q[5] = x-0.1, x+0.1
		return entente.IdealPoint{Source: entente.SourceEntente, Variant: "all", CCode: cc, Year: year, X: x, Q: q, Votes: 70}
	}
	first := []entente.IdealPoint{est(2, 2024, 2), est(365, 2024, -1), est(2, 2025, 2.1), est(365, 2025, -1.1)}
	if err := s.ReplaceIdealPoints(ctxT(t), entente.SourceEntente, "all", first); err != nil {
		t.Fatal(err)
	}
	second := []entente.IdealPoint{est(2, 2025, 2.2), est(365, 2025, -1.2), est(710, 2025, -0.9)}
	if err := s.ReplaceIdealPoints(ctxT(t), entente.SourceEntente, "all", second); err != nil {
		t.Fatal(err)
	}
	got, err := s.IdealPoints(ctxT(t), entente.IdealPointQuery{Source: entente.SourceEntente, Variant: "all"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].CCode != 2 || got[0].X != 2.2 || got[2].CCode != 710 || got[1].Lo() != -1.3 || !math.IsNaN(got[1].Q[0]) {
		t.Fatalf("after replace: %+v", got)
	}
	sel, err := s.IdealPoints(ctxT(t), entente.IdealPointQuery{Source: entente.SourceEntente, Variant: "all", From: 2025, To: 2025, CCodes: []int{365, 710}})
	if err != nil {
		t.Fatal(err)
	}
	if len(sel) != 2 || sel[0].CCode != 365 || sel[1].CCode != 710 {
		t.Fatalf("selected: %+v", sel)
	}
	none, err := s.IdealPoints(ctxT(t), entente.IdealPointQuery{Source: entente.SourceBSV, Variant: "all"})
	if err != nil || len(none) != 0 {
		t.Fatalf("bsv after entente replace: %d points, err %v", len(none), err)
	}
}
