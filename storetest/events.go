package storetest

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/entente/entente"
)

// RunEvents runs the contract suite of entente.EventStore. open must return a new,
// empty store for each call; RunEvents closes it.
func RunEvents(t *testing.T, open func(t *testing.T) entente.Store) {
	runCases(t, open, []storeCase{
		{"Counts", testEventCounts},
		{"ReimportAddsNothing", testEventReimport},
		{"NearDuplicates", testEventNearDuplicates},
		{"FillErrorRollsBack", testEventFillError},
		{"Signals", testEventSignals},
		{"Evidence", testEventEvidence},
		{"Aid", testAid},
	})
}

// ev builds an event between two states with a URL.
func ev(id int64, y, m, d int, a, b, code string, quad int8, gold float32, sources int32, url string) entente.Event {
	return entente.Event{Source: entente.SourceGDELT2, ID: id, Day: day(y, 1, 1).AddDate(0, m-1, d-1), DateAdded: 20240101000000 + id,
		Actor1: a, Actor2: b, Actor1Code: a, Actor2Code: b, EventCode: code, RootCode: code[:2], Quad: quad,
		Goldstein: gold, NumMentions: sources, NumSources: sources, NumArticles: sources, AvgTone: -1, URL: url, Line: int(id)}
}

// eventFile is one file of an event import.
type eventFile struct {
	path    string
	records []any // entente.Event, entente.Mention, entente.Aid, entente.Quarantined
}

func importEvents(t *testing.T, s entente.Store, files ...eventFile) []entente.ImportReport {
	t.Helper()
	reps, err := s.ImportEvents(ctxT(t), func(w entente.EventWriter) error {
		return fillEvents(w, files)
	})
	if err != nil {
		t.Fatalf("ImportEvents: %v", err)
	}
	for _, r := range reps {
		if r.Read != r.Imported+r.Quarantined+r.Duplicate {
			t.Fatalf("%s: read %d != %d + %d + %d", r.File.Path, r.Read, r.Imported, r.Quarantined, r.Duplicate)
		}
	}
	return reps
}

func fillEvents(w entente.EventWriter, files []eventFile) error {
	for _, f := range files {
		if err := w.StartFile(entente.ImportFile{Source: entente.SourceGDELT2, Path: f.path, SHA256: "sha-" + f.path, Size: 1}); err != nil {
			return err
		}
		for _, r := range f.records {
			var err error
			switch r := r.(type) {
			case entente.Event:
				err = w.Event(r)
			case entente.Mention:
				err = w.Mention(r)
			case entente.Aid:
				err = w.Aid(r)
			case entente.Quarantined:
				err = w.Quarantine(r)
			}
			if err != nil {
				return err
			}
		}
		if err := w.FinishFile(int64(len(f.records)), nil); err != nil {
			return err
		}
	}
	return nil
}

func testEventCounts(t *testing.T, s entente.Store) {
	f := eventFile{"a.export.CSV", []any{
		ev(1, 2024, 8, 1, "RUS", "UKR", "190", 4, -10, 2, "u1"),
		ev(2, 2024, 8, 1, "RUS", "PRK", "042", 1, 1.9, 1, "u2"),
		ev(2, 2024, 8, 1, "RUS", "PRK", "042", 1, 1.9, 1, "u2"), // the same id again
		entente.Mention{EventID: 1, EventTime: 20240801000000, MentionTime: 20240801001500, Type: 1, URL: "u1", SentenceID: 3, Actor1Offset: -1, Actor2Offset: 10, ActionOffset: 20, Confidence: 50, Line: 1},
		entente.Quarantined{Line: 9, Field: "EventCode", Reason: "unknown CAMEO code 999", Raw: "x"},
	}}
	reps := importEvents(t, s, f)
	checkCounts(t, reps[0], counts{5, 3, 1, 1})
	q, err := s.Quarantine(ctxT(t), "", 0)
	if err != nil || len(q) != 1 || q[0].Line != 9 || !strings.Contains(q[0].Reason, "999") {
		t.Errorf("quarantine = %+v, %v", q, err)
	}
}

func testEventReimport(t *testing.T, s entente.Store) {
	f := eventFile{"a.export.CSV", []any{
		ev(1, 2024, 8, 1, "RUS", "UKR", "190", 4, -10, 2, "u1"),
		ev(2, 2024, 8, 2, "USA", "UKR", "070", 2, 7, 3, "u2"),
		entente.Mention{EventID: 1, EventTime: 1, MentionTime: 2, Type: 1, URL: "u1", SentenceID: 1, Actor1Offset: -1, Actor2Offset: -1, ActionOffset: -1, Line: 3},
	}}
	importEvents(t, s, f)
	before := signals(t, s, entente.EventQuery{})
	reps := importEvents(t, s, f)
	checkCounts(t, reps[0], counts{3, 0, 0, 3})
	if after := signals(t, s, entente.EventQuery{}); len(after) != len(before) || after[0].N != before[0].N {
		t.Errorf("re-import changed the signals: %+v -> %+v", before, after)
	}
}

func testEventNearDuplicates(t *testing.T, s entente.Store) {
	// Re-emitted: same day, dyad, code and URL, new id. Within one import and across two.
	importEvents(t, s, eventFile{"a", []any{
		ev(1, 2024, 8, 1, "RUS", "UKR", "190", 4, -10, 2, "u1"),
		ev(2, 2024, 8, 1, "RUS", "UKR", "190", 4, -10, 2, "u1"), // near-duplicate of 1
		ev(3, 2024, 8, 1, "RUS", "UKR", "193", 4, -10, 2, "u1"), // another code: kept
		ev(4, 2024, 8, 1, "UKR", "RUS", "190", 4, -10, 2, "u1"), // other direction: kept
	}})
	reps := importEvents(t, s, eventFile{"b", []any{
		ev(5, 2024, 8, 1, "RUS", "UKR", "190", 4, -10, 2, "u1"), // near-duplicate of 1, stored
		ev(6, 2024, 8, 2, "RUS", "UKR", "190", 4, -10, 2, "u1"), // another day: kept
	}})
	checkCounts(t, reps[0], counts{2, 1, 0, 1})
	if !strings.Contains(strings.Join(reps[0].Notes, " "), "1 re-emitted near-duplicates") {
		t.Errorf("notes = %q, want the near-duplicate count", reps[0].Notes)
	}
	sig := signals(t, s, entente.EventQuery{A: "RUS", B: "UKR"})
	var n int64
	for _, e := range sig {
		n += e.N
	}
	if n != 4 {
		t.Errorf("events kept between RUS and UKR = %d, want 4 (1, 3, 4, 6)", n)
	}
}

func testEventFillError(t *testing.T, s entente.Store) {
	boom := errors.New("boom")
	_, err := s.ImportEvents(ctxT(t), func(w entente.EventWriter) error {
		if err := fillEvents(w, []eventFile{{"a", []any{ev(1, 2024, 8, 1, "RUS", "UKR", "190", 4, -10, 2, "u1")}}}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if sig := signals(t, s, entente.EventQuery{}); len(sig) != 0 {
		t.Errorf("a failed import left signals: %+v", sig)
	}
	ctx, cancel := context.WithCancel(ctxT(t))
	cancel()
	if _, err := s.ImportEvents(ctx, func(w entente.EventWriter) error {
		return fillEvents(w, []eventFile{{"a", []any{ev(1, 2024, 8, 1, "RUS", "UKR", "190", 4, -10, 2, "u1")}}})
	}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: err = %v", err)
	}
	if sig := signals(t, s, entente.EventQuery{}); len(sig) != 0 {
		t.Errorf("a cancelled import left signals: %+v", sig)
	}
}

func signals(t *testing.T, s entente.Store, q entente.EventQuery) []entente.EventSignal {
	t.Helper()
	sig, err := s.EventSignals(ctxT(t), q)
	if err != nil {
		t.Fatalf("EventSignals: %v", err)
	}
	return sig
}

func testEventSignals(t *testing.T, s entente.Store) {
	nan := float32(math.NaN())
	importEvents(t, s, eventFile{"a", []any{
		ev(1, 2024, 8, 1, "RUS", "PRK", "042", 1, 1.9, 1, "u1"),
		ev(2, 2024, 8, 5, "RUS", "PRK", "061", 2, 6.4, 3, "u2"),
		ev(3, 2024, 8, 9, "RUS", "PRK", "112", 3, -2, 0, "u3"), // NumSources 0 weighs as 1
		ev(4, 2024, 8, 9, "RUS", "PRK", "190", 4, nan, 5, "u4"),
		ev(5, 2024, 9, 1, "RUS", "PRK", "042", 1, 1.9, 1, "u5"),
		ev(6, 2024, 8, 1, "PRK", "RUS", "042", 1, 1.9, 2, "u6"),
		ev(7, 2024, 8, 1, "RUS", "RUS", "042", 1, 1.9, 2, "u7"), // not a dyad
		ev(8, 2024, 8, 1, "RUS", "", "042", 1, 1.9, 2, "u8"),    // no second state
	}})
	sig := signals(t, s, entente.EventQuery{A: "RUS", B: "PRK", By: "month"})
	if len(sig) != 3 {
		t.Fatalf("signals = %+v, want PRK→RUS 2024-08, RUS→PRK 2024-08 and 2024-09", sig)
	}
	aug := sig[1]
	if aug.A != "RUS" || aug.B != "PRK" || aug.Period != "2024-08" || aug.N != 4 || aug.Quad != [4]int64{1, 1, 1, 1} {
		t.Fatalf("RUS→PRK 2024-08 = %+v", aug)
	}
	// Goldstein weighted by NumSources (0 counts as 1), events without a value left out:
	// (1.9·1 + 6.4·3 − 2·1) / (1 + 3 + 1) = 19.1 / 5.
	if math.Abs(aug.GoldsteinSum-19.1) > 1e-4 || aug.Weight != 5 || math.Abs(aug.GoldsteinMean-19.1/5) > 1e-4 {
		t.Errorf("Goldstein sum %v weight %d mean %v, want 19.1, 5, 3.82", aug.GoldsteinSum, aug.Weight, aug.GoldsteinMean)
	}
	if aug.CoopShare != 0.5 {
		t.Errorf("cooperation share %v, want 0.5", aug.CoopShare)
	}
	year := signals(t, s, entente.EventQuery{A: "RUS", By: "year"})
	if len(year) != 2 || year[1].A != "RUS" || year[1].N != 5 || year[1].Period != "2024" {
		t.Errorf("by year = %+v, want PRK→RUS (1) and RUS→PRK (5) in 2024", year)
	}
	window := signals(t, s, entente.EventQuery{From: day(2024, 9, 1), To: day(2024, 10, 1)})
	if len(window) != 1 || window[0].Period != "2024-09" {
		t.Errorf("September window = %+v", window)
	}
	if _, err := s.EventSignals(ctxT(t), entente.EventQuery{By: "week"}); entente.ErrorCode(err) != entente.EINVALID {
		t.Errorf("by week: err = %v, want EINVALID", err)
	}
}

func testEventEvidence(t *testing.T, s entente.Store) {
	importEvents(t, s, eventFile{"a", []any{
		ev(1, 2024, 8, 1, "RUS", "PRK", "042", 1, 1.9, 1, "a"),
		ev(2, 2024, 8, 2, "RUS", "PRK", "043", 1, 2.8, 1, "a"),
		ev(3, 2024, 8, 3, "RUS", "PRK", "043", 1, 2.8, 9, "b"),
		ev(4, 2024, 8, 4, "RUS", "PRK", "043", 1, 2.8, 1, "c"),
	}})
	evi, err := s.EventEvidence(ctxT(t), entente.EventQuery{A: "RUS", B: "PRK", By: "month"}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(evi) != 2 || evi[0].URL != "a" || evi[0].Events != 2 || evi[1].URL != "b" || evi[1].Sources != 9 {
		t.Errorf("evidence = %+v, want a (2 events) then b (9 sources)", evi)
	}
}

func testAid(t *testing.T, s entente.Store) {
	cite := func(release string, y int) entente.Citation {
		return entente.Citation{URL: "https://example.org/kiel", Title: release, Publisher: "Kiel Institute", Published: day(y, 1, 1)}
	}
	aid := func(donor, kind string, m int, v float64, release string, y int) entente.Aid {
		return entente.Aid{Donor: donor, Recipient: "UKR", Month: day(2022, time.Month(m), 1), Kind: kind, EURbn: v, Cite: cite(release, y), Line: m}
	}
	reps := importEvents(t, s, eventFile{"kiel28.csv", []any{
		aid("DEU", "military", 3, 1.0, "r28", 2025),
		aid("DEU", "financial", 3, 0.5, "r28", 2025),
		aid("DEU", "financial", 3, 0.5, "r28", 2025), // repeated
	}}, eventFile{"kiel29.csv", []any{
		aid("DEU", "military", 3, 1.25, "r29", 2026),
		aid("DEU", "military", 4, 2.0, "r29", 2026),
	}})
	checkCounts(t, reps[0], counts{3, 2, 0, 1})
	sig, err := s.AidSignals(ctxT(t), entente.EventQuery{A: "DEU", By: "year"})
	if err != nil {
		t.Fatal(err)
	}
	// The latest release (r29) replaces r28 for the DEU→UKR dyad.
	if len(sig) != 1 || math.Abs(sig[0].EURbn-3.25) > 1e-9 || sig[0].ByKind["military"] != 3.25 || sig[0].ByKind["financial"] != 0 {
		t.Errorf("aid = %+v, want 3.25 bn military from release r29", sig)
	}
}
