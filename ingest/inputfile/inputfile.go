// Package inputfile opens the files an import reads, twice: a first pass digests a file
// (its SHA-256 names it in the import report and the quarantine before any record is
// written), the second reads it through a hash that must match at the end, so a file
// changed in between fails the import instead of mixing two versions. Small files are
// read once, whole (ReadAll). Every ingest package reads its files through it, and
// reports progress on long ones with Progress. Only regular files are read (a named pipe
// or a device is refused before it is opened), and every open and read honours its
// context, even one that never returns (ctxReader).
package inputfile

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/entente/entente"
)

// File is one input file of an import.
type File struct {
	// Path names the file in reports and quarantine records, as the user gave it.
	Path string
	// Open returns the file's bytes; nil opens Path. Close may be called while a Read
	// is still blocked (an import cancelled during a stalled read).
	Open func() (io.ReadCloser, error)
}

// open opens f for reading within ctx: a stalled open or read (a file on a stuck
// network mount) is left behind when ctx is done, and the caller gets ctx's error at
// once (see ctxReader).
func (f File) open(ctx context.Context) (io.ReadCloser, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	type opened struct {
		rc  io.ReadCloser
		err error
	}
	done := make(chan opened, 1)
	go func() {
		rc, err := f.openNow()
		done <- opened{rc, err}
	}()
	select {
	case o := <-done:
		if o.err != nil {
			return nil, o.err
		}
		return &ctxReader{ctx: ctx, rc: o.rc}, nil
	case <-ctx.Done():
		go func() { // the open returns some day: close what it opened
			if o := <-done; o.rc != nil {
				o.rc.Close()
			}
		}()
		return nil, ctx.Err()
	}
}

func (f File) openNow() (io.ReadCloser, error) {
	if f.Open != nil {
		return f.Open()
	}
	// A named pipe or a device (/dev/zero) would never end or never stop: only regular
	// files are read, and that is checked before opening (opening a FIFO blocks).
	fi, err := os.Stat(f.Path)
	if err != nil {
		return nil, openError(f.Path, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, entente.Errorf(entente.EINVALID, "%s is %s, not a regular file: give a file (or a folder of files) to import", f.Path, kind(fi.Mode()))
	}
	rc, err := os.Open(f.Path)
	if err != nil {
		return nil, openError(f.Path, err)
	}
	return rc, nil
}

// openError says why the file at path cannot be opened: a missing or unreadable file is
// bad input (EINVALID), naming the file; any other failure is returned as it is.
func openError(path string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &fileError{entente.Errorf(entente.EINVALID, "%s: no such file", path), err}
	case errors.Is(err, fs.ErrPermission):
		return &fileError{entente.Errorf(entente.EINVALID, "%s: cannot be read: permission denied", path), err}
	}
	return err
}

// fileError is a file that cannot be opened: its message and code, and the cause for
// errors.Is (fs.ErrNotExist, fs.ErrPermission).
type fileError struct {
	e     *entente.Error
	cause error
}

func (e *fileError) Error() string   { return e.e.Error() }
func (e *fileError) Unwrap() []error { return []error{e.e, e.cause} }

// kind names the kind of a file that is not a regular one.
func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeCharDevice != 0, m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return "a special file"
}

// chunkSize is the most a ctxReader asks of its file at once.
const chunkSize = 256 << 10

// ctxReader reads a file within a context. Each read of the file runs in a goroutine of
// its own while Read waits for it or for ctx, whichever comes first: a cancelled import
// stops at once even when the read never returns (a stuck network mount, where neither
// a signal nor closing the file unblocks it). The abandoned read is left to finish or to
// end with the process, into a buffer of its own: the caller's is never written after
// Read returned. Between reads, ctx is checked. Reads are made on demand, never ahead of
// the caller's (a file is read when the caller reads it).
type ctxReader struct {
	ctx  context.Context
	rc   io.ReadCloser
	buf  []byte
	pend []byte        // read from the file, not yet handed out
	err  error         // the file's error after pend, or ctx's that ended the reading
	lost chan struct{} // closed when the read left behind returns; nil if none
}

func (r *ctxReader) Read(b []byte) (int, error) {
	if len(r.pend) > 0 {
		n := copy(b, r.pend)
		r.pend = r.pend[n:]
		return n, nil
	}
	if r.err != nil {
		return 0, r.err
	}
	if err := r.ctx.Err(); err != nil {
		r.err = err
		return 0, err
	}
	if len(b) == 0 {
		return 0, nil
	}
	if r.buf == nil {
		r.buf = make([]byte, chunkSize)
	}
	buf := r.buf[:min(max(len(b), 64<<10), chunkSize)]
	type result struct {
		n   int
		err error
	}
	done := make(chan result, 1)
	lost := make(chan struct{})
	go func() {
		n, err := r.rc.Read(buf)
		done <- result{n, err}
		close(lost)
	}()
	select {
	case res := <-done:
		r.pend, r.err = buf[:res.n], res.err
		n := copy(b, r.pend)
		r.pend = r.pend[n:]
		if len(r.pend) > 0 {
			return n, nil
		}
		return n, r.err
	case <-r.ctx.Done():
		r.err, r.buf, r.lost = r.ctx.Err(), nil, lost
		return 0, r.err
	}
}

// Close closes the file, at once even with a read left behind: that ends a read of a
// pipe or a socket, and the kernel releases a regular file when its read returns (see
// File.Open for other readers).
func (r *ctxReader) Close() error { return r.rc.Close() }

// Digest reads f once and returns its SHA-256 (hex) and size. It stops when ctx is
// done, returning ctx's error.
func Digest(ctx context.Context, f File) (sum string, size int64, err error) {
	rc, err := f.open(ctx)
	if err != nil {
		return "", 0, err
	}
	defer rc.Close()
	h := sha256.New()
	n, err := io.CopyBuffer(h, rc, make([]byte, chunkSize))
	if err != nil {
		return "", 0, readError(f.Path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// readError wraps a read error of the file at path; a cancelled read is ctx's error,
// wrapped too, so errors.Is finds context.Canceled.
func readError(path string, err error) error {
	return fmt.Errorf("read %s: %w", path, err)
}

// ReadAll reads a small file whole, for formats parsed from memory (aid, the ledger),
// and returns its bytes with their SHA-256 (hex): one read, so the digest is of the
// very bytes parsed. It stops when ctx is done.
func ReadAll(ctx context.Context, f File) (data []byte, sum string, err error) {
	rc, err := f.open(ctx)
	if err != nil {
		return nil, "", err
	}
	defer rc.Close()
	data, err = io.ReadAll(rc)
	if err != nil {
		return nil, "", readError(f.Path, err)
	}
	h := sha256.Sum256(data)
	return data, hex.EncodeToString(h[:]), nil
}

// Raw opens f for a read that neither digests nor checks it (a look at its first
// lines); reads end with ctx's error once ctx is done.
func Raw(ctx context.Context, f File) (io.ReadCloser, error) { return f.open(ctx) }

// ReaderAt is a file opened for random access (a zip archive) within a context: each
// ReadAt runs in a goroutine of its own that the caller leaves behind when ctx is done,
// as ctxReader's reads do.
type ReaderAt struct {
	ctx  context.Context
	ra   io.ReaderAt
	c    io.Closer
	size int64
}

// OpenAt opens f for random access, refusing what is not a regular file as Digest does.
// A file with an Open function is read whole first.
func OpenAt(ctx context.Context, f File) (*ReaderAt, error) {
	if f.Open != nil {
		data, _, err := ReadAll(ctx, f)
		if err != nil {
			return nil, err
		}
		return &ReaderAt{ctx: ctx, ra: bytes.NewReader(data), c: io.NopCloser(nil), size: int64(len(data))}, nil
	}
	rc, err := f.open(ctx)
	if err != nil {
		return nil, err
	}
	file := rc.(*ctxReader).rc.(*os.File)
	fi, err := file.Stat()
	if err != nil {
		file.Close()
		return nil, err
	}
	return &ReaderAt{ctx: ctx, ra: file, c: file, size: fi.Size()}, nil
}

// Size is the file's size when opened.
func (r *ReaderAt) Size() int64 { return r.size }

// ReadAt reads len(b) bytes at off, or stops with ctx's error.
func (r *ReaderAt) ReadAt(b []byte, off int64) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	type result struct {
		n   int
		err error
	}
	buf := make([]byte, len(b))
	done := make(chan result, 1)
	go func() {
		n, err := r.ra.ReadAt(buf, off)
		done <- result{n, err}
	}()
	select {
	case res := <-done:
		return copy(b, buf[:res.n]), res.err
	case <-r.ctx.Done():
		return 0, r.ctx.Err()
	}
}

// Close closes the file.
func (r *ReaderAt) Close() error { return r.c.Close() }

// Reader reads a file while hashing and counting its bytes: the first read of a file
// whose digest the parse itself must find (Open, then Digest), or the second read,
// checked against the first's digest (Reopen, then Check).
type Reader struct {
	r    io.Reader
	rc   io.ReadCloser
	h    hash.Hash
	n    int64
	path string
	sum  string
}

// Open opens f for a first read that digests it as it goes; Digest gives the result.
// Reads end with ctx's error once ctx is done.
func Open(ctx context.Context, f File) (*Reader, error) { return Reopen(ctx, f, "") }

// Reopen opens f for its second read; sum is its Digest. Reads end with ctx's error
// once ctx is done.
func Reopen(ctx context.Context, f File, sum string) (*Reader, error) {
	rc, err := f.open(ctx)
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	return &Reader{r: io.TeeReader(rc, h), rc: rc, h: h, path: f.Path, sum: sum}, nil
}

// Read reads the file's bytes.
func (r *Reader) Read(b []byte) (int, error) {
	n, err := r.r.Read(b)
	r.n += int64(n)
	return n, err
}

// Digest reads what the parser left and returns the SHA-256 (hex) and size of the
// whole file.
func (r *Reader) Digest() (sum string, size int64, err error) {
	if _, err := io.Copy(io.Discard, r); err != nil {
		return "", 0, readError(r.path, err)
	}
	return hex.EncodeToString(r.h.Sum(nil)), r.n, nil
}

// Check reads what the parser left and compares the digest with the first read's: a
// difference is ECONFLICT.
func (r *Reader) Check() error {
	got, _, err := r.Digest()
	if err != nil {
		return err
	}
	if got != r.sum {
		return entente.Errorf(entente.ECONFLICT, "%s changed while being imported (sha256 %s, then %s)", r.path, r.sum, got)
	}
	return nil
}

// Close closes the file.
func (r *Reader) Close() error { return r.rc.Close() }

// nowFunc is the clock of progress reports; tests swap it.
var nowFunc = time.Now

// progressEvery is the least time between two progress reports of one file.
const progressEvery = 100 * time.Millisecond

// Progress counts the bytes read through it and reports them to fn (when not nil) at
// most every 100 ms, and once more at Done.
type Progress struct {
	r     io.Reader
	n     int64
	file  string
	total int64
	fn    func(file string, bytesDone, bytesTotal int64)
	last  time.Time
}

// NewProgress returns a reader of r that reports, for file of total bytes, to fn.
func NewProgress(r io.Reader, file string, total int64, fn func(file string, bytesDone, bytesTotal int64)) *Progress {
	return &Progress{r: r, file: file, total: total, fn: fn}
}

// Read reads from the underlying reader and reports now and then.
func (p *Progress) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.n += int64(n)
	p.report(false)
	return n, err
}

// Done reports the bytes read, once more.
func (p *Progress) Done() { p.report(true) }

func (p *Progress) report(final bool) {
	if p.fn == nil {
		return
	}
	if now := nowFunc(); final || now.Sub(p.last) >= progressEvery {
		p.last = now
		p.fn(p.file, p.n, p.total)
	}
}

// Result accounts for one input file of an import. Read counts every record passed to
// the writer (records and quarantined ones), so the store's Imported + Quarantined +
// Duplicate equals it; Notes are what the format package has to say about the file.
// Each format package embeds it in its own Result, beside what it learnt of the file
// (a layout, a coverage, a release).
type Result struct {
	File  entente.ImportFile
	Read  int64
	Notes []string
}

// FileWriter is the part of a store's import writer that brackets one file (every
// entente writer has it).
type FileWriter interface {
	StartFile(f entente.ImportFile) error
	FinishFile(read int64, notes []string) error
}

// Stream imports one file of a format read in a single pass: it digests f, starts it in
// w under source, hands read the checked second read (read returns how many records it
// passed to w and its notes on the file), checks that the file did not change between
// the two reads, and finishes the file in w. Both reads stop when ctx is done.
func Stream(ctx context.Context, w FileWriter, f File, source string, read func(r io.Reader, info entente.ImportFile) (n int64, notes []string, err error)) (Result, error) {
	sum, size, err := Digest(ctx, f)
	if err != nil {
		return Result{}, err
	}
	info := entente.ImportFile{Source: source, Path: f.Path, SHA256: sum, Size: size}
	if err := w.StartFile(info); err != nil {
		return Result{}, err
	}
	tee, err := Reopen(ctx, f, sum)
	if err != nil {
		return Result{}, err
	}
	defer tee.Close()
	n, notes, err := read(tee, info)
	if err != nil {
		return Result{}, err
	}
	if err := tee.Check(); err != nil {
		return Result{}, err
	}
	if err := w.FinishFile(n, notes); err != nil {
		return Result{}, err
	}
	return Result{File: info, Read: n, Notes: notes}, nil
}

// Each imports files one after the other through importFile, in order, and returns
// their results. It stops when ctx is done or at the first error, which it wraps as
// "import FORMAT PATH: ...", returning the results so far.
func Each[R any](ctx context.Context, format string, files []File, importFile func(File) (R, error)) ([]R, error) {
	out := make([]R, 0, len(files))
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		r, err := importFile(f)
		if err != nil {
			return out, fmt.Errorf("import %s %s: %w", format, f.Path, err)
		}
		out = append(out, r)
	}
	return out, nil
}
