package main

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"
)

// cancelWriter is a stderr that cancels the command's context when a progress bar is
// drawn: an interrupt (Ctrl-C) in the middle of an import.
type cancelWriter struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	cancel context.CancelFunc
	drawn  int
}

func (w *cancelWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if bytes.Contains(p, []byte("%")) {
		w.drawn++
		w.cancel()
	}
	return w.buf.Write(p)
}

func TestImportInterruptedLeavesStoreAsItWas(t *testing.T) {
	db := newDB(t)
	mustRun(t, db, "import", "unvotes", "testdata/voeten_excerpt.csv", "--quiet")
	before := snapshot(t, db)

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var stdout bytes.Buffer
	stderr := &cancelWriter{cancel: cancel}
	a := newApp(&stdout, stderr, func(string) string { return "" })
	a.stderrIsTerminal = true // draw the progress bar, which interrupts
	args := append([]string{"import", "unvotes", "--db", db}, excerpts[1:]...)
	code := a.run(ctx, args)
	stderr.mu.Lock()
	drawn := stderr.drawn
	stderr.mu.Unlock()
	if drawn == 0 {
		t.Fatalf("no progress bar was drawn on a terminal stderr, so nothing interrupted the import (exit %d):\n%s", code, stderr.buf.String())
	}
	if code != 1 {
		t.Errorf("interrupted import: exit %d, want 1\nstdout:\n%s\nstderr:\n%q", code, stdout.String(), stderr.buf.String())
	}
	if !strings.Contains(stderr.buf.String(), "interrupted") {
		t.Errorf("interrupted import: stderr does not say so: %q", stderr.buf.String())
	}
	if got := snapshot(t, db); got != before {
		t.Errorf("an interrupted import changed the store:\nbefore:\n%s\nafter:\n%s", before, got)
	}
	// The same import, not interrupted, then adds the files.
	r := mustRun(t, db, append([]string{"import", "unvotes", "--format", "csv"}, excerpts[1:]...)...)
	for _, row := range checkReportCSV(t, r.stdout).rows {
		if row["imported"] == "0" {
			t.Errorf("after the interrupted import, %s was already (partly) stored: %v", row["file"], row)
		}
	}
	if strings.Contains(r.stderr, "\r") {
		t.Errorf("a progress bar was drawn on a stderr that is not a terminal: %q", r.stderr)
	}
}

// A context cancelled before the command starts changes nothing either.
func TestImportCancelledBeforeStart(t *testing.T) {
	db := newDB(t)
	mustRun(t, db, "import", "unvotes", "testdata/voeten_excerpt.csv", "--quiet")
	before := snapshot(t, db)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr bytes.Buffer
	code := newApp(&stdout, &stderr, func(string) string { return "" }).run(ctx, append([]string{"import", "unvotes", "--db", db}, excerpts...))
	if code != 1 {
		t.Errorf("cancelled import: exit %d, want 1\n%s", code, stderr.String())
	}
	if got := snapshot(t, db); got != before {
		t.Errorf("a cancelled import changed the store")
	}
}
