// Package inputfile opens the files an import reads, twice: a first pass digests a file
// (its SHA-256 names it in the import report and the quarantine before any record is
// written), the second reads it through a hash that must match at the end, so a file
// changed in between fails the import instead of mixing two versions.
package inputfile

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"

	"github.com/entente/entente"
)

// File is one input file of an import.
type File struct {
	// Path names the file in reports and quarantine records, as the user gave it.
	Path string
	// Open returns the file's bytes; nil opens Path.
	Open func() (io.ReadCloser, error)
}

func (f File) open() (io.ReadCloser, error) {
	if f.Open != nil {
		return f.Open()
	}
	return os.Open(f.Path)
}

// Digest reads f once and returns its SHA-256 (hex) and size.
func Digest(f File) (sum string, size int64, err error) {
	rc, err := f.open()
	if err != nil {
		return "", 0, err
	}
	defer rc.Close()
	h := sha256.New()
	n, err := io.Copy(h, rc)
	if err != nil {
		return "", 0, fmt.Errorf("read %s: %w", f.Path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// Reader is the second read of a file, checked against the digest of the first.
type Reader struct {
	io.Reader
	rc   io.ReadCloser
	h    hash.Hash
	path string
	sum  string
}

// Reopen opens f for its second read; sum is its Digest.
func Reopen(f File, sum string) (*Reader, error) {
	rc, err := f.open()
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	return &Reader{Reader: io.TeeReader(rc, h), rc: rc, h: h, path: f.Path, sum: sum}, nil
}

// Check reads what the parser left and compares the digest with the first read's: a
// difference is ECONFLICT.
func (r *Reader) Check() error {
	if _, err := io.Copy(io.Discard, r.Reader); err != nil {
		return fmt.Errorf("read %s: %w", r.path, err)
	}
	if got := hex.EncodeToString(r.h.Sum(nil)); got != r.sum {
		return entente.Errorf(entente.ECONFLICT, "%s changed while being imported (sha256 %s, then %s)", r.path, r.sum, got)
	}
	return nil
}

// Close closes the file.
func (r *Reader) Close() error { return r.rc.Close() }
