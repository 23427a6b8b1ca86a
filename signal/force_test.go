package signal

import (
	"context"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entente/entente"
	"github.com/entente/entente/country"
	"github.com/entente/entente/duckdb"
)

func cp(gw, ccode int, id string) entente.ConflictParty {
	return entente.ConflictParty{GW: gw, CCode: ccode, State: id}
}

func stateParty(name, id string, ccode int) entente.ArmsParty {
	return entente.ArmsParty{Name: name, Kind: entente.PartyState, State: id, CCode: ccode}
}

// forceStore returns a DuckDB store holding a small force fixture: UCDP 2020-2024 with
// North Korea on Russia's side only on one row, a TSS rivalry ongoing at the data's end
// (2020), a MID in 2010 and SIPRI deliveries to Russia in 2024.
func forceStore(t *testing.T) entente.Store {
	t.Helper()
	ctx := context.Background()
	s, err := duckdb.Open(ctx, filepath.Join(t.TempDir(), "f.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	rus, ukr, prk, syr := cp(365, 365, "RUS"), cp(369, 369, "UKR"), cp(731, 731, "PRK"), cp(652, 652, "SYR")
	recs := []any{
		entente.ConflictYear{ConflictID: 1, Year: 2024, SideA: rus, SideB: ukr, Incompatibility: "both", Intensity: 2, Type: entente.ConflictInterstate, Line: 2},
		entente.ConflictYear{ConflictID: 1, Year: 2024, SideA: rus, SideA2: prk, SideB: ukr, Incompatibility: "both", Intensity: 2, Type: entente.ConflictInterstate, Line: 3},
		entente.ConflictYear{ConflictID: 2, Year: 2020, SideA: syr, SideA2: rus, Incompatibility: "government", Intensity: 1, Type: entente.ConflictInternationalised, Line: 4},
		entente.ConflictYear{ConflictID: 3, Year: 2020, SideA: ukr, SideB2: rus, Incompatibility: "territory", Intensity: 1, Type: entente.ConflictIntrastate, Line: 5},
		entente.Rivalry{Source: entente.SourceTSS, ID: 9, Name: "India-Pakistan", CCode1: 750, CCode2: 770, Start: 1947, End: 2020, Ongoing: true, Types: []string{"spatial"}, Line: 6},
		entente.Rivalry{Source: entente.SourceTSS, ID: 10, Name: "A-B", CCode1: 2, CCode2: 20, Start: 1800, End: 1900, Line: 7},
		entente.DisputeYear{DispNum: 7, CCode1: 750, CCode2: 770, Year: 2010, HostLev: 4, DispHostLev: 4, Fatality: 1, Line: 8},
		entente.DisputeYear{DispNum: 7, CCode1: 770, CCode2: 750, Year: 2010, HostLev: 3, DispHostLev: 4, Fatality: 0, Line: 9},
		entente.ArmsDeal{Key: "a", Recipient: stateParty("Russia", "RUS", 365), Supplier: stateParty("North Korea", "PRK", 731), OrderYear: 2023,
			NumberOrdered: -1, NumberDelivered: 100, DeliveryYears: []int{2023, 2024}, TIVUnit: 2.5, TIVOrder: math.NaN(), TIVDelivered: 250, Line: 10},
		entente.ArmsDeal{Key: "b", Recipient: stateParty("Russia", "RUS", 365), Supplier: stateParty("Iran", "IRN", 630), OrderYear: 2022,
			NumberOrdered: 10, NumberDelivered: 10, DeliveryYears: []int{2024}, TIVUnit: 37.5, TIVOrder: 375, TIVDelivered: 375, Line: 11},
		entente.ArmsDeal{Key: "c", Recipient: stateParty("Russia", "RUS", 365), Supplier: entente.ArmsParty{Name: "unknown supplier(s)", Kind: entente.PartyUnknown},
			OrderYear: 2024, NumberOrdered: 1, NumberDelivered: 1, DeliveryYears: []int{2024}, TIVUnit: math.NaN(), TIVOrder: math.NaN(), TIVDelivered: math.NaN(), Line: 12},
		entente.ArmsDeal{Key: "d", Recipient: stateParty("Iran", "IRN", 630), Supplier: stateParty("Russia", "RUS", 365), OrderYear: 2022,
			NumberOrdered: 6, NumberDelivered: 6, DeliveryYears: []int{2024}, TIVUnit: 5, TIVOrder: 30, TIVDelivered: 30, Line: 13},
	}
	_, err = s.ImportConflict(ctx, func(w entente.ConflictWriter) error {
		if err := w.StartFile(entente.ImportFile{Source: entente.SourceUCDP, Path: "f", SHA256: "x", Size: 1}); err != nil {
			return err
		}
		for _, r := range recs {
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
			}
			if err != nil {
				return err
			}
		}
		return w.FinishFile(int64(len(recs)), nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func state(t *testing.T, id string) entente.Country {
	t.Helper()
	c, ok := country.Default().ByISO3(id, entente.Day(2024, 7, 1))
	if !ok {
		t.Fatalf("no %s", id)
	}
	return c
}

func signalValue(d ForceDyad, name string) float64 {
	for _, s := range d.Signals {
		if s.Signal == name {
			return s.Value
		}
	}
	return -99
}

func sameValue(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }

func TestForceDyadYear(t *testing.T) {
	st := forceStore(t)
	ctx := context.Background()
	reg := country.Default()
	nan := math.NaN()
	for _, tc := range []struct {
		a, b  string
		year  int
		want  map[string]float64
		items []string
	}{
		// North Korea is on Russia's side through a supporter row only.
		{"RUS", "PRK", 2024, map[string]float64{ForceWar: 0, ForceCobelligerence: 1, ForceArms: 0}, []string{"same side (A)", "125.0 this year = 25% of RUS's imports"}},
		{"PRK", "RUS", 2024, map[string]float64{ForceArms: 125}, nil},
		{"RUS", "UKR", 2024, map[string]float64{ForceWar: 2, ForceCobelligerence: 0}, []string{"opposite sides of interstate conflict 1"}},
		// An intrastate conflict with a supporter of side B is not a war between states.
		{"RUS", "UKR", 2020, map[string]float64{ForceWar: 0}, nil},
		{"SYR", "RUS", 2020, map[string]float64{ForceCobelligerence: 1}, nil},
		// After the UCDP data end (2024 here) war is unknown, not peace.
		{"RUS", "UKR", 2025, map[string]float64{ForceWar: nan, ForceCobelligerence: nan, ForceArms: nan}, nil},
		// Rivalry: within the data 1, ongoing after the data's end unknown, with the record shown.
		{"IND", "PAK", 2019, map[string]float64{ForceRivalry: 1, ForceDisputes: nan}, []string{"latest in the data", "ongoing when the data stop"}},
		{"IND", "PAK", 2022, map[string]float64{ForceRivalry: nan}, []string{"after the data's end: the rivalry's state is unknown"}},
		{"PAK", "IND", 2010, map[string]float64{ForceDisputes: 3}, nil},
		{"IND", "PAK", 2010, map[string]float64{ForceDisputes: 4}, nil},
		{"IND", "CHN", 2010, map[string]float64{ForceDisputes: 0, ForceRivalry: 0}, nil},
	} {
		d, err := ForceDyadYear(ctx, st, reg, state(t, tc.a), state(t, tc.b), tc.year)
		if err != nil {
			t.Fatal(err)
		}
		for name, want := range tc.want {
			if got := signalValue(d, name); !sameValue(got, want) {
				t.Errorf("%s %s %d: %s = %v, want %v", tc.a, tc.b, tc.year, name, got, want)
			}
		}
		var all []string
		for _, it := range d.Items {
			all = append(all, it.Detail)
		}
		for _, want := range tc.items {
			if !strings.Contains(strings.Join(all, "\n"), want) {
				t.Errorf("%s %s %d: no item with %q in\n%s", tc.a, tc.b, tc.year, want, strings.Join(all, "\n"))
			}
		}
	}
}

func TestForceRanking(t *testing.T) {
	st := forceStore(t)
	ctx := context.Background()
	rows, cov, err := ForceRanking(ctx, st, country.Default(), state(t, "RUS"), 2024, ForceArms)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].State.ID != "IRN" || rows[0].From != 375 || rows[0].To != 30 || rows[1].State.ID != "PRK" || rows[1].From != 125 {
		t.Fatalf("arms ranking %+v", rows)
	}
	// Russia imported 500 TIV of known value in 2024 (the unknown supplier's TIV is unknown).
	if rows[0].ShareFrom != 0.75 || rows[0].ShareTo != 1 || !math.IsNaN(rows[1].ShareTo) {
		t.Errorf("shares %+v", rows)
	}
	if !strings.Contains(cov, "SIPRI 2022-2024") {
		t.Errorf("coverage %q", cov)
	}
	rows, _, err = ForceRanking(ctx, st, country.Default(), state(t, "RUS"), 2024, ForceWar)
	if err != nil || len(rows) != 1 || rows[0].State.ID != "UKR" || rows[0].Value != 2 {
		t.Errorf("war ranking %+v, %v", rows, err)
	}
	rows, _, err = ForceRanking(ctx, st, country.Default(), state(t, "RUS"), 2024, ForceCobelligerence)
	if err != nil || len(rows) != 1 || rows[0].State.ID != "PRK" {
		t.Errorf("co-belligerence ranking %+v, %v", rows, err)
	}
	if _, _, err := ForceRanking(ctx, st, country.Default(), state(t, "RUS"), 2024, "peace"); entente.ErrorCode(err) != entente.EINVALID {
		t.Errorf("unknown signal: %v", err)
	}
}
