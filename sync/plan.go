package sync

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/entente/entente"
)

// Plan lists the files of src to fetch, with the sizes and checksums upstream
// publishes. For GDELT it reads (and keeps in the data dir) the upstream file list and
// keeps the files of the date range; for Dataverse it reads the dataset's file listing.
func (s *Syncer) Plan(ctx context.Context, src Source) ([]File, error) {
	if src.Dated && s.From.IsZero() {
		return nil, entente.Errorf(entente.EINVALID, "%s: give a date range (--from, --to): the full archive is hundreds of gigabytes", src.Name)
	}
	switch src.Kind {
	case KindFiles:
		return src.Files, nil
	case KindDataverse:
		return s.planDataverse(ctx, src)
	case KindGDELT2:
		list, err := s.index(ctx, src.Index, path.Join(src.Dir, path.Base(src.Index)), time.Hour)
		if err != nil {
			return nil, err
		}
		return s.readMasterList(list, src.Dir)
	case KindGDELT1:
		sums, err := s.index(ctx, src.Index+"md5sums", src.Dir+"/md5sums", 36*time.Hour)
		if err != nil {
			return nil, err
		}
		sizes, err := s.index(ctx, src.Index+"filesizes", src.Dir+"/filesizes", 36*time.Hour)
		if err != nil {
			return nil, err
		}
		return s.readGDELT1Index(sums, sizes, src.Index, src.Dir)
	}
	return nil, entente.Errorf(entente.EINVALID, "%s: unknown kind %q", src.Name, src.Kind)
}

// index returns the local copy of an upstream file list, fetching it unless the copy
// was written more than margin after the end of the date range (then it lists every
// file of the range, since upstream publishes within that margin).
func (s *Syncer) index(ctx context.Context, u, rel string, margin time.Duration) (string, error) {
	dest := s.local(rel)
	if fi, err := os.Stat(dest); err == nil && fi.ModTime().After(s.rangeEnd().Add(margin)) {
		return dest, nil
	}
	if err := removeIfExists(dest + ".part"); err != nil { // a list of another day: start clean
		return "", err
	}
	tr := &tracker{report: s.Progress}
	if _, _, _, err := s.download(ctx, File{Path: rel, URL: u}, dest, tr.file(rel, 0)); err != nil {
		return "", fmt.Errorf("file list: %w", err)
	}
	return dest, nil
}

// GDELT 2.0 names: YYYYMMDDHHMMSS.KIND.CSV.zip, KIND export, mentions or gkg.
func gdelt2Name(name string) (t time.Time, kind string, ok bool) {
	stamp, rest, found := strings.Cut(name, ".")
	if !found || len(stamp) != 14 {
		return time.Time{}, "", false
	}
	t, err := time.Parse("20060102150405", stamp)
	if err != nil {
		return time.Time{}, "", false
	}
	kind, ext, found := strings.Cut(rest, ".")
	if !found || !(strings.EqualFold(ext, "csv.zip") || strings.EqualFold(ext, "csv")) {
		return time.Time{}, "", false
	}
	return t, strings.ToLower(kind), true
}

func (s *Syncer) gdeltKind(kind string) bool {
	kinds := s.GDELTKinds
	if len(kinds) == 0 {
		kinds = []string{"export", "mentions"}
	}
	for _, k := range kinds {
		if strings.EqualFold(k, kind) {
			return true
		}
	}
	return false
}

// readMasterList keeps the lines "SIZE MD5 URL" of masterfilelist.txt whose file is of
// a wanted kind and in the date range. Lines it cannot read are counted in a note.
func (s *Syncer) readMasterList(list, dir string) ([]File, error) {
	in, err := os.Open(list)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	var files []File
	bad, line := 0, 0
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		line++
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		if len(fields) != 3 {
			bad++
			continue
		}
		size, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil || size <= 0 || !isHex(fields[1], 32) {
			bad++
			continue
		}
		name := path.Base(fields[2])
		t, kind, ok := gdelt2Name(name)
		if !ok {
			bad++
			continue
		}
		if !s.gdeltKind(kind) || !s.inRange(t, t.Add(15*time.Minute)) {
			continue
		}
		files = append(files, File{Path: dir + "/" + name, URL: fields[2], Size: size, MD5: strings.ToLower(fields[1])})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: line %d: %w", list, line+1, err)
	}
	if bad > 0 {
		s.notef("%s: %d of %d lines not understood (want SIZE MD5 URL of a 15-minute file), skipped", list, bad, line)
	}
	return files, nil
}

// gdelt1Period returns the days a GDELT 1.0 file covers: YYYY.zip (1979-2005),
// YYYYMM.zip (2006 - 2013-03), YYYYMMDD.export.CSV.zip (from 2013-04-01).
func gdelt1Period(name string) (start, end time.Time, ok bool) {
	stamp, rest, _ := strings.Cut(name, ".")
	ext := strings.ToLower(rest)
	switch {
	case len(stamp) == 8 && (ext == "export.csv.zip" || ext == "export.csv"):
		t, err := time.Parse("20060102", stamp)
		return t, t.AddDate(0, 0, 1), err == nil
	case len(stamp) == 6 && (ext == "zip" || ext == "csv"):
		t, err := time.Parse("200601", stamp)
		return t, t.AddDate(0, 1, 0), err == nil
	case len(stamp) == 4 && (ext == "zip" || ext == "csv"):
		t, err := time.Parse("2006", stamp)
		return t, t.AddDate(1, 0, 0), err == nil
	}
	return time.Time{}, time.Time{}, false
}

// readGDELT1Index joins events/md5sums ("MD5  NAME") and events/filesizes ("SIZE NAME")
// and keeps the event files of the date range.
func (s *Syncer) readGDELT1Index(sums, sizes, base, dir string) ([]File, error) {
	size := map[string]int64{}
	if err := s.eachLine(sizes, func(fields []string) bool {
		if len(fields) != 2 {
			return false
		}
		n, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil {
			return false
		}
		size[fields[1]] = n
		return true
	}); err != nil {
		return nil, err
	}
	var files []File
	err := s.eachLine(sums, func(fields []string) bool {
		if len(fields) != 2 || !isHex(fields[0], 32) {
			return false
		}
		name := fields[1]
		start, end, ok := gdelt1Period(name)
		if ok && s.inRange(start, end) {
			files = append(files, File{Path: dir + "/" + name, URL: base + name, Size: size[name], MD5: strings.ToLower(fields[0])})
		}
		return true
	})
	return files, err
}

// eachLine calls fn with the fields of every non-empty line; fn reports whether it
// understood the line, and lines it did not are counted in a note.
func (s *Syncer) eachLine(file string, fn func(fields []string) bool) error {
	in, err := os.Open(file)
	if err != nil {
		return err
	}
	defer in.Close()
	bad, line := 0, 0
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		line++
		if f := strings.Fields(sc.Text()); len(f) > 0 && !fn(f) {
			bad++
		}
	}
	if bad > 0 {
		s.notef("%s: %d of %d lines not understood, skipped", file, bad, line)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read %s: line %d: %w", file, line+1, err)
	}
	return nil
}

func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// dataverseListing is the part of Dataverse's "list files in a dataset version" answer
// that sync reads.
type dataverseListing struct {
	Status string `json:"status"`
	Data   []struct {
		Label    string `json:"label"`
		DataFile struct {
			ID                 int64  `json:"id"`
			Filename           string `json:"filename"`
			Filesize           int64  `json:"filesize"`
			MD5                string `json:"md5"`
			OriginalFileFormat string `json:"originalFileFormat"`
			OriginalFileName   string `json:"originalFileName"`
			OriginalFileSize   int64  `json:"originalFileSize"`
			Checksum           struct {
				Type  string `json:"type"`
				Value string `json:"value"`
			} `json:"checksum"`
		} `json:"dataFile"`
	} `json:"data"`
}

// planDataverse picks the files of src.Pick from the dataset's latest published
// version. Tabular files that Dataverse ingested are fetched in their original format,
// whose size and MD5 the listing gives. When the listing cannot be read, the pinned
// src.Files are used if there are any.
func (s *Syncer) planDataverse(ctx context.Context, src Source) ([]File, error) {
	server := strings.TrimSuffix(src.Index, "/")
	u := server + "/api/datasets/:persistentId/versions/:latest-published/files?persistentId=" + url.QueryEscape(src.DOI)
	body, err := s.getSmall(ctx, u)
	var listing dataverseListing
	if err == nil {
		if jerr := json.Unmarshal(body, &listing); jerr != nil || listing.Status != "OK" {
			err = fmt.Errorf("GET %s: not a Dataverse file listing (status %q): %v", u, listing.Status, jerr)
		}
	}
	if err != nil {
		if len(src.Files) > 0 {
			s.notef("%s: %v; using the %d pinned files of the catalogue", src.Name, err, len(src.Files))
			return src.Files, nil
		}
		return nil, err
	}
	var files []File
	var names []string
	for _, d := range listing.Data {
		df := d.DataFile
		name, size, q := df.Filename, df.Filesize, ""
		if df.OriginalFileFormat != "" && df.OriginalFileName != "" {
			name, size, q = df.OriginalFileName, df.OriginalFileSize, "?format=original"
		}
		if name == "" {
			name = d.Label
		}
		names = append(names, name)
		if !matchAny(src.Pick, name) || strings.ContainsAny(name, `/\`) {
			continue
		}
		md5 := df.MD5
		if strings.EqualFold(df.Checksum.Type, "MD5") {
			md5 = df.Checksum.Value
		}
		files = append(files, File{
			Path: src.Dir + "/" + name,
			URL:  server + "/api/access/datafile/" + strconv.FormatInt(df.ID, 10) + q,
			Size: size,
			MD5:  strings.ToLower(md5),
		})
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no file of %s matches %s; the dataset holds %s", src.Name, src.DOI, strings.Join(src.Pick, ", "), strings.Join(names, ", "))
	}
	return files, nil
}

func matchAny(patterns []string, name string) bool {
	for _, p := range patterns {
		if ok, _ := path.Match(p, name); ok {
			return true
		}
	}
	return false
}

// getSmall GETs a small document (a listing) with the same retries as downloads.
func (s *Syncer) getSmall(ctx context.Context, u string) ([]byte, error) {
	for attempt := 0; ; attempt++ {
		body, err := s.getSmallOnce(ctx, u)
		if err == nil || ctx.Err() != nil || !retryable(err) || attempt >= s.retries() {
			if err != nil && !errors.As(err, new(*HTTPError)) {
				err = fmt.Errorf("GET %s: %w", u, err)
			}
			return body, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(s.backoff() << attempt):
		}
	}
}

func (s *Syncer) getSmallOnce(ctx context.Context, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := s.client().Do(req)
	if err != nil {
		return nil, unwrapURLError(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, &HTTPError{URL: u, Status: resp.StatusCode}
	}
	const limit = 64 << 20
	b, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err == nil && len(b) > limit {
		err = fmt.Errorf("listing larger than %d bytes", limit)
	}
	return b, err
}

func (s *Syncer) notef(format string, args ...any) {
	if s.Notef != nil {
		s.Notef(format, args...)
	}
}
