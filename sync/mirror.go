package sync

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/entente/entente"
)

// checkMirror refuses a mirror that is not a folder or that is the data dir itself
// (linking a file onto itself would destroy it).
func (s *Syncer) checkMirror() error {
	fi, err := os.Stat(s.Mirror)
	if err != nil {
		return entente.Errorf(entente.EINVALID, "mirror %s: %v", s.Mirror, err)
	}
	if !fi.IsDir() {
		return entente.Errorf(entente.EINVALID, "mirror %s is not a folder", s.Mirror)
	}
	m, err1 := filepath.Abs(s.Mirror)
	d, err2 := filepath.Abs(s.DataDir)
	if err := errors.Join(err1, err2); err != nil {
		return err
	}
	if m == d {
		return entente.Errorf(entente.EINVALID, "the mirror %s is the data dir: nothing to sync", s.Mirror)
	}
	if dfi, err := os.Stat(d); err == nil && os.SameFile(fi, dfi) {
		return entente.Errorf(entente.EINVALID, "the mirror %s is the data dir: nothing to sync", s.Mirror)
	}
	return nil
}

// mirrorJobs lists the files of src in the mirror: every data file in the source's
// folder (not its subfolders), and for GDELT the files of the date range (all of them
// without a range). Files the catalogue or a file list in the mirror (GDELT's
// masterfilelist.txt, md5sums, filesizes) describes carry its size and checksum.
func (s *Syncer) mirrorJobs(src Source) ([]job, error) {
	root, err := filepath.Abs(s.Mirror)
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(root, filepath.FromSlash(src.Dir))
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &absentError{dir: dir}
	}
	if err != nil {
		return nil, err
	}
	known := map[string]File{}
	for _, f := range src.Files {
		known[f.Path] = f
	}
	listed, err := s.mirrorIndex(src, dir)
	if err != nil {
		return nil, err
	}
	for _, f := range listed {
		known[f.Path] = f
	}
	var jobs []job
	for _, e := range entries {
		name := e.Name()
		if !s.mirrorWants(src, name) {
			continue
		}
		p := filepath.Join(dir, name)
		fi, err := os.Stat(p) // follows links: a mirror may itself be links
		if err != nil || !fi.Mode().IsRegular() {
			continue
		}
		rel := src.Dir + "/" + name
		f, ok := known[rel]
		if !ok {
			f = File{Path: rel}
		}
		f.URL = p
		jobs = append(jobs, job{source: src.Name, file: f, mirror: p})
	}
	if len(jobs) == 0 {
		return nil, &absentError{dir: dir + " files" + s.rangeNote(src)}
	}
	return jobs, nil
}

func (s *Syncer) rangeNote(src Source) string {
	if !src.Dated || s.From.IsZero() && s.To.IsZero() {
		return ""
	}
	return " in the date range"
}

// mirrorIndex reads the upstream file lists a mirror of a GDELT folder may hold.
func (s *Syncer) mirrorIndex(src Source, dir string) ([]File, error) {
	exists := func(name string) bool { _, err := os.Stat(filepath.Join(dir, name)); return err == nil }
	switch src.Kind {
	case KindGDELT2:
		if name := path.Base(src.Index); exists(name) {
			return s.readMasterList(filepath.Join(dir, name), src.Dir)
		}
	case KindGDELT1:
		if exists("md5sums") {
			sizes := filepath.Join(dir, "filesizes")
			if !exists("filesizes") {
				sizes = os.DevNull
			}
			return s.readGDELT1Index(filepath.Join(dir, "md5sums"), sizes, src.Index, src.Dir)
		}
	}
	return nil, nil
}

// mirrorWants reports whether a file of the mirror is data of src: not hidden, not a
// README, not a partial download, not an upstream file list, and for GDELT a file of the
// wanted kinds in the date range.
func (s *Syncer) mirrorWants(src Source, name string) bool {
	lower := strings.ToLower(name)
	if strings.HasPrefix(name, ".") || strings.HasPrefix(lower, "readme") || strings.HasSuffix(lower, ".part") {
		return false
	}
	switch src.Kind {
	case KindGDELT2:
		t, kind, ok := gdelt2Name(name)
		return ok && s.gdeltKind(kind) && s.inRange(t, t.Add(15*time.Minute))
	case KindGDELT1:
		start, end, ok := gdelt1Period(name)
		return ok && s.inRange(start, end)
	}
	return true
}

// linkFromMirror puts the mirror file of j into the data dir: a symbolic link to it
// (no bytes copied; `ls -l` shows where the data came from), or a copy when s.Copy is
// set or the platform refuses links. Either goes in through PATH.part and a rename.
func (s *Syncer) linkFromMirror(j job, r *Result, tr *tracker) error {
	src, dest := j.mirror, r.Path
	fp := tr.file(j.file.Path, j.file.Size)
	what, err := verify(src, j.file)
	if err != nil {
		return fmt.Errorf("mirror %s: %w", src, err)
	}
	r.Verified = what
	if s.current(src, dest, j.file) {
		fp.skip()
		r.Status = StatusSkipped
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		return err
	}
	tmp := dest + ".part"
	if err := removeIfExists(tmp); err != nil {
		return err
	}
	if !s.Copy {
		if err := os.Symlink(src, tmp); err == nil {
			fp.skip()
			if err := os.Rename(tmp, dest); err != nil {
				return err
			}
			syncDir(filepath.Dir(dest))
			r.Status = StatusLinked
			return nil
		}
		r.Note = "symbolic links unavailable: copied"
	}
	n, err := copyFile(src, tmp, fp)
	r.Bytes = n
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("copy %s: %w", src, err)
	}
	if err := os.Rename(tmp, dest); err != nil {
		return err
	}
	syncDir(filepath.Dir(dest))
	r.Status = StatusCopied
	return nil
}

// current reports whether dest already holds the mirror file: a link to it, or a file
// that passes verification (or, with nothing to verify against, has its size).
func (s *Syncer) current(src, dest string, f File) bool {
	fi, err := os.Lstat(dest)
	if err != nil {
		return false
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		target, err := os.Readlink(dest)
		return err == nil && target == src && !s.Copy
	}
	if !fi.Mode().IsRegular() {
		return false
	}
	if f.Verifiable() {
		_, err := verify(dest, f)
		return err == nil
	}
	sfi, err := os.Stat(src)
	return err == nil && sfi.Size() == fi.Size()
}

func copyFile(src, dst string, fp *fileProgress) (int64, error) {
	in, err := os.Open(src)
	if err != nil {
		return 0, err
	}
	defer in.Close()
	if fi, err := in.Stat(); err == nil {
		fp.setTotal(fi.Size())
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(out, &progressReader{r: in, fp: fp})
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return n, err
}
