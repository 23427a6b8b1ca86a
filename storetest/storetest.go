// Package storetest is the contract suite of entente.Store. Every backend runs it from
// its own tests (storetest.Run(t, open)); it uses only the entente interfaces, so what it
// checks is the contract, not an implementation.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/entente/entente"
)

// Run runs the contract suite. open must return a new, empty store for each call; Run
// closes it.
func Run(t *testing.T, open func(t *testing.T) entente.Store) {
	runCases(t, open, []storeCase{
		{"ImportCounts", testImportCounts},
		{"ReimportAddsNothing", testReimport},
		{"FillErrorRollsBack", testFillError},
		{"CancelledContextRollsBack", testCancelled},
		{"ReadMismatchRollsBack", testReadMismatch},
		{"DuplicatesWithinImport", testDuplicatesWithin},
		{"ImpliedRollCallNotCounted", testImplied},
		{"RecordOutsideFile", testOutsideFile},
		{"ConcurrentImports", testConcurrentImports},
		{"RollCallDates", testRollCallDates},
		{"VoteCoverage", testVoteCoverage},
		{"Ballots", testBallots},
		{"Quarantine", testQuarantine},
		{"Imports", testImports},
		{"SimilarityRoundTrip", testSimilarityRoundTrip},
		{"SimilarityReplace", testSimilarityReplace},
		{"SimilarityQuery", testSimilarityQuery},
	})
}

// storeCase is one contract test: it gets a new, empty store.
type storeCase struct {
	name string
	f    func(t *testing.T, s entente.Store)
}

// runCases runs each case as a subtest on a store of its own, closed afterwards.
func runCases(t *testing.T, open func(t *testing.T) entente.Store, cases []storeCase) {
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("close: %v", err)
				}
			})
			tt.f(t, s)
		})
	}
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

var day = entente.Day

// file is one input file of a fixture import: its records in order and the number of
// records the caller claims to have read.
type file struct {
	f       entente.ImportFile
	records []any // entente.RollCall, implied, entente.Vote, entente.RollCallIssue, entente.Quarantined
	read    int64 // -1: count the counted records
	notes   []string
}

// implied wraps a roll call written with ImpliedRollCall.
type implied entente.RollCall

func (f file) fill(w entente.VoteWriter) error {
	if err := w.StartFile(f.f); err != nil {
		return err
	}
	var n int64
	for _, r := range f.records {
		var err error
		switch r := r.(type) {
		case entente.RollCall:
			err, n = w.RollCall(r), n+1
		case implied:
			err = w.ImpliedRollCall(entente.RollCall(r))
		case entente.Vote:
			err, n = w.Vote(r), n+1
		case entente.RollCallIssue:
			err, n = w.Issue(r), n+1
		case entente.Quarantined:
			err, n = w.Quarantine(r), n+1
		default:
			panic(fmt.Sprintf("storetest: record type %T", r))
		}
		if err != nil {
			return err
		}
	}
	if f.read >= 0 {
		n = f.read
	}
	return w.FinishFile(n, f.notes)
}

func fillAll(files ...file) func(entente.VoteWriter) error {
	return func(w entente.VoteWriter) error {
		for _, f := range files {
			if err := f.fill(w); err != nil {
				return err
			}
		}
		return nil
	}
}

func mustImport(t *testing.T, s entente.Store, files ...file) []entente.ImportReport {
	t.Helper()
	reps, err := s.ImportVotes(ctxT(t), fillAll(files...))
	if err != nil {
		t.Fatalf("ImportVotes: %v", err)
	}
	if len(reps) != len(files) {
		t.Fatalf("ImportVotes: %d reports for %d files", len(reps), len(files))
	}
	for _, r := range reps {
		if r.Read != r.Imported+r.Quarantined+r.Duplicate {
			t.Errorf("%s: read %d != imported %d + quarantined %d + duplicate %d",
				r.File.Path, r.Read, r.Imported, r.Quarantined, r.Duplicate)
		}
	}
	return reps
}

type counts struct{ read, imported, quarantined, duplicate int64 }

func checkCounts(t *testing.T, r entente.ImportReport, want counts) {
	t.Helper()
	got := counts{r.Read, r.Imported, r.Quarantined, r.Duplicate}
	if got != want {
		t.Errorf("%s: counts (read, imported, quarantined, duplicate) = %v, want %v", r.File.Path, got, want)
	}
}

func digest(name string) string {
	return fmt.Sprintf("%064x", []byte(name))[:64]
}

// voetenFile is a long-layout vote file: two roll calls implied by its rows, seven votes
// (one absent) and one refused row.
func voetenFile() file {
	src := entente.SourceVoeten
	rc1 := implied{Source: src, ID: "1001", Session: 35, Date: day(1980, 10, 1)}
	rc2 := implied{Source: src, ID: "1002", Session: 35, Date: day(1981, 3, 2)}
	v := func(rc string, ccode int, iso3 string, val entente.VoteValue, line int) entente.Vote {
		return entente.Vote{Source: src, RollCallID: rc, CCode: ccode, ISO3: iso3, Value: val, Line: line}
	}
	return file{
		f: entente.ImportFile{Source: src, Path: "data/voeten.csv", SHA256: digest("voeten"), Size: 1234},
		records: []any{
			rc1, v("1001", 365, "SUN", entente.No, 2),
			rc1, v("1001", 2, "USA", entente.Yes, 3),
			rc1, v("1001", 200, "GBR", entente.Abstain, 4),
			rc1, v("1001", 20, "CAN", entente.Absent, 5),
			entente.Quarantined{Line: 6, Field: "vote", Reason: "bad vote code \"7\"", Raw: "1001,40,7"},
			rc2, v("1002", 2, "USA", entente.Yes, 7),
			rc2, v("1002", 365, "SUN", entente.Yes, 8),
			rc2, v("1002", 200, "GBR", entente.No, 9),
		},
		read:  -1,
		notes: []string{"header: resid,ccode,vote"},
	}
}

func testImportCounts(t *testing.T, s entente.Store) {
	reps := mustImport(t, s, voetenFile())
	checkCounts(t, reps[0], counts{read: 8, imported: 7, quarantined: 1})
	if reps[0].File != voetenFile().f {
		t.Errorf("report file = %+v, want %+v", reps[0].File, voetenFile().f)
	}
	if !slices.Equal(reps[0].Notes, voetenFile().notes) {
		t.Errorf("notes = %q, want %q", reps[0].Notes, voetenFile().notes)
	}
	cov, err := s.VoteCoverage(ctxT(t), "")
	if err != nil {
		t.Fatal(err)
	}
	want := []entente.SourceCoverage{{Source: entente.SourceVoeten, First: day(1980, 10, 1), Last: day(1981, 3, 2), RollCalls: 2, Votes: 7}}
	if !reflect.DeepEqual(cov, want) {
		t.Errorf("coverage = %+v, want %+v", cov, want)
	}
}

func testReimport(t *testing.T, s entente.Store) {
	mustImport(t, s, voetenFile())
	reps := mustImport(t, s, voetenFile())
	checkCounts(t, reps[0], counts{read: 8, duplicate: 7, quarantined: 1})
	q, err := s.Quarantine(ctxT(t), "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(q) != 1 {
		t.Errorf("quarantine has %d records after re-import, want 1", len(q))
	}
	imps, err := s.Imports(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(imps) != 2 {
		t.Fatalf("%d import reports, want 2", len(imps))
	}
	checkCounts(t, imps[1], counts{read: 8, duplicate: 7, quarantined: 1})
	cov, _ := s.VoteCoverage(ctxT(t), "")
	if len(cov) != 1 || cov[0].Votes != 7 || cov[0].RollCalls != 2 {
		t.Errorf("coverage after re-import = %+v, want 2 roll calls and 7 votes", cov)
	}
}

// checkEmpty fails if anything of an import is visible in s.
func checkEmpty(t *testing.T, s entente.Store) {
	t.Helper()
	ctx := ctxT(t)
	cov, err := s.VoteCoverage(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(cov) != 0 {
		t.Errorf("coverage = %+v, want none", cov)
	}
	dates, err := s.RollCallDates(ctx, entente.SourceVoeten)
	if err != nil {
		t.Fatal(err)
	}
	if len(dates) != 0 {
		t.Errorf("roll calls = %v, want none", dates)
	}
	b, err := s.Ballots(ctx, entente.BallotQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != 0 {
		t.Errorf("%d ballots, want none", len(b))
	}
	q, err := s.Quarantine(ctx, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(q) != 0 {
		t.Errorf("%d quarantined, want none", len(q))
	}
	imps, err := s.Imports(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(imps) != 0 {
		t.Errorf("%d import reports, want none", len(imps))
	}
}

func testFillError(t *testing.T, s entente.Store) {
	boom := errors.New("boom")
	_, err := s.ImportVotes(ctxT(t), func(w entente.VoteWriter) error {
		if err := voetenFile().fill(w); err != nil {
			return err
		}
		if err := unvotesFiles()[0].fill(w); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("ImportVotes error = %v, want the fill error", err)
	}
	checkEmpty(t, s)
	// The store is still usable.
	mustImport(t, s, voetenFile())
}

func testCancelled(t *testing.T, s entente.Store) {
	ctx, cancel := context.WithCancel(ctxT(t))
	_, err := s.ImportVotes(ctx, func(w entente.VoteWriter) error {
		if err := voetenFile().fill(w); err != nil {
			return err
		}
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("ImportVotes error = %v, want context.Canceled", err)
	}
	checkEmpty(t, s)

	// Cancelled while writing many records: the writer notices and the fill fails.
	ctx, cancel = context.WithCancel(ctxT(t))
	_, err = s.ImportVotes(ctx, func(w entente.VoteWriter) error {
		f := entente.ImportFile{Source: entente.SourceVoeten, Path: "big.csv", SHA256: digest("big")}
		if err := w.StartFile(f); err != nil {
			return err
		}
		for i := range 1_000_000 {
			if i == 10 {
				cancel()
			}
			rc := entente.RollCall{Source: entente.SourceVoeten, ID: fmt.Sprint(i / 100), Date: day(1990, 1, 1)}
			if err := w.ImpliedRollCall(rc); err != nil {
				return err
			}
			if err := w.Vote(entente.Vote{Source: rc.Source, RollCallID: rc.ID, CCode: 2 + i%100, Value: entente.Yes, Line: i + 2}); err != nil {
				return err
			}
		}
		return w.FinishFile(1_000_000, nil)
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("ImportVotes error = %v, want context.Canceled", err)
	}
	checkEmpty(t, s)
}

func testReadMismatch(t *testing.T, s entente.Store) {
	f := voetenFile()
	f.read = 9
	_, err := s.ImportVotes(ctxT(t), fillAll(f))
	if err == nil {
		t.Fatal("ImportVotes with a wrong read count succeeded")
	}
	if code := entente.ErrorCode(err); code != entente.EINTERNAL {
		t.Errorf("error code = %q, want %q (%v)", code, entente.EINTERNAL, err)
	}
	if !strings.Contains(err.Error(), f.f.Path) {
		t.Errorf("error %q does not name the file %s", err, f.f.Path)
	}
	checkEmpty(t, s)
}

func testDuplicatesWithin(t *testing.T, s entente.Store) {
	a := voetenFile()
	dupVote := entente.Vote{Source: entente.SourceVoeten, RollCallID: "1001", CCode: 365, Value: entente.No, Line: 10}
	a.records = append(a.records, dupVote, dupVote)
	b := voetenFile()
	b.f.Path, b.f.SHA256 = "data/voeten-copy.csv", digest("copy")
	reps := mustImport(t, s, a, b)
	checkCounts(t, reps[0], counts{read: 10, imported: 7, quarantined: 1, duplicate: 2})
	checkCounts(t, reps[1], counts{read: 8, quarantined: 1, duplicate: 7})
	q, err := s.Quarantine(ctxT(t), "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(q) != 2 {
		t.Errorf("%d quarantined records, want 2 (one per file digest)", len(q))
	}
}

func testImplied(t *testing.T, s entente.Store) {
	rc := implied{Source: entente.SourceVoeten, ID: "7", Date: day(1970, 5, 5)}
	f := file{f: entente.ImportFile{Source: entente.SourceVoeten, Path: "x.csv", SHA256: digest("x")},
		records: []any{rc, rc}, read: -1}
	reps := mustImport(t, s, f)
	checkCounts(t, reps[0], counts{})
	dates, err := s.RollCallDates(ctxT(t), entente.SourceVoeten)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]time.Time{"7": day(1970, 5, 5)}; !reflect.DeepEqual(dates, want) {
		t.Errorf("roll call dates = %v, want %v", dates, want)
	}
	// Implied again, and then read as a record: the record is a duplicate.
	f.records = []any{rc, entente.RollCall(rc)}
	reps = mustImport(t, s, f)
	checkCounts(t, reps[0], counts{read: 1, duplicate: 1})
}

func testOutsideFile(t *testing.T, s entente.Store) {
	_, err := s.ImportVotes(ctxT(t), func(w entente.VoteWriter) error {
		return w.Vote(entente.Vote{Source: entente.SourceVoeten, RollCallID: "1", CCode: 2, Value: entente.Yes})
	})
	if err == nil {
		t.Error("a vote outside StartFile/FinishFile was accepted")
	}
	_, err = s.ImportVotes(ctxT(t), func(w entente.VoteWriter) error {
		return w.StartFile(entente.ImportFile{Source: entente.SourceVoeten, Path: "open.csv"})
	})
	if err == nil {
		t.Error("an import with a file never finished was accepted")
	}
	checkEmpty(t, s)
}

// testConcurrentImports runs overlapping imports at once: each record is imported by
// exactly one of them and counted as a duplicate by the others.
func testConcurrentImports(t *testing.T, s entente.Store) {
	const workers = 4
	errs := make(chan error, workers)
	reps := make([][]entente.ImportReport, workers)
	var wg sync.WaitGroup
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f := voetenFile()
			f.f.Path = fmt.Sprintf("copy-%d.csv", i)
			var err error
			reps[i], err = s.ImportVotes(context.Background(), fillAll(f))
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var imported, duplicate int64
	for _, r := range reps {
		imported += r[0].Imported
		duplicate += r[0].Duplicate
	}
	if imported != 7 || duplicate != 7*(workers-1) {
		t.Errorf("imported %d and duplicate %d in all, want 7 and %d", imported, duplicate, 7*(workers-1))
	}
	imps, err := s.Imports(ctxT(t))
	if err != nil || len(imps) != workers {
		t.Errorf("Imports = %d reports, %v; want %d", len(imps), err, workers)
	}
	q, err := s.Quarantine(ctxT(t), "", 0)
	if err != nil || len(q) != 1 {
		t.Errorf("Quarantine = %d records, %v; want 1 (same file digest)", len(q), err)
	}
}

// unvotesFiles are the three files of the unvotes package: roll calls (with issue codes
// on the records), votes and issues.
func unvotesFiles() []file {
	src := entente.SourceUNVotes
	rcs := []entente.RollCall{
		{Source: src, ID: "10", Session: 1, Date: day(1946, 1, 1), Title: "colonial question", Issues: []string{"co"}},
		{Source: src, ID: "20", Session: 2, Date: day(1947, 6, 1), Resolution: "R/2/5", Important: true},
		{Source: src, ID: "30", Session: 2, Date: day(1947, 6, 1), URL: "https://example.org/30"},
		{Source: src, ID: "40", Session: 3, Date: day(1948, 2, 1)}, // only absent votes
	}
	var rcRecs []any
	for _, rc := range rcs {
		rcRecs = append(rcRecs, rc)
	}
	v := func(rc string, ccode int, val entente.VoteValue) entente.Vote {
		return entente.Vote{Source: src, RollCallID: rc, CCode: ccode, Value: val}
	}
	votes := []any{
		// Written in descending ccode order: Ballots must sort them.
		v("10", 365, entente.No), v("10", 200, entente.Yes), v("10", 2, entente.Yes),
		v("20", 710, entente.Abstain), v("20", 2, entente.No), v("20", 40, entente.NonMember),
		v("30", 365, entente.Yes), v("30", 2, entente.Yes),
		v("40", 2, entente.Absent),
	}
	issues := []any{
		entente.RollCallIssue{Source: src, RollCallID: "20", Issue: "hr"},
		entente.RollCallIssue{Source: src, RollCallID: "30", Issue: "hr"},
		entente.RollCallIssue{Source: src, RollCallID: "10", Issue: "co"}, // also on the record
	}
	mk := func(name string, recs []any) file {
		return file{f: entente.ImportFile{Source: src, Path: name, SHA256: digest(name), Size: 10}, records: recs, read: -1}
	}
	return []file{mk("roll_calls.csv", rcRecs), mk("votes.csv", votes), mk("issues.csv", issues)}
}

func testRollCallDates(t *testing.T, s entente.Store) {
	mustImport(t, s, unvotesFiles()...)
	mustImport(t, s, voetenFile())
	dates, err := s.RollCallDates(ctxT(t), entente.SourceUNVotes)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]time.Time{"10": day(1946, 1, 1), "20": day(1947, 6, 1), "30": day(1947, 6, 1), "40": day(1948, 2, 1)}
	if !reflect.DeepEqual(dates, want) {
		t.Errorf("RollCallDates = %v, want %v", dates, want)
	}
	dates, err = s.RollCallDates(ctxT(t), entente.SourceUNDL)
	if err != nil || len(dates) != 0 {
		t.Errorf("RollCallDates of a source with none = %v, %v; want empty", dates, err)
	}
}

func testVoteCoverage(t *testing.T, s entente.Store) {
	reps := mustImport(t, s, unvotesFiles()...)
	checkCounts(t, reps[0], counts{read: 4, imported: 4})
	checkCounts(t, reps[1], counts{read: 9, imported: 9})
	// The "co" issue of roll call 10 came with its record, so the issue row is a duplicate.
	checkCounts(t, reps[2], counts{read: 3, imported: 2, duplicate: 1})
	mustImport(t, s, voetenFile())
	ctx := ctxT(t)
	cov, err := s.VoteCoverage(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	want := []entente.SourceCoverage{
		{Source: entente.SourceUNVotes, First: day(1946, 1, 1), Last: day(1948, 2, 1), RollCalls: 4, Votes: 9},
		{Source: entente.SourceVoeten, First: day(1980, 10, 1), Last: day(1981, 3, 2), RollCalls: 2, Votes: 7},
	}
	slices.SortFunc(cov, func(a, b entente.SourceCoverage) int { return strings.Compare(a.Source, b.Source) })
	if !reflect.DeepEqual(cov, want) {
		t.Errorf("coverage = %+v, want %+v", cov, want)
	}
	cov, err = s.VoteCoverage(ctx, "hr")
	if err != nil {
		t.Fatal(err)
	}
	want = []entente.SourceCoverage{{Source: entente.SourceUNVotes, First: day(1947, 6, 1), Last: day(1947, 6, 1), RollCalls: 2, Votes: 5}}
	if !reflect.DeepEqual(cov, want) {
		t.Errorf("coverage of hr = %+v, want %+v", cov, want)
	}
	cov, err = s.VoteCoverage(ctx, "nu")
	if err != nil || len(cov) != 0 {
		t.Errorf("coverage of an issue with no roll calls = %+v, %v; want none", cov, err)
	}
}

func testBallots(t *testing.T, s entente.Store) {
	mustImport(t, s, unvotesFiles()...)
	mustImport(t, s, voetenFile())
	ctx := ctxT(t)
	uv, vt := entente.SourceUNVotes, entente.SourceVoeten
	y, a, n := entente.Yes, entente.Abstain, entente.No
	all := []entente.Ballot{
		{Source: uv, RollCallID: "10", Date: day(1946, 1, 1), Session: 1, CCodes: []int16{2, 200, 365}, Votes: []entente.VoteValue{y, y, n}},
		{Source: uv, RollCallID: "20", Date: day(1947, 6, 1), Session: 2, CCodes: []int16{2, 710}, Votes: []entente.VoteValue{n, a}},
		{Source: uv, RollCallID: "30", Date: day(1947, 6, 1), Session: 2, CCodes: []int16{2, 365}, Votes: []entente.VoteValue{y, y}},
		// unvotes 40 has no cast vote: left out.
		{Source: vt, RollCallID: "1001", Date: day(1980, 10, 1), Session: 35, CCodes: []int16{2, 200, 365}, Votes: []entente.VoteValue{y, a, n}},
		{Source: vt, RollCallID: "1002", Date: day(1981, 3, 2), Session: 35, CCodes: []int16{2, 200, 365}, Votes: []entente.VoteValue{y, n, y}},
	}
	tests := []struct {
		name string
		q    entente.BallotQuery
		want []entente.Ballot
	}{
		{"all", entente.BallotQuery{}, all},
		{"from", entente.BallotQuery{From: day(1947, 6, 1)}, all[1:]},
		{"to is exclusive", entente.BallotQuery{To: day(1980, 10, 1)}, all[:3]},
		{"window", entente.BallotQuery{From: day(1947, 1, 1), To: day(1981, 1, 1)}, all[1:4]},
		{"issue", entente.BallotQuery{Issue: "hr"}, all[1:3]},
		{"issue on the record", entente.BallotQuery{Issue: "co"}, all[:1]},
		{"issue and window", entente.BallotQuery{Issue: "hr", From: day(1948, 1, 1)}, nil},
		{"empty window", entente.BallotQuery{From: day(2000, 1, 1), To: day(2001, 1, 1)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Ballots(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) == 0 && len(tt.want) == 0 {
				return
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Ballots(%+v) =\n%+v\nwant\n%+v", tt.q, got, tt.want)
			}
		})
	}
}

func testQuarantine(t *testing.T, s entente.Store) {
	mustImport(t, s, voetenFile())
	f := unvotesFiles()[1]
	f.records = append(f.records,
		entente.Quarantined{Line: 12, Field: "country_code", Reason: "unknown state \"XX\"", Raw: "10,XX,yes"},
		entente.Quarantined{Line: 11, Field: "", Reason: "wrong number of fields", Raw: strings.Repeat("é", 800) + "\xff"},
	)
	mustImport(t, s, f)
	ctx := ctxT(t)
	all, err := s.Quarantine(ctx, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 {
		t.Fatalf("%d quarantined records, want 3: %+v", len(all), all)
	}
	if all[0].Source != entente.SourceUNVotes || all[2].Source != entente.SourceVoeten {
		t.Errorf("quarantine not newest import first: %+v", all)
	}
	wantVoeten := entente.Quarantined{Source: entente.SourceVoeten, File: "data/voeten.csv", SHA256: digest("voeten"),
		Line: 6, Field: "vote", Reason: "bad vote code \"7\"", Raw: "1001,40,7"}
	if all[2] != wantVoeten {
		t.Errorf("quarantined = %+v, want %+v (source, file and digest from the file)", all[2], wantVoeten)
	}
	long := all[0]
	if long.Line != 11 {
		long = all[1]
	}
	if len(long.Raw) > 1000 || !strings.HasPrefix(long.Raw, "éé") {
		t.Errorf("long raw line kept as %d bytes, want at most 1,000 bytes of its start", len(long.Raw))
	}
	some, err := s.Quarantine(ctx, "", 1)
	if err != nil || len(some) != 1 || some[0].Source != entente.SourceUNVotes {
		t.Errorf("Quarantine limit 1 = %+v, %v", some, err)
	}
	v, err := s.Quarantine(ctx, entente.SourceVoeten, 0)
	if err != nil || len(v) != 1 || v[0] != wantVoeten {
		t.Errorf("Quarantine of voeten = %+v, %v", v, err)
	}
}

func testImports(t *testing.T, s entente.Store) {
	if reps, err := s.Imports(ctxT(t)); err != nil || len(reps) != 0 {
		t.Fatalf("Imports of an empty store = %v, %v", reps, err)
	}
	first := mustImport(t, s, unvotesFiles()...)
	second := mustImport(t, s, voetenFile())
	got, err := s.Imports(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	want := append(first, second...)
	if len(got) != len(want) {
		t.Fatalf("%d reports, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.File != w.File || g.Read != w.Read || g.Imported != w.Imported || g.Quarantined != w.Quarantined ||
			g.Duplicate != w.Duplicate || !slices.Equal(g.Notes, w.Notes) {
			t.Errorf("report %d = %+v, want %+v", i, g, w)
		}
		if g.Started.IsZero() || g.Finished.Before(g.Started) ||
			!g.Started.Truncate(time.Second).Equal(w.Started.Truncate(time.Second)) {
			t.Errorf("report %d times %v..%v, want %v..%v", i, g.Started, g.Finished, w.Started, w.Finished)
		}
	}
}

var nan = math.NaN()

func sim(a, b int, period string, n int, v ...float64) entente.Similarity {
	s := entente.Similarity{A: a, B: b, Period: period, N: n}
	copy(s.Values[:], v)
	return s
}

// sameSimilarities compares rows treating NaN as equal to NaN and nothing else.
func sameSimilarities(t *testing.T, got, want []entente.Similarity) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d rows, want %d:\n%+v", len(got), len(want), got)
	}
	for i := range want {
		g, w := got[i], want[i]
		same := g.A == w.A && g.B == w.B && g.Period == w.Period && g.N == w.N
		for j := range w.Values {
			if math.IsNaN(w.Values[j]) != math.IsNaN(g.Values[j]) || !math.IsNaN(w.Values[j]) && g.Values[j] != w.Values[j] {
				same = false
			}
		}
		if !same {
			t.Errorf("row %d = %+v, want %+v", i, g, w)
		}
	}
}

func testSimilarityRoundTrip(t *testing.T, s entente.Store) {
	rows := []entente.Similarity{
		sim(2, 365, "1980", 120, 0.25, -0.5, -0.625, -0.1, -0.2, -0.15, 0.3),
		sim(2, 20, "1980", 0, nan, nan, nan, nan, nan, nan, nan),
		sim(2, 200, "1980", 3, 1, 1, 1, nan, nan, 0, -1),
	}
	ctx := ctxT(t)
	if err := s.ReplaceSimilarity(ctx, "year", rows); err != nil {
		t.Fatal(err)
	}
	got, err := s.Similarities(ctx, entente.SimilarityQuery{By: "year"})
	if err != nil {
		t.Fatal(err)
	}
	sameSimilarities(t, got, []entente.Similarity{rows[1], rows[2], rows[0]})
}

func testSimilarityReplace(t *testing.T, s entente.Store) {
	ctx := ctxT(t)
	old := []entente.Similarity{sim(2, 365, "1980", 1, 1), sim(2, 20, "1981", 1, 1)}
	if err := s.ReplaceSimilarity(ctx, "year", old); err != nil {
		t.Fatal(err)
	}
	sessions := []entente.Similarity{sim(2, 365, "35", 5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5)}
	if err := s.ReplaceSimilarity(ctx, "session", sessions); err != nil {
		t.Fatal(err)
	}
	repl := []entente.Similarity{sim(2, 365, "1980", 9, nan, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6)}
	if err := s.ReplaceSimilarity(ctx, "year", repl); err != nil {
		t.Fatal(err)
	}
	got, err := s.Similarities(ctx, entente.SimilarityQuery{By: "year"})
	if err != nil {
		t.Fatal(err)
	}
	sameSimilarities(t, got, repl)
	got, err = s.Similarities(ctx, entente.SimilarityQuery{By: "session"})
	if err != nil {
		t.Fatal(err)
	}
	sameSimilarities(t, got, sessions)
	// A failed replacement keeps the old rows.
	bad := append(slices.Clone(old), sim(365, 2, "1980", 1))
	if err := s.ReplaceSimilarity(ctx, "year", bad); err == nil {
		t.Error("ReplaceSimilarity accepted a row with A > B")
	}
	got, _ = s.Similarities(ctx, entente.SimilarityQuery{By: "year"})
	sameSimilarities(t, got, repl)
	if err := s.ReplaceSimilarity(ctx, "year", nil); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Similarities(ctx, entente.SimilarityQuery{By: "year"})
	sameSimilarities(t, got, nil)
}

func testSimilarityQuery(t *testing.T, s entente.Store) {
	ctx := ctxT(t)
	years := []entente.Similarity{
		sim(2, 20, "1990", 1), sim(2, 365, "1946", 1), sim(20, 365, "1990", 1),
		sim(2, 365, "1990", 1), sim(2, 365, "2024", 1),
	}
	if err := s.ReplaceSimilarity(ctx, "year", years); err != nil {
		t.Fatal(err)
	}
	sessions := []entente.Similarity{sim(2, 365, "10", 1), sim(2, 365, "9", 1), sim(2, 365, "100", 1)}
	if err := s.ReplaceSimilarity(ctx, "session", sessions); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		q    entente.SimilarityQuery
		want []entente.Similarity
	}{
		{entente.SimilarityQuery{By: "year"}, []entente.Similarity{years[1], years[0], years[3], years[2], years[4]}},
		{entente.SimilarityQuery{By: "year", FromPeriod: "1990", ToPeriod: "1990"}, []entente.Similarity{years[0], years[3], years[2]}},
		{entente.SimilarityQuery{By: "year", FromPeriod: "1947", CCode: 365}, []entente.Similarity{years[3], years[2], years[4]}},
		{entente.SimilarityQuery{By: "year", ToPeriod: "1989"}, []entente.Similarity{years[1]}},
		{entente.SimilarityQuery{By: "session"}, []entente.Similarity{sessions[1], sessions[0], sessions[2]}},
		{entente.SimilarityQuery{By: "session", FromPeriod: "10", ToPeriod: "99"}, []entente.Similarity{sessions[0]}},
		{entente.SimilarityQuery{By: "month"}, nil},
	}
	for _, tt := range tests {
		got, err := s.Similarities(ctx, tt.q)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(fmt.Sprintf("%+v", tt.q), func(t *testing.T) { sameSimilarities(t, got, tt.want) })
	}
}
