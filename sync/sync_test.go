package sync

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	gosync "sync"
	"testing"
	"time"
)

// upstream is a fake of the upstream servers: it serves files at their upstream paths
// with Range support (http.ServeContent), and can fail a path's first request with 503
// or drop the connection halfway through it.
type upstream struct {
	t                 *testing.T
	srv               *httptest.Server
	mu                gosync.Mutex
	files             map[string][]byte
	fail              map[string]int  // path -> 503s still to send
	drop              map[string]bool // path -> drop the connection halfway, once
	hits              map[string]int
	ranges            map[string][]string // path -> Range headers received
	active, maxActive int
}

func newUpstream(t *testing.T) *upstream {
	u := &upstream{t: t, files: map[string][]byte{}, fail: map[string]int{}, drop: map[string]bool{},
		hits: map[string]int{}, ranges: map[string][]string{}}
	u.srv = httptest.NewServer(http.HandlerFunc(u.serve))
	t.Cleanup(u.srv.Close)
	return u
}

func (u *upstream) url(p string) string { return u.srv.URL + p }

func (u *upstream) serve(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	if r.URL.RawQuery != "" {
		p += "?" + r.URL.RawQuery
	}
	u.mu.Lock()
	u.hits[p]++
	if h := r.Header.Get("Range"); h != "" {
		u.ranges[p] = append(u.ranges[p], h)
	}
	u.active++
	u.maxActive = max(u.maxActive, u.active)
	body, ok := u.files[p]
	fail := u.fail[p] > 0
	if fail {
		u.fail[p]--
	}
	drop := u.drop[p]
	u.drop[p] = false
	u.mu.Unlock()
	defer func() { u.mu.Lock(); u.active--; u.mu.Unlock() }()
	time.Sleep(5 * time.Millisecond) // let concurrent requests overlap
	switch {
	case !ok:
		http.NotFound(w, r)
	case fail:
		http.Error(w, "try later", http.StatusServiceUnavailable)
	case drop:
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		w.WriteHeader(http.StatusOK)
		w.Write(body[:len(body)/2])
		w.(http.Flusher).Flush()
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			u.t.Errorf("hijack: %v", err)
			return
		}
		conn.Close()
	default:
		http.ServeContent(w, r, p, time.Time{}, bytes.NewReader(body))
	}
}

func md5hex(b []byte) string { s := md5.Sum(b); return hex.EncodeToString(s[:]) }

// content returns distinct bytes for a file name, big enough to be sent in pieces.
func content(name string, n int) []byte {
	return bytes.Repeat([]byte(name+"\tsome\tfields\n"), n)
}

// gdelt2 serves a master file list over three slots of 2015-02-18 and one of the next
// day, each with export, mentions and gkg files, plus a line that is not understood.
func gdelt2(u *upstream) Source {
	var list strings.Builder
	for _, stamp := range []string{"20150218230000", "20150218231500", "20150218233000", "20150219000000"} {
		for _, kind := range []string{"export.CSV.zip", "mentions.CSV.zip", "gkg.csv.zip"} {
			p := "/gdeltv2/" + stamp + "." + kind
			b := content(p, 200)
			u.files[p] = b
			fmt.Fprintf(&list, "%d %s %s\n", len(b), md5hex(b), u.url(p))
		}
	}
	list.WriteString("not a line of the list\n")
	u.files["/gdeltv2/masterfilelist.txt"] = []byte(list.String())
	src := Catalogue()[indexOf(Catalogue(), "gdelt2")]
	src.Index = u.url("/gdeltv2/masterfilelist.txt")
	return src
}

func newSyncer(t *testing.T) *Syncer {
	return &Syncer{
		DataDir: t.TempDir(),
		Backoff: time.Millisecond,
		From:    time.Date(2015, 2, 18, 0, 0, 0, 0, time.UTC),
		To:      time.Date(2015, 2, 19, 0, 0, 0, 0, time.UTC),
		Notef:   func(format string, args ...any) { t.Logf("note: "+format, args...) },
	}
}

func statuses(rs []Result) map[string]Status {
	m := map[string]Status{}
	for _, r := range rs {
		m[r.File.Path] = r.Status
	}
	return m
}

func TestGDELT2RangeVerifyAndSkip(t *testing.T) {
	u := newUpstream(t)
	src := gdelt2(u)
	s := newSyncer(t)
	var last Progress
	var mu gosync.Mutex
	s.Progress = func(p Progress) { mu.Lock(); last = p; mu.Unlock() }
	rs, err := s.Sync(context.Background(), []Source{src})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 6 {
		t.Fatalf("got %d results, want 6 (3 slots x export, mentions): %+v", len(rs), rs)
	}
	for _, r := range rs {
		if r.Status != StatusFetched || r.Verified != "md5" {
			t.Errorf("%s: status %s verified %q, want fetched md5 (%v)", r.File.Path, r.Status, r.Verified, r.Err)
		}
		if strings.Contains(r.File.Path, "gkg") || strings.Contains(r.File.Path, "20150219") {
			t.Errorf("%s is outside the kinds or range", r.File.Path)
		}
		got, err := os.ReadFile(r.Path)
		if err != nil || !bytes.Equal(got, u.files["/gdeltv2/"+filepath.Base(r.Path)]) {
			t.Errorf("%s: content differs (%v)", r.Path, err)
		}
		if _, err := os.Stat(r.Path + ".part"); err == nil {
			t.Errorf("%s.part left behind", r.Path)
		}
	}
	if last.AllTotal == 0 || last.AllDone != last.AllTotal {
		t.Errorf("last progress %+v: want all done of a known total", last)
	}
	if _, err := os.Stat(filepath.Join(s.DataDir, "gdelt", "v2", "masterfilelist.txt")); err != nil {
		t.Errorf("master file list not kept: %v", err)
	}

	// A second run finds everything in place and verified, and reuses the list, which
	// was written long after the end of the range.
	before := u.hits["/gdeltv2/masterfilelist.txt"]
	rs, err = s.Sync(context.Background(), []Source{src})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.Status != StatusSkipped || r.Verified != "md5" || r.Bytes != 0 {
			t.Errorf("rerun %s: %s %q %d bytes, want skipped md5 0", r.File.Path, r.Status, r.Verified, r.Bytes)
		}
	}
	if after := u.hits["/gdeltv2/masterfilelist.txt"]; after != before {
		t.Errorf("master file list fetched again (%d -> %d requests)", before, after)
	}
}

func TestRetryAfter503(t *testing.T) {
	u := newUpstream(t)
	src := gdelt2(u)
	p := "/gdeltv2/20150218231500.export.CSV.zip"
	u.fail[p] = 2
	s := newSyncer(t)
	rs, err := s.Sync(context.Background(), []Source{src})
	if err != nil {
		t.Fatal(err)
	}
	if st := statuses(rs)["gdelt/v2/20150218231500.export.CSV.zip"]; st != StatusFetched {
		t.Errorf("status %s, want fetched", st)
	}
	if u.hits[p] != 3 {
		t.Errorf("%d requests, want 3 (two 503s, then the file)", u.hits[p])
	}
}

func TestResumeAfterDroppedConnection(t *testing.T) {
	u := newUpstream(t)
	src := gdelt2(u)
	p := "/gdeltv2/20150218233000.mentions.CSV.zip"
	u.drop[p] = true
	s := newSyncer(t)
	rs, err := s.Sync(context.Background(), []Source{src})
	if err != nil {
		t.Fatal(err)
	}
	if st := statuses(rs)["gdelt/v2/20150218233000.mentions.CSV.zip"]; st != StatusFetched {
		t.Errorf("status %s, want fetched", st)
	}
	half := len(u.files[p]) / 2
	if want := fmt.Sprintf("bytes=%d-", half); len(u.ranges[p]) != 1 || u.ranges[p][0] != want {
		t.Errorf("Range headers %q, want one %q: the second request must resume", u.ranges[p], want)
	}
	got, _ := os.ReadFile(filepath.Join(s.DataDir, "gdelt", "v2", "20150218233000.mentions.CSV.zip"))
	if !bytes.Equal(got, u.files[p]) {
		t.Error("resumed file differs from upstream")
	}
}

func TestResumePartOfEarlierRun(t *testing.T) {
	u := newUpstream(t)
	src := gdelt2(u)
	p := "/gdeltv2/20150218230000.export.CSV.zip"
	s := newSyncer(t)
	dest := filepath.Join(s.DataDir, "gdelt", "v2", "20150218230000.export.CSV.zip")
	os.MkdirAll(filepath.Dir(dest), 0o755)
	third := len(u.files[p]) / 3
	if err := os.WriteFile(dest+".part", u.files[p][:third], 0o644); err != nil {
		t.Fatal(err)
	}
	rs, err := s.Sync(context.Background(), []Source{src})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.Path == dest {
			if r.Status != StatusResumed || r.Bytes != int64(len(u.files[p])-third) {
				t.Errorf("%s: %s after %d bytes, want resumed after %d", r.File.Path, r.Status, r.Bytes, len(u.files[p])-third)
			}
		}
	}
	if want := fmt.Sprintf("bytes=%d-", third); len(u.ranges[p]) != 1 || u.ranges[p][0] != want {
		t.Errorf("Range headers %q, want %q", u.ranges[p], want)
	}
}

func TestChecksumMismatch(t *testing.T) {
	u := newUpstream(t)
	src := gdelt2(u)
	// Upstream changes a file after publishing its MD5.
	p := "/gdeltv2/20150218231500.mentions.CSV.zip"
	b := append([]byte(nil), u.files[p]...)
	b[10] ^= 1
	u.files[p] = b
	s := newSyncer(t)
	rs, err := s.Sync(context.Background(), []Source{src})
	if !errors.Is(err, ErrChecksum) {
		t.Fatalf("err = %v, want ErrChecksum", err)
	}
	if !strings.Contains(err.Error(), u.url(p)) {
		t.Errorf("error %q does not name the URL", err)
	}
	st := statuses(rs)
	if st["gdelt/v2/20150218231500.mentions.CSV.zip"] != StatusFailed || st["gdelt/v2/20150218231500.export.CSV.zip"] != StatusFetched {
		t.Errorf("statuses %v: want only the changed file failed", st)
	}
	dest := filepath.Join(s.DataDir, "gdelt", "v2", "20150218231500.mentions.CSV.zip")
	for _, f := range []string{dest, dest + ".part"} {
		if _, err := os.Stat(f); err == nil {
			t.Errorf("%s exists after a checksum mismatch", f)
		}
	}
	if u.hits[p] != 1 {
		t.Errorf("%d requests: a checksum mismatch is not retried", u.hits[p])
	}
}

func TestNotFoundNamesURLAndStatus(t *testing.T) {
	u := newUpstream(t)
	src := Source{Name: "aid", Kind: KindFiles, Dir: "aid", Files: []File{{Path: "aid/gone.xlsx", URL: u.url("/gone.xlsx")}}}
	s := newSyncer(t)
	rs, err := s.Sync(context.Background(), []Source{src})
	var he *HTTPError
	if !errors.As(err, &he) || he.Status != 404 {
		t.Fatalf("err = %v, want an HTTPError 404", err)
	}
	if want := "GET " + u.url("/gone.xlsx") + ": 404 Not Found"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q, want it to contain %q", err, want)
	}
	if len(rs) != 1 || rs[0].Status != StatusFailed || u.hits["/gone.xlsx"] != 1 {
		t.Errorf("results %+v, %d requests: want one failure, no retry", rs, u.hits["/gone.xlsx"])
	}
}

func TestUnverifiableFileKeptOnRerun(t *testing.T) {
	u := newUpstream(t)
	u.files["/atop.zip"] = content("atop", 100)
	src := Source{Name: "atop", Kind: KindFiles, Dir: "alliances", Files: []File{{Path: "alliances/atop.zip", URL: u.url("/atop.zip")}}}
	s := newSyncer(t)
	rs, err := s.Sync(context.Background(), []Source{src})
	if err != nil || rs[0].Status != StatusFetched || rs[0].Verified != "" {
		t.Fatalf("first run: %+v, %v: want fetched, unverified", rs, err)
	}
	rs, err = s.Sync(context.Background(), []Source{src})
	if err != nil || rs[0].Status != StatusSkipped || u.hits["/atop.zip"] != 1 {
		t.Fatalf("second run: %+v, %v, %d requests: want skipped without a request", rs, err, u.hits["/atop.zip"])
	}
}

func TestBoundedConcurrency(t *testing.T) {
	u := newUpstream(t)
	var files []File
	for i := range 12 {
		p := fmt.Sprintf("/f%d", i)
		u.files[p] = content(p, 50)
		files = append(files, File{Path: "aid" + p, URL: u.url(p), MD5: md5hex(u.files[p])})
	}
	s := newSyncer(t)
	s.Concurrency = 2
	if _, err := s.Sync(context.Background(), []Source{{Name: "aid", Kind: KindFiles, Dir: "aid", Files: files}}); err != nil {
		t.Fatal(err)
	}
	if u.maxActive > 2 || u.maxActive < 1 {
		t.Errorf("%d requests at once, want at most 2", u.maxActive)
	}
}

func TestCancelKeepsPart(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000")
		w.Write(make([]byte, 100))
		w.(http.Flusher).Flush()
		<-release
	}))
	defer srv.Close()
	defer close(release)
	s := newSyncer(t)
	ctx, cancel := context.WithCancel(context.Background())
	s.Progress = func(p Progress) {
		if p.Done >= 100 {
			cancel()
		}
	}
	rs, err := s.Sync(ctx, []Source{{Name: "aid", Kind: KindFiles, Dir: "aid", Files: []File{{Path: "aid/x", URL: srv.URL + "/x", Size: 1000}}}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if fi, err := os.Stat(rs[0].Path + ".part"); err != nil || fi.Size() != 100 {
		t.Errorf("part after cancel: %v %v, want 100 bytes kept for the next run", fi, err)
	}
}

func TestGDELT1Index(t *testing.T) {
	u := newUpstream(t)
	var sums, sizes strings.Builder
	for _, name := range []string{"2005.zip", "201303.zip", "20130401.export.CSV.zip", "20160728.export.CSV.zip", "20160729.export.CSV.zip", "GDELT.MASTERREDUCEDV2.1979-2013.zip"} {
		b := content(name, 20)
		u.files["/events/"+name] = b
		fmt.Fprintf(&sums, "%s  %s\n", md5hex(b), name)
		fmt.Fprintf(&sizes, "%d %s\n", len(b), name)
	}
	u.files["/events/md5sums"] = []byte(sums.String())
	u.files["/events/filesizes"] = []byte(sizes.String())
	src := Catalogue()[indexOf(Catalogue(), "gdelt1")]
	src.Index = u.url("/events/")
	s := newSyncer(t)
	s.From = time.Date(2013, 3, 15, 0, 0, 0, 0, time.UTC)
	s.To = time.Date(2016, 7, 29, 0, 0, 0, 0, time.UTC)
	rs, err := s.Sync(context.Background(), []Source{src})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rs {
		got = append(got, r.File.Path+" "+string(r.Status)+" "+r.Verified)
	}
	want := []string{
		"gdelt/v1/201303.zip fetched md5",
		"gdelt/v1/20130401.export.CSV.zip fetched md5",
		"gdelt/v1/20160728.export.CSV.zip fetched md5",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestDataverse(t *testing.T) {
	u := newUpstream(t)
	votes := content("rcid,ccode,vote", 300)
	desc := content("rcid,descr", 30)
	u.files["/api/access/datafile/101?format=original"] = votes
	u.files["/api/access/datafile/102"] = desc
	u.files["/api/datasets/:persistentId/versions/:latest-published/files?persistentId=doi%3A10.7910%2FDVN%2FLEJUQZ"] = []byte(fmt.Sprintf(`{"status":"OK","data":[
	 {"label":"UNVotes.tab","dataFile":{"id":101,"filename":"UNVotes.tab","filesize":5,"originalFileFormat":"text/csv","originalFileName":"UNVotes.csv","originalFileSize":%d,"md5":"%s","checksum":{"type":"MD5","value":"%s"}}},
	 {"label":"descriptions.csv","dataFile":{"id":102,"filename":"descriptions.csv","filesize":%d,"md5":"%s"}},
	 {"label":"IdealPoints.tab","dataFile":{"id":103,"filename":"IdealPoints.tab","filesize":9}}]}`,
		len(votes), md5hex(votes), md5hex(votes), len(desc), md5hex(desc)))
	src := Catalogue()[indexOf(Catalogue(), "unvotes")]
	src.Index = u.srv.URL
	s := newSyncer(t)
	rs, err := s.Sync(context.Background(), []Source{src})
	if err != nil {
		t.Fatal(err)
	}
	st := statuses(rs)
	if len(rs) != 2 || st["unvotes/UNVotes.csv"] != StatusFetched || st["unvotes/descriptions.csv"] != StatusFetched {
		t.Errorf("results %v: want UNVotes.csv and descriptions.csv fetched", st)
	}
	if got, _ := os.ReadFile(filepath.Join(s.DataDir, "unvotes", "UNVotes.csv")); !bytes.Equal(got, votes) {
		t.Error("UNVotes.csv differs: the original format must be fetched")
	}
}

func TestDatedSourceNeedsRange(t *testing.T) {
	s := newSyncer(t)
	s.From = time.Time{}
	_, err := s.Plan(context.Background(), Catalogue()[indexOf(Catalogue(), "gdelt2")])
	if err == nil || !strings.Contains(err.Error(), "date range") {
		t.Errorf("err = %v, want a request for a date range", err)
	}
}
