package entente_test

import (
	"context"
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
