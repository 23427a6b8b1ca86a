package duckdb

import (
	"context"
	"math"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/entente/entente"
)

// armsDeals fills a force import with deals of RUS and IND: a known TIV over two years,
// an unknown TIV, and one never delivered; and one of the US to India.
func armsDeals(w entente.ConflictWriter) error {
	if err := w.StartFile(entente.ImportFile{Source: entente.SourceSIPRI, Path: "trade-register.csv", SHA256: "a1", Size: 1}); err != nil {
		return err
	}
	rus := entente.ArmsParty{Name: "Russia", Kind: entente.PartyState, State: "RUS", CCode: 365}
	ind := entente.ArmsParty{Name: "India", Kind: entente.PartyState, State: "IND", CCode: 750}
	usa := entente.ArmsParty{Name: "United States", Kind: entente.PartyState, State: "USA", CCode: 2}
	deals := []entente.ArmsDeal{
		{Key: "d1", Supplier: rus, Recipient: ind, OrderYear: 2015, DeliveryYears: []int{2016, 2018}, TIVUnit: 1.5, TIVOrder: 3, TIVDelivered: 12.25, Line: 2},
		{Key: "d2", Supplier: ind, Recipient: rus, OrderYear: 2017, DeliveryYears: []int{2019}, TIVUnit: math.NaN(), TIVOrder: math.NaN(), TIVDelivered: math.NaN(), Line: 3},
		{Key: "d3", Supplier: rus, Recipient: ind, OrderYear: 2020, TIVUnit: 2, TIVOrder: 4, TIVDelivered: 0, Line: 4},
		{Key: "d4", Supplier: usa, Recipient: ind, OrderYear: 2021, DeliveryYears: []int{2022}, TIVUnit: 5, TIVOrder: 5, TIVDelivered: 5, Line: 5},
	}
	for _, d := range deals {
		if err := w.ArmsDeal(d); err != nil {
			return err
		}
	}
	return w.FinishFile(int64(len(deals)), nil)
}

// sameFlows compares flows, NaN equal to NaN.
func sameFlows(a, b []entente.ArmsFlow) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.Supplier != y.Supplier || x.Recipient != y.Recipient || len(x.DeliveryYears) != len(y.DeliveryYears) ||
			(len(x.DeliveryYears) > 0 && !reflect.DeepEqual(x.DeliveryYears, y.DeliveryYears)) ||
			math.IsNaN(x.TIVDelivered) != math.IsNaN(y.TIVDelivered) ||
			!math.IsNaN(x.TIVDelivered) && x.TIVDelivered != y.TIVDelivered {
			return false
		}
	}
	return true
}

// flowsOfDeals are the flows of the deals as ArmsDeals returns them whole: what
// ArmsFlows must return.
func flowsOfDeals(t *testing.T, s *Store, state string, from int) []entente.ArmsFlow {
	t.Helper()
	ds, err := s.ArmsDeals(context.Background(), entente.ForceQuery{State: state, FromYear: from})
	if err != nil {
		t.Fatal(err)
	}
	var out []entente.ArmsFlow
	for _, d := range ds {
		out = append(out, entente.ArmsFlow{Supplier: d.Supplier.State, Recipient: d.Recipient.State,
			DeliveryYears: d.DeliveryYears, TIVDelivered: d.TIVDelivered})
	}
	return out
}

// TestArmsFlowsColumns: an import writes the typed arms columns, and a store written
// before migration 0008 (deals with JSON only) gets them from the JSON when it is
// opened for writing; either way ArmsFlows returns what the whole deals say.
func TestArmsFlowsColumns(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.duckdb")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportConflict(ctx, armsDeals); err != nil {
		t.Fatal(err)
	}
	want := flowsOfDeals(t, s, "RUS", 2010)
	if len(want) != 3 || !math.IsNaN(want[1].TIVDelivered) || want[2].DeliveryYears != nil {
		t.Fatalf("deals read back: %+v; want 3, the second with an unknown TIV, the third undelivered", want)
	}
	got, err := s.ArmsFlows(ctx, "RUS", 2010)
	if err != nil {
		t.Fatal(err)
	}
	if !sameFlows(got, want) {
		t.Errorf("imported: ArmsFlows %+v; want %+v", got, want)
	}
	// Back to schema 7, as an older entente left it: the deals' JSON only.
	for _, q := range []string{
		`ALTER TABLE arms_deals DROP COLUMN tiv_delivered`,
		`ALTER TABLE arms_deals DROP COLUMN delivery_years`,
		`DELETE FROM schema_migrations WHERE version >= 8`,
	} {
		if _, err := s.db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	if _, err := OpenReadOnly(ctx, path); err == nil {
		t.Error("a schema-7 store opened read-only; want a refusal that names the upgrade")
	}
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var n, tiv, years int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*), count(tiv_delivered), count(delivery_years) FROM arms_deals`).Scan(&n, &tiv, &years); err != nil {
		t.Fatal(err)
	}
	if n != 4 || tiv != 3 || years != 3 {
		t.Errorf("migrated: %d deals, %d TIVs, %d year lists; want 4, 3 (one unknown), 3 (one undelivered)", n, tiv, years)
	}
	got, err = s.ArmsFlows(ctx, "RUS", 2010)
	if err != nil {
		t.Fatal(err)
	}
	if !sameFlows(got, want) {
		t.Errorf("migrated: ArmsFlows %+v; want %+v", got, want)
	}
	if got, err := s.ArmsFlows(ctx, "IND", 2019); err != nil || !sameFlows(got, flowsOfDeals(t, s, "IND", 2019)) {
		t.Errorf("migrated, from 2019: ArmsFlows %+v, %v; want %+v", got, err, flowsOfDeals(t, s, "IND", 2019))
	}
	// Every state's flows: the deals of any state.
	all := flowsOfDeals(t, s, "", 2010)
	if len(all) <= len(want) {
		t.Fatalf("every state's deals from 2010: %d, no more than Russia's %d; the fixture proves nothing", len(all), len(want))
	}
	if got, err := s.ArmsFlows(ctx, "", 2010); err != nil || !sameFlows(got, all) {
		t.Errorf("every state, from 2010: ArmsFlows %+v, %v; want %+v", got, err, all)
	}
}
