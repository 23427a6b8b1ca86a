package ledger

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/country"
)

// tieRecorder is an entente.TieWriter that keeps what it is given, checked by the
// rules every store applies (entente.ImportLog).
type tieRecorder struct {
	log     entente.ImportLog
	started []entente.ImportFile
	acts    []entente.Act
	quar    []entente.Quarantined
	read    []int64
}

func newTieRecorder() *tieRecorder {
	return &tieRecorder{log: entente.NewImportLog(context.Background(), func() time.Time { return testNow })}
}

func (r *tieRecorder) StartFile(f entente.ImportFile) error {
	r.started = append(r.started, f)
	return r.log.StartFile(f)
}
func (r *tieRecorder) Alliance(entente.AllianceTie) error { return errors.New("unexpected alliance") }
func (r *tieRecorder) Membership(entente.Membership) error {
	return errors.New("unexpected membership")
}
func (r *tieRecorder) Act(a entente.Act) error {
	r.acts = append(r.acts, a)
	return r.log.Record("Act", a.Validate())
}
func (r *tieRecorder) Quarantine(q entente.Quarantined) error {
	q, err := r.log.Quarantine(q)
	r.quar = append(r.quar, q)
	return err
}
func (r *tieRecorder) FinishFile(read int64, notes []string) error {
	r.read = append(r.read, read)
	return r.log.FinishFile(read, notes)
}

func TestImport(t *testing.T) {
	dir := t.TempDir()
	good := head + "  kind: alliance_treaty\n" + tail
	bad := strings.Replace(head, "a1", "a2", 1) + "  kind: alliance_tready\n" + tail
	write(t, filepath.Join(dir, "a.yaml"), good+bad)
	w := newTieRecorder()
	res, err := Import(context.Background(), w, country.Default(), []string{dir}, Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].Read != 2 || len(w.acts) != 1 || len(w.quar) != 1 || w.read[0] != 2 {
		t.Fatalf("results %+v, %d acts, %d quarantined", res, len(w.acts), len(w.quar))
	}
	if res[0].File.SHA256 == "" || res[0].File.Size != int64(len(good+bad)) || len(res[0].Notes) != 1 {
		t.Errorf("file %+v, notes %q", res[0].File, res[0].Notes)
	}
	q := w.quar[0]
	if q.Line != 9 || q.Field != "kind" || !strings.HasPrefix(q.Raw, "- id: a2") || !strings.Contains(q.Reason, "unknown kind") {
		t.Errorf("quarantined %+v", q)
	}
	if w.acts[0].ID != "a1" {
		t.Errorf("act %+v", w.acts[0])
	}

	// A file that is not a list of entries stops the import before it starts.
	write(t, filepath.Join(dir, "b.yaml"), "- id: x\n  date: [\n")
	w = newTieRecorder()
	if _, err := Import(context.Background(), w, country.Default(), []string{dir}, Options{Now: testNow}); entente.ErrorCode(err) != entente.EINVALID || !strings.Contains(err.Error(), "b.yaml") {
		t.Errorf("broken file: %v, want EINVALID naming it", err)
	}
}
