package inputfile

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/entente/entente"
)

// stallReader gives its bytes, then blocks until closed: a file on a stuck network
// mount, where a read never returns.
type stallReader struct {
	data   io.Reader
	closed chan struct{}
}

func newStall(data string) *stallReader {
	return &stallReader{data: strings.NewReader(data), closed: make(chan struct{})}
}

func (s *stallReader) Read(b []byte) (int, error) {
	if n, _ := s.data.Read(b); n > 0 {
		return n, nil
	}
	<-s.closed
	return 0, errors.New("read on a closed file")
}

func (s *stallReader) Close() error {
	select {
	case <-s.closed:
	default:
		close(s.closed)
	}
	return nil
}

// cancelAfter returns a context cancelled d from now.
func cancelAfter(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(d, cancel)
	t.Cleanup(cancel)
	return ctx
}

// within runs fn and fails the test unless it returns context.Canceled within limit.
func within(t *testing.T, what string, limit time.Duration, fn func() error) {
	t.Helper()
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- fn() }()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s, cancelled during a stalled read: %v, want context.Canceled", what, err)
		}
		t.Logf("%s stopped %v after the start (cancel at 100 ms)", what, time.Since(start).Round(time.Millisecond))
	case <-time.After(limit):
		t.Fatalf("%s did not stop within %v of a cancel during a stalled read", what, limit)
	}
}

// Every read of a file honours cancellation, the first pass (Digest) included, even when
// the read itself never returns.
func TestCancelStalledRead(t *testing.T) {
	const limit = 2 * time.Second
	stalled := func() File {
		return File{Path: "stuck.csv", Open: func() (io.ReadCloser, error) { return newStall("a,b\n1,2\n"), nil }}
	}
	within(t, "Digest", limit, func() error {
		_, _, err := Digest(cancelAfter(t, 100*time.Millisecond), stalled())
		return err
	})
	within(t, "ReadAll", limit, func() error {
		_, _, err := ReadAll(cancelAfter(t, 100*time.Millisecond), stalled())
		return err
	})
	within(t, "Reader.Digest", limit, func() error {
		r, err := Open(cancelAfter(t, 100*time.Millisecond), stalled())
		if err != nil {
			return err
		}
		defer r.Close()
		_, _, err = r.Digest()
		return err
	})
	// Stream: the digest stalls, so no file is started.
	var log fileLog
	within(t, "Stream", limit, func() error {
		_, err := Stream(cancelAfter(t, 100*time.Millisecond), &log, stalled(), "test", func(r io.Reader, _ entente.ImportFile) (int64, []string, error) {
			_, err := io.ReadAll(r)
			return 0, nil, err
		})
		return err
	})
	if len(log.started) != 0 {
		t.Errorf("Stream started %v though its digest never ended", log.started)
	}
	// An open that never returns (a lease held, a stuck mount) is left behind too.
	block := make(chan struct{})
	defer close(block)
	within(t, "Digest of a stalled open", limit, func() error {
		_, _, err := Digest(cancelAfter(t, 100*time.Millisecond), File{Path: "stuck.csv", Open: func() (io.ReadCloser, error) {
			<-block
			return newStall(""), nil
		}})
		return err
	})
}

// A read left behind never writes into the caller's buffer after Read returned, and a
// pipe's stalled read ends when the reader is closed.
func TestCancelLeavesBufferAlone(t *testing.T) {
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pw.Close()
	ctx, cancel := context.WithCancel(context.Background())
	r, err := File{Path: "pipe", Open: func() (io.ReadCloser, error) { return pr, nil }}.open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 8)
	time.AfterFunc(50*time.Millisecond, cancel)
	if n, err := r.Read(buf); n != 0 || !errors.Is(err, context.Canceled) {
		t.Fatalf("Read of a silent pipe, cancelled: %d, %v", n, err)
	}
	lost := r.(*ctxReader).lost
	if err := r.Close(); err != nil {
		t.Errorf("Close with a read left behind: %v", err)
	}
	select {
	case <-lost:
	case <-time.After(2 * time.Second):
		t.Error("closing the pipe did not end the read left behind")
	}
	pw.Write([]byte("late")) // the pipe is closed: nothing reaches buf
	if string(buf) != "\x00\x00\x00\x00\x00\x00\x00\x00" {
		t.Errorf("the caller's buffer was written after Read returned: %q", buf)
	}
	if _, err := r.Read(buf); !errors.Is(err, context.Canceled) {
		t.Errorf("Read after the cancel: %v, want context.Canceled", err)
	}
}

// Reads through the reader give the file's bytes whatever the caller's buffer size.
func TestCtxReaderBytes(t *testing.T) {
	want := strings.Repeat("0123456789abcdef", 50000) // 800 kB: several chunks
	path := filepath.Join(t.TempDir(), "f.csv")
	if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, size := range []int{1, 7, 4096, 1 << 20} {
		r, err := File{Path: path}.open(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		buf := make([]byte, size)
		for {
			n, err := r.Read(buf)
			b.WriteString(string(buf[:n]))
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		r.Close()
		if b.String() != want {
			t.Errorf("reads of %d bytes: got %d bytes, want %d", size, b.Len(), len(want))
		}
	}
}
