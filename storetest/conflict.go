package storetest

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/entente/entente"
)

// RunConflict runs the contract suite of entente.ConflictStore. open must return a new,
// empty store for each call; RunConflict closes it.
func RunConflict(t *testing.T, open func(t *testing.T) entente.Store) {
	runCases(t, open, []storeCase{
		{"ImportAndReimport", testConflictImport},
		{"FillErrorRollsBack", testConflictFillError},
		{"CancelledContextRollsBack", testConflictCancelled},
		{"InvalidRecordRefused", testConflictInvalid},
		{"Queries", testConflictQueries},
	})
}

func party(gw, ccode int, id string) entente.ConflictParty {
	return entente.ConflictParty{GW: gw, CCode: ccode, State: id}
}

// conflictFixture is a small force import: two rows of one conflict-year (a supporter
// repeated), a rivalry, two directions of a dispute-year, two arms deals (one with
// unknown TIV, one from a non-state supplier) and a quarantined line.
func conflictFixture() []any {
	rus, prk, ukr := party(365, 365, "RUS"), party(731, 731, "PRK"), party(369, 369, "UKR")
	return []any{
		entente.ConflictYear{ConflictID: 13243, Year: 2024, SideA: rus, SideA2: prk, SideB: ukr, Incompatibility: "both",
			Intensity: 2, Type: entente.ConflictInterstate, Line: 2},
		entente.ConflictYear{ConflictID: 13243, Year: 2023, SideA: rus, SideB: ukr, Incompatibility: "both",
			Intensity: 2, Type: entente.ConflictInterstate, Line: 3},
		entente.ConflictYear{ConflictID: 500, Year: 2024, SideA: party(652, 652, "SYR"), SideA2: rus, Incompatibility: "government",
			Intensity: 1, Type: entente.ConflictInternationalised, Line: 4},
		entente.Rivalry{Source: entente.SourceTSS, ID: 107, Name: "India-Pakistan", CCode1: 750, CCode2: 770, Start: 1947, End: 2020,
			Ongoing: true, Types: []string{"positional", "spatial"}, Principal: true, Line: 5},
		entente.DisputeYear{DispNum: 4585, CCode1: 750, CCode2: 770, Year: 2010, HostLev: 4, HiAct: 17, Fatality: 1, DispHostLev: 4, Line: 6},
		entente.DisputeYear{DispNum: 4585, CCode1: 770, CCode2: 750, Year: 2010, HostLev: 4, HiAct: 17, Fatality: -9, DispHostLev: 4, Line: 7},
		entente.ArmsDeal{Key: "deal-1", Recipient: entente.ArmsParty{Name: "Russia", Kind: entente.PartyState, State: "RUS", CCode: 365},
			Supplier:  entente.ArmsParty{Name: "North Korea", Kind: entente.PartyState, State: "PRK", CCode: 731},
			OrderYear: 2023, OrderYearUncertain: true, NumberOrdered: -1, Designation: "Hwasong-11", Description: "SSM",
			NumberDelivered: 100, DeliveryYears: []int{2023, 2024}, TIVUnit: 2.5, TIVOrder: math.NaN(), TIVDelivered: 250, Line: 8},
		entente.ArmsDeal{Key: "deal-2", Recipient: entente.ArmsParty{Name: "Hamas (Palestine)*", Kind: entente.PartyNonState},
			Supplier:  entente.ArmsParty{Name: "unknown supplier(s)", Kind: entente.PartyUnknown},
			OrderYear: 2020, NumberOrdered: 10, NumberDelivered: 10, DeliveryYears: []int{2021}, TIVUnit: math.NaN(),
			TIVOrder: math.NaN(), TIVDelivered: math.NaN(), Line: 9},
		entente.Quarantined{Line: 10, Field: "gwno_a", Reason: "unknown state", Raw: "x"},
	}
}

func importConflict(ctx context.Context, s entente.Store, path string, records []any) ([]entente.ImportReport, error) {
	return s.ImportConflict(ctx, func(w entente.ConflictWriter) error { return fillConflict(w, path, records) })
}

func fillConflict(w entente.ConflictWriter, path string, records []any) error {
	if err := w.StartFile(entente.ImportFile{Source: entente.SourceUCDP, Path: path, SHA256: digest(path), Size: 1}); err != nil {
		return err
	}
	for _, r := range records {
		var err error
		switch r := r.(type) {
		case entente.ConflictYear:
			err = w.ConflictYear(r)
		case entente.Rivalry:
			err = w.Rivalry(r)
		case entente.DisputeYear:
			err = w.Dispute(r)
		case entente.ArmsDeal:
			err = w.ArmsDeal(r)
		case entente.Quarantined:
			err = w.Quarantine(r)
		case error:
			err = r
		}
		if err != nil {
			return err
		}
	}
	return w.FinishFile(int64(len(records)), nil)
}

func wantCounts(t *testing.T, r entente.ImportReport, read, imported, quarantined, duplicate int64) {
	t.Helper()
	if r.Read != read || r.Imported != imported || r.Quarantined != quarantined || r.Duplicate != duplicate {
		t.Errorf("report read %d imported %d quarantined %d duplicate %d, want %d %d %d %d",
			r.Read, r.Imported, r.Quarantined, r.Duplicate, read, imported, quarantined, duplicate)
	}
}

func testConflictImport(t *testing.T, s entente.Store) {
	ctx := ctxT(t)
	recs := conflictFixture()
	// The first record repeated within the import is a duplicate.
	recs = append(recs, recs[0])
	reps, err := importConflict(ctx, s, "force.csv", recs)
	if err != nil {
		t.Fatal(err)
	}
	wantCounts(t, reps[0], 10, 8, 1, 1)
	reps, err = importConflict(ctx, s, "force.csv", recs)
	if err != nil {
		t.Fatal(err)
	}
	wantCounts(t, reps[0], 10, 0, 1, 9)
	cov, err := s.ForceCoverage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]entente.SourceYears{
		"gml": {Source: "gml", First: 2010, Last: 2010, Records: 2}, "sipri": {Source: "sipri", First: 2020, Last: 2024, Records: 2},
		"tss": {Source: "tss", First: 1947, Last: 2020, Records: 1}, "ucdp": {Source: "ucdp", First: 2023, Last: 2024, Records: 3},
	}
	if len(cov) != len(want) {
		t.Fatalf("coverage %+v, want %+v", cov, want)
	}
	for _, c := range cov {
		if want[c.Source] != c {
			t.Errorf("coverage %+v, want %+v", c, want[c.Source])
		}
	}
}

func testConflictFillError(t *testing.T, s entente.Store) {
	ctx := ctxT(t)
	boom := errors.New("boom")
	_, err := importConflict(ctx, s, "force.csv", append(conflictFixture(), boom))
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	assertNoForce(t, s)
}

func testConflictCancelled(t *testing.T, s entente.Store) {
	ctx, cancel := context.WithCancel(ctxT(t))
	_, err := s.ImportConflict(ctx, func(w entente.ConflictWriter) error {
		if err := fillConflict(w, "force.csv", conflictFixture()); err != nil {
			return err
		}
		cancel()
		return nil
	})
	if err == nil {
		t.Fatal("cancelled import succeeded")
	}
	assertNoForce(t, s)
}

func testConflictInvalid(t *testing.T, s entente.Store) {
	ctx := ctxT(t)
	bad := entente.ConflictYear{ConflictID: 1, Year: 2000, SideA: party(2, 2, "USA"), Intensity: 3, Type: entente.ConflictInterstate}
	_, err := importConflict(ctx, s, "force.csv", append(conflictFixture(), bad))
	if entente.ErrorCode(err) != entente.EINVALID {
		t.Fatalf("err = %v, want EINVALID", err)
	}
	forced := entente.ArmsDeal{Key: "k", OrderYear: 2000, Recipient: entente.ArmsParty{Name: "Houthi rebels (Yemen)*", Kind: entente.PartyNonState, State: "YEM"},
		Supplier: entente.ArmsParty{Name: "Iran", Kind: entente.PartyState, State: "IRN"}}
	if _, err := importConflict(ctx, s, "force.csv", []any{forced}); entente.ErrorCode(err) != entente.EINVALID {
		t.Fatalf("a non-state party forced onto a state: err = %v, want EINVALID", err)
	}
	assertNoForce(t, s)
}

func assertNoForce(t *testing.T, s entente.Store) {
	t.Helper()
	cov, err := s.ForceCoverage(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(cov) != 0 {
		t.Errorf("a failed import left %+v", cov)
	}
	imps, err := s.Imports(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(imps) != 0 {
		t.Errorf("a failed import left %d import reports", len(imps))
	}
}

func testConflictQueries(t *testing.T, s entente.Store) {
	ctx := ctxT(t)
	if _, err := importConflict(ctx, s, "force.csv", conflictFixture()); err != nil {
		t.Fatal(err)
	}
	// PRK appears on one row of 13243/2024: every row of that conflict-year comes back.
	cy, err := s.ConflictYears(ctx, entente.ForceQuery{CCode: 731, FromYear: 2024, ToYear: 2024})
	if err != nil {
		t.Fatal(err)
	}
	if len(cy) != 1 || cy[0].ConflictID != 13243 || cy[0].SideA2.State != "PRK" || cy[0].SideB.State != "UKR" {
		t.Errorf("conflict years of PRK 2024 = %+v", cy)
	}
	cy, err = s.ConflictYears(ctx, entente.ForceQuery{CCode: 365})
	if err != nil {
		t.Fatal(err)
	}
	if len(cy) != 3 {
		t.Errorf("conflict years of RUS = %d rows, want 3", len(cy))
	}
	rv, err := s.Rivalries(ctx, entente.ForceQuery{CCode: 770, Other: 750, FromYear: 2019, ToYear: 2019})
	if err != nil {
		t.Fatal(err)
	}
	if len(rv) != 1 || !rv[0].Ongoing || rv[0].Types[1] != "spatial" || !rv[0].Principal {
		t.Errorf("rivalries = %+v", rv)
	}
	if rv, _ := s.Rivalries(ctx, entente.ForceQuery{CCode: 750, FromYear: 2021}); len(rv) != 0 {
		t.Errorf("rivalry found after its data's end: %+v", rv)
	}
	ds, err := s.Disputes(ctx, entente.ForceQuery{CCode: 770, Other: 750, FromYear: 2010, ToYear: 2010})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 2 || ds[0].HostLev != 4 {
		t.Errorf("disputes = %+v", ds)
	}
	if ds, _ := s.Disputes(ctx, entente.ForceQuery{CCode: 2}); len(ds) != 0 {
		t.Errorf("disputes of USA = %+v", ds)
	}
	deals, err := s.ArmsDeals(ctx, entente.ForceQuery{State: "RUS", OtherState: "PRK", FromYear: 2024, ToYear: 2024})
	if err != nil {
		t.Fatal(err)
	}
	if len(deals) != 1 {
		t.Fatalf("deals = %+v", deals)
	}
	d := deals[0]
	if !math.IsNaN(d.TIVOrder) || d.TIVDelivered != 250 || !d.OrderYearUncertain || d.NumberOrdered != -1 || d.TIVInYear(2024) != 125 {
		t.Errorf("deal round trip = %+v", d)
	}
	all, err := s.ArmsDeals(ctx, entente.ForceQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || all[1].Supplier.Kind != entente.PartyUnknown || all[1].Recipient.State != "" || !math.IsNaN(all[1].TIVInYear(2021)) {
		t.Errorf("all deals = %+v", all)
	}
	// A store that serves arms flows gives the deals' parties, years and TIVs.
	if fs, ok := s.(entente.ArmsFlowStore); ok {
		for _, state := range []string{"RUS", "PRK"} {
			want, err := s.ArmsDeals(ctx, entente.ForceQuery{State: state, FromYear: 2000})
			if err != nil {
				t.Fatal(err)
			}
			got, err := fs.ArmsFlows(ctx, state, 2000)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) || len(got) == 0 {
				t.Fatalf("arms flows of %s: %d, want %d (> 0)", state, len(got), len(want))
			}
			for i, d := range want {
				f := got[i]
				if f.Supplier != d.Supplier.State || f.Recipient != d.Recipient.State || !slices.Equal(f.DeliveryYears, d.DeliveryYears) ||
					!(f.TIVDelivered == d.TIVDelivered || math.IsNaN(f.TIVDelivered) && math.IsNaN(d.TIVDelivered)) {
					t.Errorf("arms flow %d of %s = %+v, want the deal %+v", i, state, f, d)
				}
				for _, y := range d.DeliveryYears {
					if a, b := f.TIVInYear(y), d.TIVInYear(y); a != b && !(math.IsNaN(a) && math.IsNaN(b)) {
						t.Errorf("arms flow %d of %s: TIV in %d = %v, want %v", i, state, y, a, b)
					}
				}
			}
		}
	}
}
