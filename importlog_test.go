package entente_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/entente/entente"
)

func TestImportLog(t *testing.T) {
	tick := entente.Day(2026, 1, 1)
	now := func() time.Time { tick = tick.Add(time.Second); return tick }
	l := entente.NewImportLog(context.Background(), now)
	if err := l.Next("Vote"); entente.ErrorCode(err) != entente.EINTERNAL {
		t.Errorf("a record outside a file: %v, want EINTERNAL", err)
	}
	if err := l.Number(); err != nil || l.Seq() != 1 {
		t.Errorf("Number outside a file: %v, seq %d", err, l.Seq())
	}
	a := entente.ImportFile{Source: "voeten", Path: "a.csv", SHA256: "aa"}
	if err := l.StartFile(a); err != nil || l.File() != 0 {
		t.Fatalf("StartFile: %v, file %d", err, l.File())
	}
	if err := l.StartFile(a); entente.ErrorCode(err) != entente.EINTERNAL {
		t.Errorf("StartFile twice: %v", err)
	}
	if err := l.Finished(); entente.ErrorCode(err) != entente.EINTERNAL {
		t.Errorf("Finished with a file open: %v", err)
	}
	q, err := l.Quarantine(entente.Quarantined{Line: 3, Reason: "bad"})
	if err != nil || q.Source != "voeten" || q.File != "a.csv" || q.SHA256 != "aa" || l.Seq() != 2 {
		t.Errorf("Quarantine defaults: %+v, %v, seq %d", q, err, l.Seq())
	}
	q, _ = l.Quarantine(entente.Quarantined{Source: "x", File: "y", SHA256: "z"})
	if q.Source != "x" || q.File != "y" || q.SHA256 != "z" {
		t.Errorf("Quarantine overrode given fields: %+v", q)
	}
	if err := l.FinishFile(7, []string{"note"}); err != nil || l.File() != -1 {
		t.Fatalf("FinishFile: %v", err)
	}
	if err := l.FinishFile(1, nil); entente.ErrorCode(err) != entente.EINTERNAL {
		t.Errorf("FinishFile with no file open: %v", err)
	}
	if err := l.Finished(); err != nil {
		t.Errorf("Finished: %v", err)
	}
	r := l.Reports()
	if len(r) != 1 || l.Files() != 1 || r[0].File != a || r[0].Read != 7 || r[0].Notes[0] != "note" || !r[0].Finished.After(r[0].Started) {
		t.Errorf("reports = %+v", r)
	}
	ctx, cancel := context.WithCancel(context.Background())
	l = entente.NewImportLog(ctx, time.Now)
	cancel()
	if err := l.StartFile(a); err != context.Canceled {
		t.Errorf("StartFile after cancel: %v", err)
	}
}

func TestImportLogAccounting(t *testing.T) {
	l := entente.NewImportLog(context.Background(), time.Now)
	for _, p := range []string{"a.csv", "b.csv"} {
		if err := l.StartFile(entente.ImportFile{Source: "gdelt2", Path: p}); err != nil {
			t.Fatal(err)
		}
		if err := l.FinishFile(5, []string{"read " + p}); err != nil {
			t.Fatal(err)
		}
	}
	// Two chunks of the first file, one of the second.
	for _, c := range [][4]int64{{0, 2, 1, 0}, {0, 1, 0, 1}, {1, 3, 1, 0}} {
		if err := l.Count(int(c[0]), c[1], c[2], c[3]); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Count(2, 1, 0, 0); entente.ErrorCode(err) != entente.EINTERNAL {
		t.Errorf("Count of a file not started: %v, want EINTERNAL", err)
	}
	if _, err := l.Accounted(); entente.ErrorCode(err) != entente.EINTERNAL || !strings.Contains(err.Error(), "b.csv: read 5") {
		t.Errorf("Accounted with b.csv short of one record: %v", err)
	}
	l.Count(1, 0, 0, 1)
	l.CountEventDuplicates(1, 0, 1)
	r, err := l.Accounted()
	if err != nil {
		t.Fatal(err)
	}
	if r[0].Imported != 3 || r[0].Quarantined != 1 || r[0].Duplicate != 1 || len(r[0].Notes) != 1 {
		t.Errorf("a.csv = %+v", r[0])
	}
	if len(r[1].Notes) != 2 || !strings.Contains(r[1].Notes[1], "0 repeated event ids, 1 re-emitted") {
		t.Errorf("b.csv notes = %q", r[1].Notes)
	}
	if again, _ := l.Accounted(); len(again[1].Notes) != 2 {
		t.Errorf("Accounted twice added the note twice: %q", again[1].Notes)
	}
}

func TestImportLogRecords(t *testing.T) {
	l := entente.NewImportLog(context.Background(), time.Now)
	l.StartFile(entente.ImportFile{Source: "voeten", Path: "v.csv"})
	rc := entente.RollCall{Source: "voeten", ID: "1", Date: entente.Day(1990, 1, 1)}
	for i, want := range []bool{true, false, false} {
		if stage, err := l.RollCall(rc, false); err != nil || stage != want {
			t.Errorf("implied roll call #%d: stage %v, %v; want %v", i, stage, err, want)
		}
	}
	if l.Seq() != 1 {
		t.Errorf("an implied roll call seen thrice numbered %d times, want once", l.Seq())
	}
	if stage, err := l.RollCall(rc, true); !stage || err != nil || l.Seq() != 2 {
		t.Errorf("counted roll call: %v, %v", stage, err)
	}
	if _, err := l.RollCall(entente.RollCall{Source: "voeten", ID: "2"}, false); entente.ErrorCode(err) != entente.EINVALID {
		t.Errorf("roll call without date: %v, want EINVALID", err)
	}
	if err := l.Record("Vote", entente.Vote{Source: "voeten", RollCallID: "1", CCode: 2}.Validate()); err != nil {
		t.Errorf("valid vote: %v", err)
	}
	if err := l.Record("Vote", entente.Vote{Source: "voeten", RollCallID: "1"}.Validate()); entente.ErrorCode(err) != entente.EINVALID {
		t.Errorf("vote without ccode: %v", err)
	}
	q, _ := l.Quarantine(entente.Quarantined{Reason: "bad \xff", Raw: strings.Repeat("x", 1500)})
	if q.Reason != "bad \uFFFD" || len(q.Raw) != entente.MaxRawBytes {
		t.Errorf("quarantined record kept as %q, raw of %d bytes", q.Reason, len(q.Raw))
	}
}

func BenchmarkImportLogRecord(b *testing.B) {
	l := entente.NewImportLog(context.Background(), time.Now)
	l.StartFile(entente.ImportFile{Source: "voeten", Path: "v.csv"})
	v := entente.Vote{Source: "voeten", RollCallID: "1", CCode: 365, Line: 3}
	b.ReportAllocs()
	for b.Loop() {
		if err := l.Record("Vote", v.Validate()); err != nil {
			b.Fatal(err)
		}
	}
}
