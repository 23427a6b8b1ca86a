package sync

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	gosync "sync"
	"sync/atomic"
	"time"

	"github.com/entente/entente"
)

// Status is what Sync did with one file.
type Status string

// Statuses of a Result.
const (
	StatusFetched Status = "fetched" // downloaded whole
	StatusResumed Status = "resumed" // downloaded, continuing a .part left by an earlier run
	StatusSkipped Status = "skipped" // already in the data dir (and verified, where upstream publishes a checksum)
	StatusLinked  Status = "linked"  // symlinked from the mirror
	StatusCopied  Status = "copied"  // copied from the mirror (links unavailable or --copy)
	StatusAbsent  Status = "absent"  // the mirror has no folder for the source
	StatusFailed  Status = "failed"  // see Result.Err
)

// Result is the outcome for one file (or, when a source could not be planned, for the
// source as a whole: File.Path is then the source's folder).
type Result struct {
	Source string
	File   File   // as planned: URL (or mirror path), size and checksums
	Path   string // the file in the data dir
	Status Status
	// Verified is what was checked: "md5", "sha256", "size", or "" when upstream
	// publishes nothing to check against (then a file in place counts as whole, since
	// only complete downloads are renamed into place).
	Verified string
	Bytes    int64  // bytes transferred (downloads and copies)
	Note     string // a remark for users: why a file was fetched again, what was not verified
	Err      error  // set when Status is StatusFailed
}

// Progress is one progress report. Done and Total count the bytes of one file; AllDone
// and AllTotal those of every file still to transfer in this Sync (a total grows when a
// server announces the size of a file the index did not give; it is 0 when unknown).
type Progress struct {
	Path              string
	Done, Total       int64
	AllDone, AllTotal int64
}

// Syncer fetches sources into DataDir. The zero value is not usable: DataDir must be
// set. A Syncer may be used for one Sync at a time.
type Syncer struct {
	DataDir string // where files go, in the catalogue's layout
	// Mirror, when set, is a local folder in the same layout read instead of upstream:
	// its files are symlinked into DataDir (copied when Copy is set or links fail).
	Mirror string
	Copy   bool

	From, To time.Time // date range of dated sources (GDELT), half-open; zero To means now
	// GDELTKinds are the GDELT 2.0 file kinds fetched; default export and mentions.
	GDELTKinds []string

	Client      *http.Client  // default: a client with a 60 s header timeout
	Concurrency int           // parallel downloads; default 3
	Retries     int           // retries after a 5xx, 429 or network error; default 4
	Backoff     time.Duration // first wait before a retry, doubled each time; default 1 s
	// Progress, if set, receives byte counts as files transfer. It is called from
	// several goroutines and must be safe for concurrent use.
	Progress func(Progress)
	// Notef, if set, receives remarks that concern no single file (lines of an upstream
	// list that could not be read, a fallback taken).
	Notef func(format string, args ...any)
	// Now is the clock, for the end of an open date range; default time.Now.
	Now func() time.Time
}

func (s *Syncer) concurrency() int {
	if s.Concurrency > 0 {
		return s.Concurrency
	}
	return 3
}

func (s *Syncer) retries() int {
	if s.Retries > 0 {
		return s.Retries
	}
	return 4
}

func (s *Syncer) backoff() time.Duration {
	if s.Backoff > 0 {
		return s.Backoff
	}
	return time.Second
}

func (s *Syncer) client() *http.Client {
	if s.Client != nil {
		return s.Client
	}
	return defaultClient
}

var defaultClient = &http.Client{Transport: &http.Transport{
	Proxy:                 http.ProxyFromEnvironment,
	ResponseHeaderTimeout: 60 * time.Second,
	IdleConnTimeout:       90 * time.Second,
}}

func (s *Syncer) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// rangeEnd is the end of the date range: To, or now when To is zero.
func (s *Syncer) rangeEnd() time.Time {
	if s.To.IsZero() {
		return s.now()
	}
	return s.To
}

// inRange reports whether [start, end) overlaps the date range.
func (s *Syncer) inRange(start, end time.Time) bool {
	return end.After(s.From) && start.Before(s.rangeEnd())
}

// job is one file to transfer.
type job struct {
	source string
	file   File
	mirror string // the mirror file, in mirror mode
}

// Sync fetches every file of srcs into DataDir (or links it from Mirror) and returns one
// Result per file in catalogue order. The error joins every failure; each failed Result
// names its URL. Cancelling ctx stops the transfers; a partial download stays as a .part
// file that the next Sync resumes.
func (s *Syncer) Sync(ctx context.Context, srcs []Source) ([]Result, error) {
	if s.DataDir == "" {
		return nil, entente.Errorf(entente.EINVALID, "sync: no data dir")
	}
	if s.Mirror != "" {
		if err := s.checkMirror(); err != nil {
			return nil, err
		}
	}
	// Each source gives either jobs or one result of its own (a plan that failed, a
	// folder the mirror lacks); the results come back in catalogue order.
	var jobs []job
	own := make([]*Result, len(srcs))
	first := make([]int, len(srcs)+1)
	for i, src := range srcs {
		first[i] = len(jobs)
		js, err := s.jobs(ctx, src)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var ab *absentError
		switch {
		case errors.As(err, &ab):
			own[i] = &Result{Source: src.Name, File: File{Path: src.Dir, URL: ab.dir}, Path: s.local(src.Dir), Status: StatusAbsent, Note: ab.Error()}
		case err != nil:
			own[i] = &Result{Source: src.Name, File: File{Path: src.Dir, URL: src.Index}, Path: s.local(src.Dir), Status: StatusFailed, Err: err}
		}
		jobs = append(jobs, js...)
	}
	first[len(srcs)] = len(jobs)
	done := s.run(ctx, jobs)
	var results []Result
	for i := range srcs {
		if own[i] != nil {
			results = append(results, *own[i])
		}
		results = append(results, done[first[i]:first[i+1]]...)
	}
	var errs []error
	for _, r := range results {
		if r.Status == StatusFailed {
			errs = append(errs, r.Err)
		}
	}
	if ctx.Err() != nil {
		return results, ctx.Err()
	}
	return results, errors.Join(errs...)
}

// jobs lists the transfers of one source: its files in the mirror, or its plan.
func (s *Syncer) jobs(ctx context.Context, src Source) ([]job, error) {
	if s.Mirror != "" {
		return s.mirrorJobs(src)
	}
	files, err := s.Plan(ctx, src)
	js := make([]job, len(files))
	for i, f := range files {
		js[i] = job{source: src.Name, file: f}
	}
	return js, err
}

// local returns the data-dir path of a slash-separated relative path.
func (s *Syncer) local(rel string) string {
	return filepath.Join(s.DataDir, filepath.FromSlash(rel))
}

// run transfers jobs with bounded concurrency and returns their results in job order.
func (s *Syncer) run(ctx context.Context, jobs []job) []Result {
	tr := &tracker{report: s.Progress}
	for _, j := range jobs {
		tr.allTotal.Add(j.file.Size)
	}
	results := make([]Result, len(jobs))
	next := make(chan int)
	var wg gosync.WaitGroup
	for range min(s.concurrency(), max(len(jobs), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i] = s.transfer(ctx, jobs[i], tr)
			}
		}()
	}
	for i := range jobs {
		if ctx.Err() != nil {
			results[i] = Result{Source: jobs[i].source, File: jobs[i].file, Path: s.local(jobs[i].file.Path), Status: StatusFailed, Err: ctx.Err()}
			continue
		}
		next <- i
	}
	close(next)
	wg.Wait()
	return results
}

func (s *Syncer) transfer(ctx context.Context, j job, tr *tracker) Result {
	r := Result{Source: j.source, File: j.file, Path: s.local(j.file.Path)}
	var err error
	if j.mirror != "" {
		err = s.linkFromMirror(j, &r, tr)
	} else {
		err = s.fetch(ctx, j.file, &r, tr)
	}
	if err != nil {
		r.Status = StatusFailed
		r.Err = err
	}
	return r
}

// tracker adds up progress across the concurrent transfers.
type tracker struct {
	report   func(Progress)
	allDone  atomic.Int64
	allTotal atomic.Int64
}

// fileProgress reports the progress of one file.
type fileProgress struct {
	t           *tracker
	path        string
	done, total int64
}

func (t *tracker) file(path string, total int64) *fileProgress {
	return &fileProgress{t: t, path: path, total: total}
}

// add records n more bytes (negative when a restart throws bytes away).
func (p *fileProgress) add(n int64) {
	p.done += n
	all := p.t.allDone.Add(n)
	if p.t.report != nil {
		p.t.report(Progress{Path: p.path, Done: p.done, Total: p.total, AllDone: all, AllTotal: p.t.allTotal.Load()})
	}
}

// setTotal records a size learnt from the server for a file the index gave none for,
// or corrects the plan's.
func (p *fileProgress) setTotal(n int64) {
	if n <= 0 || n == p.total {
		return
	}
	p.t.allTotal.Add(n - p.total)
	p.total = n
}

// skip removes a file that needs no transfer from the overall total.
func (p *fileProgress) skip() {
	p.t.allTotal.Add(-p.total)
	p.total = 0
}

// HTTPError is an upstream answer that is not the file: its URL and status.
type HTTPError struct {
	URL    string
	Status int
}

// Error names the URL and the status, as users need to report it.
func (e *HTTPError) Error() string {
	return fmt.Sprintf("GET %s: %d %s", e.URL, e.Status, http.StatusText(e.Status))
}

// Temporary reports whether retrying may help: 5xx, 408 and 429.
func (e *HTTPError) Temporary() bool {
	return e.Status >= 500 || e.Status == http.StatusTooManyRequests || e.Status == http.StatusRequestTimeout
}

// ErrChecksum is the cause of a file that does not match what upstream published.
var ErrChecksum = errors.New("checksum mismatch")

// absentError is a mirror without the folder of a source.
type absentError struct{ dir string }

func (e *absentError) Error() string { return "mirror has no " + e.dir }

func removeIfExists(p string) error {
	if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}
