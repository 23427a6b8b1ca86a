package inputfile

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/entente/entente"
)

func TestDigestAndCheck(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "f.csv")
	if err := os.WriteFile(path, []byte("a,b\n1,2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f := File{Path: path}
	sum, size, err := Digest(ctx, f)
	if err != nil || size != 8 || len(sum) != 64 {
		t.Fatalf("Digest = %q, %d, %v", sum, size, err)
	}
	r, err := Reopen(ctx, f, sum)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 3) // the parser reads part of it only
	if _, err := io.ReadFull(r, buf); err != nil {
		t.Fatal(err)
	}
	if err := r.Check(); err != nil {
		t.Errorf("Check of an unchanged file: %v", err)
	}
	r.Close()

	// The file changes between the two reads.
	r, _ = Reopen(ctx, f, sum)
	os.WriteFile(path, []byte("a,b\n1,3\n"), 0o644)
	err = r.Check()
	r.Close()
	if entente.ErrorCode(err) != entente.ECONFLICT || !strings.Contains(err.Error(), "changed while being imported") {
		t.Errorf("Check of a changed file: %v, want ECONFLICT", err)
	}

	// An injected opener, and a missing file.
	g := File{Path: "x", Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader("abc")), nil }}
	if _, n, err := Digest(ctx, g); err != nil || n != 3 {
		t.Errorf("Digest with Open: %d, %v", n, err)
	}
	if _, _, err := Digest(ctx, File{Path: filepath.Join(t.TempDir(), "missing")}); err == nil {
		t.Error("Digest of a missing file: no error")
	}
}

func TestOpenDigestAndReadAll(t *testing.T) {
	ctx := context.Background()
	f := File{Path: "x", Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader("a,b\n1,2\n")), nil }}
	want, size, err := Digest(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Open(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	buf := make([]byte, 2) // the parser stops early: Digest reads the rest
	if _, err := io.ReadFull(r, buf); err != nil {
		t.Fatal(err)
	}
	if sum, n, err := r.Digest(); err != nil || sum != want || n != size {
		t.Errorf("Open+Digest = %s, %d, %v; want %s, %d", sum, n, err, want, size)
	}
	data, sum, err := ReadAll(ctx, f)
	if err != nil || string(data) != "a,b\n1,2\n" || sum != want {
		t.Errorf("ReadAll = %q, %s, %v", data, sum, err)
	}
	if _, _, err := ReadAll(ctx, File{Path: filepath.Join(t.TempDir(), "missing")}); err == nil {
		t.Error("ReadAll of a missing file: no error")
	}
}

func TestProgress(t *testing.T) {
	defer func(f func() time.Time) { nowFunc = f }(nowFunc)
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	nowFunc = func() time.Time { return clock }
	var calls [][2]int64
	p := NewProgress(strings.NewReader(strings.Repeat("x", 10)), "f", 10, func(file string, done, total int64) {
		calls = append(calls, [2]int64{done, total})
	})
	buf := make([]byte, 4)
	p.Read(buf) // the first read reports
	p.Read(buf) // within 100 ms of it: silent
	clock = clock.Add(progressEvery)
	p.Read(buf) // reports
	p.Done()
	want := [][2]int64{{4, 10}, {10, 10}, {10, 10}}
	if len(calls) != len(want) {
		t.Fatalf("reports %v, want %v", calls, want)
	}
	for i := range want {
		if calls[i] != want[i] {
			t.Errorf("reports %v, want %v", calls, want)
		}
	}
	NewProgress(strings.NewReader("x"), "f", 1, nil).Done() // no callback: no report, no panic
}

// TestSpecialFilesRefused: a FIFO (whose open would block) and a device (/dev/zero,
// endless) are refused before any read, with EINVALID naming what they are.
func TestSpecialFilesRefused(t *testing.T) {
	ctx := context.Background()
	fifo := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{fifo: "named pipe", "/dev/zero": "a device", t.TempDir(): "a folder"} {
		done := make(chan error, 1)
		go func() { _, _, err := Digest(ctx, File{Path: path}); done <- err }()
		select {
		case err := <-done:
			if entente.ErrorCode(err) != entente.EINVALID || !strings.Contains(err.Error(), want) {
				t.Errorf("Digest(%s): %v, want EINVALID %q", path, err, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("Digest(%s) did not return within 5 s", path)
		}
	}
}

// fileLog records the bracketing calls Stream makes.
type fileLog struct {
	started  []entente.ImportFile
	finished []int64
	notes    [][]string
}

func (l *fileLog) StartFile(f entente.ImportFile) error { l.started = append(l.started, f); return nil }
func (l *fileLog) FinishFile(read int64, notes []string) error {
	l.finished = append(l.finished, read)
	l.notes = append(l.notes, notes)
	return nil
}

func TestStream(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "f.csv")
	os.WriteFile(path, []byte("a\nb\nc\n"), 0o644)
	var log fileLog
	res, err := Stream(ctx, &log, File{Path: path}, "test", func(r io.Reader, info entente.ImportFile) (int64, []string, error) {
		b, err := io.ReadAll(r)
		return int64(strings.Count(string(b), "\n")), []string{"three lines"}, err
	})
	if err != nil || res.Read != 3 || res.File.Size != 6 || res.File.Source != "test" || len(res.File.SHA256) != 64 {
		t.Fatalf("Stream = %+v, %v", res, err)
	}
	if len(log.started) != 1 || log.started[0] != res.File || len(log.finished) != 1 || log.finished[0] != 3 || log.notes[0][0] != "three lines" {
		t.Errorf("writer saw %+v", log)
	}
	// A read error stops the file before it is finished.
	log = fileLog{}
	if _, err := Stream(ctx, &log, File{Path: path}, "test", func(io.Reader, entente.ImportFile) (int64, []string, error) {
		return 0, nil, io.ErrUnexpectedEOF
	}); err != io.ErrUnexpectedEOF || len(log.finished) != 0 {
		t.Errorf("a failed read: %v, finished %v", err, log.finished)
	}
}
