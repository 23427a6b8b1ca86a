package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/entente/entente"
)

// RunTies runs the contract suite of entente.TieStore. open must return a new, empty
// store for each call; RunTies closes it.
func RunTies(t *testing.T, open func(t *testing.T) entente.Store) {
	runCases(t, open, []storeCase{
		{"ImportAndReimport", testTiesImport},
		{"FillErrorRollsBack", testTiesFillError},
		{"InvalidRecordRefused", testTiesInvalid},
		{"Alliances", testAlliances},
		{"Memberships", testMemberships},
		{"Acts", testActs},
	})
}

func importTies(t *testing.T, s entente.Store, path string, records ...any) entente.ImportReport {
	t.Helper()
	reps, err := s.ImportTies(ctxT(t), func(w entente.TieWriter) error { return fillTies(w, path, records) })
	if err != nil {
		t.Fatalf("ImportTies: %v", err)
	}
	if len(reps) != 1 {
		t.Fatalf("%d reports, want 1", len(reps))
	}
	return reps[0]
}

func fillTies(w entente.TieWriter, path string, records []any) error {
	if err := w.StartFile(entente.ImportFile{Source: entente.SourceLedger, Path: path, SHA256: digest(path), Size: 1}); err != nil {
		return err
	}
	for _, r := range records {
		var err error
		switch r := r.(type) {
		case entente.AllianceTie:
			err = w.Alliance(r)
		case entente.Membership:
			err = w.Membership(r)
		case entente.Act:
			err = w.Act(r)
		case entente.Quarantined:
			err = w.Quarantine(r)
		}
		if err != nil {
			return err
		}
	}
	return w.FinishFile(int64(len(records)), nil)
}

func act(id string, y, m, d int, actor, counterpart, kind string, stance entente.Stance) entente.Act {
	return entente.Act{ID: id, Date: day(y, 1, 1).AddDate(0, m-1, d-1), Actor: actor, Counterpart: counterpart, Kind: kind,
		Stance: stance, Summary: id, File: "ledger.yaml", Line: y,
		Sources: []entente.Citation{{URL: "https://example.org/" + id, Title: id, Publisher: "Example", Published: day(y, 1, 1), Checked: true}}}
}

func testTiesImport(t *testing.T, s entente.Store) {
	recs := []any{
		entente.AllianceTie{A: 365, B: 731, Year: 2018, Consult: true, Line: 2},
		entente.AllianceTie{A: 365, B: 731, Year: 2018, Consult: true, Line: 3}, // repeated
		entente.Membership{Source: "bloc", State: "FIN", CCode: 375, Org: "NATO", Begin: day(2023, 4, 4), Status: entente.StatusMember, Line: 4},
		act("2024-06-19-prk-rus-treaty", 2024, 6, 19, "PRK", "RUS", "alliance_treaty", entente.Cooperative),
		entente.Quarantined{Line: 7, Field: "kind", Reason: "unknown kind", Raw: "kind: friendship"},
	}
	checkCounts(t, importTies(t, s, "a", recs...), counts{5, 3, 1, 1})
	checkCounts(t, importTies(t, s, "a", recs...), counts{5, 0, 1, 4})
	if q, err := s.Quarantine(ctxT(t), "", 0); err != nil || len(q) != 1 {
		t.Errorf("quarantine after re-import = %d rows, %v; want 1", len(q), err)
	}
}

func testTiesFillError(t *testing.T, s entente.Store) {
	boom := errors.New("boom")
	_, err := s.ImportTies(ctxT(t), func(w entente.TieWriter) error {
		if err := fillTies(w, "a", []any{act("x", 2024, 1, 1, "RUS", "PRK", "state_visit", entente.Cooperative)}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if acts, _ := s.Acts(ctxT(t), entente.ActQuery{}); len(acts) != 0 {
		t.Errorf("a failed import left %d acts", len(acts))
	}
}

// testTiesInvalid checks that every store refuses the records entente's Validate
// refuses, with EINVALID naming the field, and keeps nothing of the import: a membership
// whose ccode the stores cannot hold (before the rules moved to the root package, the
// DuckDB store let it through into a SMALLINT column).
func testTiesInvalid(t *testing.T, s entente.Store) {
	for _, bad := range []any{
		entente.Membership{Source: "bloc", State: "FIN", CCode: 40000, Org: "NATO", Begin: day(2023, 4, 4), Line: 2},
		entente.AllianceTie{A: 365, B: 0, Year: 2018, Line: 3},
		entente.Act{ID: "no-sources", Date: day(2024, 1, 1), Actor: "RUS", Counterpart: "PRK", Kind: "state_visit", Line: 4},
	} {
		recs := []any{act("ok", 2024, 1, 1, "RUS", "PRK", "state_visit", entente.Cooperative), bad}
		_, err := s.ImportTies(ctxT(t), func(w entente.TieWriter) error { return fillTies(w, "bad", recs) })
		var re *entente.RecordError
		if entente.ErrorCode(err) != entente.EINVALID || !errors.As(err, &re) {
			t.Errorf("importing %+v: %v, want an EINVALID RecordError", bad, err)
		}
		if acts, _ := s.Acts(ctxT(t), entente.ActQuery{}); len(acts) != 0 {
			t.Errorf("a refused import left %d acts", len(acts))
		}
	}
	if m, _ := s.Memberships(ctxT(t), "", time.Time{}, time.Time{}); len(m) != 0 {
		t.Errorf("a refused import left %d memberships", len(m))
	}
}

func testAlliances(t *testing.T, s entente.Store) {
	if f, l, err := s.AllianceCoverage(ctxT(t)); err != nil || f != 0 || l != 0 {
		t.Errorf("empty coverage = %d..%d, %v; want 0..0", f, l, err)
	}
	importTies(t, s, "atop",
		entente.AllianceTie{A: 2, B: 20, Year: 2017, Defense: true, Consult: true},
		entente.AllianceTie{A: 20, B: 2, Year: 2017, Defense: true, Consult: true},
		entente.AllianceTie{A: 365, B: 710, Year: 2018, Consult: true},
		entente.AllianceTie{A: 2, B: 20, Year: 2018, Defense: true},
	)
	f, l, err := s.AllianceCoverage(ctxT(t))
	if err != nil || f != 2017 || l != 2018 {
		t.Errorf("coverage = %d..%d, %v; want 2017..2018", f, l, err)
	}
	ties, err := s.Alliances(ctxT(t), 2018, 0)
	if err != nil || len(ties) != 2 || ties[0].A != 2 || ties[0].Strength() != 3 || ties[1].Strength() != 2 {
		t.Errorf("2018 = %+v, %v", ties, err)
	}
	ties, _ = s.Alliances(ctxT(t), 2017, 20)
	if len(ties) != 2 {
		t.Errorf("2017 with 20 = %+v, want both directions", ties)
	}
}

func testMemberships(t *testing.T, s entente.Store) {
	cite := []entente.Citation{{URL: "https://www.nato.int/", Title: "Finland joins NATO", Publisher: "NATO", Published: day(2023, 4, 4), Checked: true}}
	importTies(t, s, "m",
		entente.Membership{Source: "bloc", State: "FIN", CCode: 375, Org: "NATO", OrgName: "North Atlantic Treaty Organization", Begin: day(2023, 4, 4), Cites: cite},
		entente.Membership{Source: "cowigo", State: "FIN", CCode: 375, Org: "EU", Begin: day(1995, 1, 1), End: day(2014, 12, 31), Censored: true},
		entente.Membership{Source: "bloc", State: "ARM", CCode: 371, Org: "CSTO", Begin: day(2002, 10, 7), End: day(2024, 2, 21)},
		entente.Membership{Source: "bloc", State: "ARM", CCode: 371, Org: "CSTO", Begin: day(2024, 2, 22), Status: "suspended"},
	)
	ms, err := s.Memberships(ctxT(t), "FIN", day(2023, 5, 1), day(2023, 6, 1))
	if err != nil || len(ms) != 1 || ms[0].Org != "NATO" || ms[0].Status != entente.StatusMember || len(ms[0].Cites) != 1 || !ms[0].Cites[0].Published.Equal(day(2023, 4, 4)) {
		t.Errorf("FIN in 2023-05 = %+v, %v; want NATO with its citation", ms, err)
	}
	ms, _ = s.Memberships(ctxT(t), "FIN", day(2010, 1, 1), day(2011, 1, 1))
	if len(ms) != 1 || ms[0].Org != "EU" || !ms[0].Censored || !ms[0].End.Equal(day(2014, 12, 31)) {
		t.Errorf("FIN in 2010 = %+v; want the censored EU spell", ms)
	}
	ms, _ = s.Memberships(ctxT(t), "ARM", day(2025, 6, 1), day(2025, 6, 2))
	if len(ms) != 1 || ms[0].Status != "suspended" || !ms[0].End.IsZero() {
		t.Errorf("ARM in 2025-06 = %+v; want the suspended CSTO spell", ms)
	}
	if all, _ := s.Memberships(ctxT(t), "", day(1900, 1, 1), day(2100, 1, 1)); len(all) != 4 {
		t.Errorf("all memberships: %d, want 4", len(all))
	}
}

func testActs(t *testing.T, s entente.Store) {
	a := act("2024-06-19-prk-rus-treaty", 2024, 6, 19, "PRK", "RUS", "alliance_treaty", entente.Cooperative)
	a.Precision = entente.PrecisionDay
	b := act("2022-06-29-syr-recognition", 2022, 6, 29, "SYR", "RUS", "recognition", entente.Cooperative)
	c := act("2024-12-08-syr-regime-change", 2024, 12, 8, "SYR", "RUS", "regime_change", entente.Hostile)
	c.Precision = entente.PrecisionMonth
	c.End = day(2025, 1, 31)
	c.Magnitude = 2.5
	importTies(t, s, "l", a, b, c)
	got, err := s.Acts(ctxT(t), entente.ActQuery{Either: "RUS", Other: "SYR"})
	if err != nil || len(got) != 2 || got[0].ID != b.ID || got[1].ID != c.ID {
		t.Fatalf("SYR-RUS acts = %+v, %v", got, err)
	}
	r := got[1]
	if r.Stance != entente.Hostile || r.Precision != entente.PrecisionMonth || !r.End.Equal(c.End) || r.Magnitude != 2.5 ||
		len(r.Sources) != 1 || !r.Sources[0].Checked || r.Sources[0].URL != c.Sources[0].URL || r.File != "ledger.yaml" {
		t.Errorf("round trip: %+v, want %+v", r, c)
	}
	if got, _ := s.Acts(ctxT(t), entente.ActQuery{Either: "RUS", From: day(2024, 1, 1), To: day(2024, 12, 1)}); len(got) != 1 || got[0].ID != a.ID {
		t.Errorf("RUS acts in 2024-01..11 = %+v", got)
	}
	if got, _ := s.Acts(ctxT(t), entente.ActQuery{Kind: "recognition"}); len(got) != 1 {
		t.Errorf("recognitions = %+v", got)
	}
	if got, _ := s.Acts(ctxT(t), entente.ActQuery{Actor: "SYR", Counterpart: "RUS"}); len(got) != 2 {
		t.Errorf("SYR→RUS = %+v", got)
	}
}
