package gdelt

import (
	"archive/zip"
	"fmt"
	"io"
	"os"
	"strings"
)

// Open opens a GDELT file for Read: a plain file as is, or a .zip as upstream
// distributes them (YYYYMMDDHHMMSS.export.CSV.zip), which must hold exactly one file;
// the reader then yields that file's bytes. Closing the reader closes the file.
// Use the zip's path as Read's file name: DetectName strips the .zip.
func Open(path string) (io.ReadCloser, error) {
	if !strings.EqualFold(fileExt(path), ".zip") {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("open gdelt: %w", err)
		}
		return f, nil
	}
	z, err := zip.OpenReader(path)
	if err != nil {
		return nil, fmt.Errorf("open gdelt %s: %w", path, err)
	}
	var files []*zip.File
	for _, f := range z.File {
		if !f.FileInfo().IsDir() {
			files = append(files, f)
		}
	}
	if len(files) != 1 {
		z.Close()
		return nil, fmt.Errorf("open gdelt %s: a GDELT zip holds one file, this one %d", path, len(files))
	}
	rc, err := files[0].Open()
	if err != nil {
		z.Close()
		return nil, fmt.Errorf("open gdelt %s: %s: %w", path, files[0].Name, err)
	}
	return &zipFile{ReadCloser: rc, z: z}, nil
}

func fileExt(path string) string {
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[i:]
	}
	return ""
}

// zipFile is the one member of a zip archive; Close closes both.
type zipFile struct {
	io.ReadCloser
	z *zip.ReadCloser
}

func (f *zipFile) Close() error {
	err := f.ReadCloser.Close()
	if err2 := f.z.Close(); err == nil {
		err = err2
	}
	return err
}
