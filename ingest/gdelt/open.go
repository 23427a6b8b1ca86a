package gdelt

import (
	"archive/zip"
	"compress/flate"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/entente/entente"
	"github.com/entente/entente/ingest/inputfile"
)

// Open opens a GDELT file for Read: a plain file as is, or a .zip as upstream
// distributes them (YYYYMMDDHHMMSS.export.CSV.zip), which must hold exactly one file;
// the reader then yields that file's bytes. Closing the reader closes the file.
// Use the zip's path as Read's file name: DetectName strips the .zip.
//
// A file named .zip that is not a zip archive, or whose member is damaged, is bad
// input (entente.EINVALID); so is a zip bomb, a member that would inflate to more than
// MaxInflate bytes at more than MaxRatio times its compressed size.
func Open(path string) (io.ReadCloser, error) { return OpenContext(context.Background(), path) }

// OpenContext is Open whose reads end with ctx's error once ctx is done.
func OpenContext(ctx context.Context, path string) (io.ReadCloser, error) {
	if !strings.EqualFold(fileExt(path), ".zip") {
		rc, err := inputfile.Raw(ctx, inputfile.File{Path: path})
		if err != nil {
			return nil, fmt.Errorf("open gdelt: %w", err)
		}
		return rc, nil
	}
	z, ra, err := openZip(ctx, path)
	if err != nil {
		return nil, err
	}
	var files []*zip.File
	for _, f := range z.File {
		if !f.FileInfo().IsDir() {
			files = append(files, f)
		}
	}
	if len(files) != 1 {
		ra.Close()
		return nil, entente.Errorf(entente.EINVALID, "open gdelt %s: a GDELT zip holds one file, this one %d", path, len(files))
	}
	m := files[0]
	if err := checkInflate(path, m, ra.Size()); err != nil {
		ra.Close()
		return nil, err
	}
	rc, err := m.Open()
	if err != nil {
		ra.Close()
		return nil, zipError(path, m.Name, err)
	}
	return &zipFile{rc: rc, ra: ra, m: m, path: path, name: m.Name}, nil
}

// MaxRatio and MaxInflate bound a zip member: one that inflates to more than MaxInflate
// bytes at more than MaxRatio times its compressed size is refused as a zip bomb. GDELT
// files are text that deflates about 6:1 (the 2.0 export and mentions files of
// 2015-02-18 23:00: 6.1 and 5.6); deflate cannot pass about 1032:1.
const (
	MaxRatio   = 100
	MaxInflate = 64 << 20
)

// openZip opens the zip archive at path.
func openZip(ctx context.Context, path string) (*zip.Reader, *inputfile.ReaderAt, error) {
	ra, err := inputfile.OpenAt(ctx, inputfile.File{Path: path})
	if err != nil {
		return nil, nil, fmt.Errorf("open gdelt: %w", err)
	}
	z, err := zip.NewReader(ra, ra.Size())
	if err != nil {
		ra.Close()
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return nil, nil, err
		}
		if errors.Is(err, zip.ErrFormat) {
			return nil, nil, entente.Errorf(entente.EINVALID, "%s: not a zip archive, though named .zip, or one cut short (%v)", path, err)
		}
		return nil, nil, fmt.Errorf("open gdelt %s: %w", path, err)
	}
	return z, ra, nil
}

// checkInflate refuses a zip bomb: a member m of an archive of size bytes that would
// inflate beyond MaxInflate bytes at more than MaxRatio:1. The sizes are the archive's
// own; a member that inflates beyond its stated size fails when read (zip.ErrFormat).
func checkInflate(path string, m *zip.File, size int64) error {
	packed := min(m.CompressedSize64, uint64(max(size, 0)))
	if m.UncompressedSize64 > MaxInflate && m.UncompressedSize64 > MaxRatio*max(packed, 1) {
		return entente.Errorf(entente.EINVALID, "%s: member %s inflates to %d bytes from %d (%d:1), beyond %d bytes at more than %d:1: refused as a zip bomb",
			path, m.Name, m.UncompressedSize64, packed, m.UncompressedSize64/max(packed, 1), MaxInflate, MaxRatio)
	}
	return nil
}

// zipError says what is wrong with member name of the archive at path: damaged data
// is bad input; a cancelled read stays ctx's error.
func zipError(path, name string, err error) error {
	var corrupt flate.CorruptInputError
	switch {
	case errors.Is(err, zip.ErrFormat), errors.Is(err, zip.ErrChecksum), errors.Is(err, zip.ErrAlgorithm),
		errors.As(err, &corrupt), errors.Is(err, io.ErrUnexpectedEOF):
		return entente.Errorf(entente.EINVALID, "%s: member %s is damaged: %v", path, name, err)
	}
	return fmt.Errorf("%s: member %s: %w", path, name, err)
}

func fileExt(path string) string {
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[i:]
	}
	return ""
}

// zipFile is the one member of a zip archive; Close closes both.
type zipFile struct {
	rc         io.ReadCloser
	ra         *inputfile.ReaderAt
	m          *zip.File
	path, name string
}

// member is the archive's member.
func (f *zipFile) member() *zip.File { return f.m }

func (f *zipFile) Read(b []byte) (int, error) {
	n, err := f.rc.Read(b)
	if err != nil && err != io.EOF {
		err = zipError(f.path, f.name, err)
	}
	return n, err
}

func (f *zipFile) Close() error {
	err := f.rc.Close()
	if err2 := f.ra.Close(); err == nil {
		err = err2
	}
	return err
}
