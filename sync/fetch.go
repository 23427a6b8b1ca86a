package sync

import (
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// fetch downloads f into the data dir unless a verified copy is there. The bytes go to
// PATH.part, which survives failures and cancellation so the next attempt (or run)
// resumes it with an HTTP Range request; it is renamed to PATH only once complete and
// verified, so a file at PATH is always whole.
func (s *Syncer) fetch(ctx context.Context, f File, r *Result, tr *tracker) error {
	dest := r.Path
	fp := tr.file(f.Path, f.Size)
	if fi, err := os.Stat(dest); err == nil && fi.Mode().IsRegular() {
		what, err := verify(dest, f)
		if err == nil {
			fp.skip()
			r.Status, r.Verified = StatusSkipped, what
			return nil
		}
		if !errors.Is(err, ErrChecksum) {
			return err
		}
		r.Note = fmt.Sprintf("the copy in the data dir failed verification (%v), fetched again", err)
		if err := os.Remove(dest); err != nil {
			return err
		}
	}
	resumed, what, n, err := s.download(ctx, f, dest, fp)
	r.Bytes = n
	if err != nil {
		return err
	}
	r.Status, r.Verified = StatusFetched, what
	if resumed {
		r.Status = StatusResumed
	}
	return nil
}

// download gets f into dest through dest.part, with retries, and verifies it before the
// rename. It reports whether it resumed an earlier part, what it verified and the bytes
// it transferred.
func (s *Syncer) download(ctx context.Context, f File, dest string, fp *fileProgress) (resumed bool, verified string, n int64, err error) {
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		return false, "", 0, err
	}
	part := dest + ".part"
	if fi, err := os.Stat(part); err == nil && fi.Size() > 0 {
		resumed = true
		fp.add(fi.Size())
	}
	for attempt := 0; ; attempt++ {
		m, err := s.getOnce(ctx, f, part, fp)
		n += m
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			return resumed, "", n, fmt.Errorf("fetch %s: %w", f.URL, ctx.Err())
		}
		if !retryable(err) || attempt >= s.retries() {
			var he *HTTPError
			if errors.As(err, &he) {
				return resumed, "", n, err // it names the URL
			}
			return resumed, "", n, fmt.Errorf("fetch %s: %w", f.URL, err)
		}
		select {
		case <-ctx.Done():
			return resumed, "", n, fmt.Errorf("fetch %s: %w", f.URL, ctx.Err())
		case <-time.After(s.backoff() << attempt):
		}
	}
	verified, err = verify(part, f)
	if err != nil {
		if errors.Is(err, ErrChecksum) {
			// A .part that fails its checksum would be resumed into the same wrong
			// file; throw it away so the next run starts clean.
			os.Remove(part)
		}
		return resumed, "", n, fmt.Errorf("fetch %s: %w", f.URL, err)
	}
	if err := os.Rename(part, dest); err != nil {
		return resumed, "", n, err
	}
	syncDir(filepath.Dir(dest))
	return resumed, verified, n, nil
}

// getOnce makes one GET for the rest of part and appends the body to it. It returns
// the bytes written. A part that is already as long as the published size is left for
// verification without a request.
func (s *Syncer) getOnce(ctx context.Context, f File, part string, fp *fileProgress) (int64, error) {
	out, err := os.OpenFile(part, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return 0, err
	}
	defer out.Close()
	have, err := out.Seek(0, io.SeekEnd)
	if err != nil {
		return 0, err
	}
	restart := func() error {
		fp.add(-have)
		have = 0
		if err := out.Truncate(0); err != nil {
			return err
		}
		_, err := out.Seek(0, io.SeekStart)
		return err
	}
	if f.Size > 0 && have > f.Size {
		if err := restart(); err != nil {
			return 0, err
		}
	}
	if f.Size > 0 && have == f.Size {
		return 0, nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.URL, nil)
	if err != nil {
		return 0, fmt.Errorf("bad url: %w", err)
	}
	req.Header.Set("User-Agent", "entente-sync (+https://github.com/entente/entente)")
	if have > 0 {
		req.Header.Set("Range", "bytes="+strconv.FormatInt(have, 10)+"-")
	}
	resp, err := s.client().Do(req)
	if err != nil {
		return 0, unwrapURLError(err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusPartialContent:
		start, total, ok := parseContentRange(resp.Header.Get("Content-Range"))
		if !ok || start != have {
			// Not the range asked for: start again from zero on the next attempt.
			if err := restart(); err != nil {
				return 0, err
			}
			return 0, &retryError{fmt.Errorf("server sent Content-Range %q for a request from byte %d", resp.Header.Get("Content-Range"), have)}
		}
		fp.setTotal(total)
	case resp.StatusCode == http.StatusOK:
		if err := restart(); err != nil { // the server ignored the range
			return 0, err
		}
		fp.setTotal(resp.ContentLength)
	case resp.StatusCode == http.StatusRequestedRangeNotSatisfiable && have > 0:
		// The part may be whole already (a crash between the last byte and the
		// rename); verification decides. Without a published size or checksum there is
		// nothing to decide with, so fetch it again whole.
		if _, total, ok := parseContentRange(resp.Header.Get("Content-Range")); ok && total == have && f.Verifiable() {
			return 0, nil
		}
		if err := restart(); err != nil {
			return 0, err
		}
		return 0, &retryError{&HTTPError{URL: f.URL, Status: resp.StatusCode}}
	default:
		return 0, &HTTPError{URL: f.URL, Status: resp.StatusCode}
	}
	n, err := io.Copy(out, &progressReader{r: resp.Body, fp: fp})
	if err != nil {
		return n, &retryError{fmt.Errorf("after %d bytes: %w", have+n, err)}
	}
	if err := out.Sync(); err != nil {
		return n, err
	}
	return n, out.Close()
}

// retryError marks a failure that a new attempt (resuming the part) may get past.
type retryError struct{ err error }

func (e *retryError) Error() string { return e.err.Error() }
func (e *retryError) Unwrap() error { return e.err }

// unwrapURLError drops the *url.Error around a transport error: callers name the URL
// once themselves.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func retryable(err error) bool {
	var dns *net.DNSError
	if errors.As(err, &dns) && dns.IsNotFound {
		return false // an unknown host stays unknown
	}
	var re *retryError
	if errors.As(err, &re) {
		return true
	}
	var he *HTTPError
	if errors.As(err, &he) {
		return he.Temporary()
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	var oe *net.OpError
	if errors.As(err, &oe) {
		return true // refused or reset connections
	}
	return errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

// parseContentRange parses "bytes START-END/TOTAL" or "bytes */TOTAL"; total is 0 when
// given as "*".
func parseContentRange(h string) (start, total int64, ok bool) {
	rest, found := strings.CutPrefix(h, "bytes ")
	if !found {
		return 0, 0, false
	}
	rng, tot, found := strings.Cut(rest, "/")
	if !found {
		return 0, 0, false
	}
	if tot != "*" {
		t, err := strconv.ParseInt(tot, 10, 64)
		if err != nil {
			return 0, 0, false
		}
		total = t
	}
	if rng == "*" {
		return 0, total, true
	}
	first, _, found := strings.Cut(rng, "-")
	if !found {
		return 0, 0, false
	}
	start, err := strconv.ParseInt(first, 10, 64)
	if err != nil {
		return 0, 0, false
	}
	return start, total, true
}

type progressReader struct {
	r  io.Reader
	fp *fileProgress
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if n > 0 {
		p.fp.add(int64(n))
	}
	return n, err
}

// verify checks path against what upstream published for f and returns the strongest
// check made: "md5", "sha256", "size", or "" when there was nothing to check. A
// mismatch wraps ErrChecksum.
func verify(path string, f File) (string, error) {
	in, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return "", err
	}
	if f.Size > 0 && fi.Size() != f.Size {
		return "", fmt.Errorf("%w: %s is %d bytes, upstream says %d", ErrChecksum, filepath.Base(path), fi.Size(), f.Size)
	}
	if f.MD5 == "" && f.SHA256 == "" {
		if f.Size > 0 {
			return "size", nil
		}
		return "", nil
	}
	var hs []io.Writer
	var m, s hash.Hash
	if f.MD5 != "" {
		m = md5.New()
		hs = append(hs, m)
	}
	if f.SHA256 != "" {
		s = sha256.New()
		hs = append(hs, s)
	}
	if _, err := io.Copy(io.MultiWriter(hs...), in); err != nil {
		return "", err
	}
	what := ""
	if s != nil {
		if got := hex.EncodeToString(s.Sum(nil)); !strings.EqualFold(got, f.SHA256) {
			return "", fmt.Errorf("%w: %s has SHA-256 %s, upstream says %s", ErrChecksum, filepath.Base(path), got, f.SHA256)
		}
		what = "sha256"
	}
	if m != nil {
		if got := hex.EncodeToString(m.Sum(nil)); !strings.EqualFold(got, f.MD5) {
			return "", fmt.Errorf("%w: %s has MD5 %s, upstream says %s", ErrChecksum, filepath.Base(path), got, f.MD5)
		}
		if what == "" {
			what = "md5"
		}
	}
	return what, nil
}

// syncDir flushes a rename to disk where the platform allows it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
