package sync

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/entente/entente"
)

func writeTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for rel, body := range files {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func resultLines(rs []Result) string {
	var lines []string
	for _, r := range rs {
		lines = append(lines, fmt.Sprintf("%s %s %s %s", r.Source, r.File.Path, r.Status, r.Verified))
	}
	return strings.Join(lines, "\n")
}

func TestMirrorLinksAndSkips(t *testing.T) {
	mirror := t.TempDir()
	zip := "PK fake zip"
	writeTree(t, mirror, map[string]string{
		"unvotes/votes.csv":                         "resid,ccode,date,year,vote\n",
		"unvotes/README.md":                         "about",
		"unvotes/.hidden":                           "x",
		"gdelt/v2/20150218230000.export.CSV":        "a\tb\n",
		"gdelt/v2/20150218231500.export.CSV.zip":    zip,
		"gdelt/v2/20180101000000.export.CSV":        "c\td\n",
		"gdelt/v2/20150218230000.gkg.csv.zip":       "gkg",
		"gdelt/v2/masterfilelist.txt":               fmt.Sprintf("%d %s http://data.gdeltproject.org/gdeltv2/20150218231500.export.CSV.zip\n", len(zip), md5hex([]byte(zip))),
		"alliances/atop_5.1__.csv_.zip":             "atop",
		"alliances/peacesciencer_atop_alliance.csv": "ccode1,ccode2,year\n",
	})
	srcs := Catalogue()
	s := &Syncer{DataDir: t.TempDir(), Mirror: mirror,
		From: time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)}
	rs, err := s.Sync(context.Background(), srcs)
	if err != nil {
		t.Fatalf("%v\n%s", err, resultLines(rs))
	}
	want := `unvotes unvotes/votes.csv linked 
gdelt2 gdelt/v2/20150218230000.export.CSV linked 
gdelt2 gdelt/v2/20150218231500.export.CSV.zip linked md5
gdelt1 gdelt/v1 absent 
atop alliances/atop_5.1__.csv_.zip linked 
atop alliances/peacesciencer_atop_alliance.csv linked 
igo igo absent 
aid aid absent `
	if got := resultLines(rs); got != want {
		t.Errorf("first run:\n%s\nwant\n%s", got, want)
	}
	for _, r := range rs {
		if r.Status != StatusLinked {
			continue
		}
		target, err := os.Readlink(r.Path)
		if err != nil || target != r.File.URL || !filepath.IsAbs(target) {
			t.Errorf("%s: link to %q (%v), want an absolute link to %s", r.Path, target, err, r.File.URL)
		}
	}
	rs, err = s.Sync(context.Background(), srcs)
	if err != nil {
		t.Fatal(err)
	}
	if got := resultLines(rs); got != strings.ReplaceAll(want, "linked", "skipped") {
		t.Errorf("second run:\n%s\nwant every file skipped", got)
	}

	// --copy makes independent files, through the same .part and rename.
	s.DataDir, s.Copy = t.TempDir(), true
	rs, err = s.Sync(context.Background(), srcs[:1])
	if err != nil || len(rs) != 1 || rs[0].Status != StatusCopied || rs[0].Bytes != int64(len("resid,ccode,date,year,vote\n")) {
		t.Fatalf("copy: %s, %v", resultLines(rs), err)
	}
	if fi, err := os.Lstat(rs[0].Path); err != nil || !fi.Mode().IsRegular() {
		t.Errorf("copy: %v %v, want a regular file", fi, err)
	}
}

func TestMirrorChecksumMismatch(t *testing.T) {
	mirror := t.TempDir()
	writeTree(t, mirror, map[string]string{
		"gdelt/v2/20150218231500.export.CSV.zip": "changed",
		"gdelt/v2/masterfilelist.txt":            "7 00000000000000000000000000000000 http://x/20150218231500.export.CSV.zip\n",
	})
	s := &Syncer{DataDir: t.TempDir(), Mirror: mirror}
	rs, err := s.Sync(context.Background(), []Source{Catalogue()[indexOf(Catalogue(), "gdelt2")]})
	if !errors.Is(err, ErrChecksum) || len(rs) != 1 || rs[0].Status != StatusFailed {
		t.Fatalf("%s, %v: want a checksum failure", resultLines(rs), err)
	}
	if _, err := os.Lstat(rs[0].Path); err == nil {
		t.Error("a file failing its checksum was linked")
	}
}

func TestMirrorIsDataDir(t *testing.T) {
	d := t.TempDir()
	_, err := (&Syncer{DataDir: d, Mirror: d}).Sync(context.Background(), Catalogue())
	if entente.ErrorCode(err) != entente.EINVALID {
		t.Errorf("err = %v, want EINVALID", err)
	}
}

// TestSharedDataMirror links the project's copy of the real datasets, as `entente sync
// --mirror ../shared/data` does.
func TestSharedDataMirror(t *testing.T) {
	mirror := filepath.Join("..", "..", "shared", "data")
	if _, err := os.Stat(filepath.Join(mirror, "gdelt", "v2")); err != nil {
		t.Skipf("shared datasets absent (%s): %v; this test needs ../shared/data", mirror, err)
	}
	s := &Syncer{DataDir: t.TempDir(), Mirror: mirror}
	rs, err := s.Sync(context.Background(), Catalogue())
	if err != nil {
		t.Fatalf("%v\n%s", err, resultLines(rs))
	}
	count := map[string]int{}
	for _, r := range rs {
		if r.Status == StatusLinked {
			count[r.Source]++
		}
		if r.Status == StatusFailed {
			t.Errorf("%s: %v", r.File.Path, r.Err)
		}
	}
	// 5 exports and 4 mentions in gdelt/v2; the unvotes and aid folders as staged.
	if count["gdelt2"] != 9 || count["unvotes"] < 5 || count["atop"] < 1 || count["igo"] < 1 || count["aid"] < 1 {
		t.Errorf("linked per source %v\n%s", count, resultLines(rs))
	}
	b, err := os.ReadFile(filepath.Join(s.DataDir, "gdelt", "v2", "20180101000000.export.CSV"))
	if err != nil || len(b) != 957007 {
		t.Errorf("linked export: %d bytes, %v; want the 957,007 bytes of the staged file", len(b), err)
	}

	// A date range keeps the GDELT slots of the range.
	s.From, s.To = time.Date(2015, 2, 18, 23, 15, 0, 0, time.UTC), time.Date(2015, 2, 19, 0, 0, 0, 0, time.UTC)
	rs, err = s.Sync(context.Background(), []Source{Catalogue()[indexOf(Catalogue(), "gdelt2")]})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range rs {
		if r.Status != StatusSkipped {
			t.Errorf("rerun %s: %s, want skipped", r.File.Path, r.Status)
		}
		names = append(names, filepath.Base(r.File.Path))
	}
	sort.Strings(names)
	if len(names) != 6 || names[0] != "20150218231500.export.CSV" {
		t.Errorf("range 23:15..24:00 gave %v, want the 3 slots x export, mentions", names)
	}
}

func TestLoadCatalogue(t *testing.T) {
	over := `[{"name":"aid","files":[{"path":"aid/Release_31.xlsx","url":"https://example.org/r31.xlsx","md5":"0123456789abcdef0123456789abcdef"}]},
	          {"name":"ledger","kind":"files","dir":"ledger","files":[{"path":"ledger/acts.yaml","url":"https://example.org/acts.yaml"}]}]`
	srcs, err := LoadCatalogue(strings.NewReader(over), Catalogue())
	if err != nil {
		t.Fatal(err)
	}
	aid := srcs[indexOf(srcs, "aid")]
	if len(aid.Files) != 1 || aid.Files[0].URL != "https://example.org/r31.xlsx" || aid.Citation == "" {
		t.Errorf("aid after overlay: %+v (files replaced, citation kept)", aid)
	}
	if srcs[len(srcs)-1].Name != "ledger" {
		t.Errorf("new source not appended: %v", srcs[len(srcs)-1].Name)
	}
	for _, bad := range []string{
		`[{"name":"aid","files":[{"path":"../../etc/passwd","url":"http://x"}]}]`,
		`[{"name":"aid","dir":"/abs"}]`,
		`[{"name":"new","kind":"gdelt2","dir":"x"}]`,
		`[{"name":"aid","colour":"red"}]`,
		`[{"kind":"files"}]`,
	} {
		if _, err := LoadCatalogue(strings.NewReader(bad), Catalogue()); entente.ErrorCode(err) != entente.EINVALID {
			t.Errorf("%s: err = %v, want EINVALID", bad, err)
		}
	}
	if _, err := Select(Catalogue(), []string{"gdelt3"}); err == nil || !strings.Contains(err.Error(), "unvotes, gdelt2") {
		t.Errorf("Select unknown: %v, want the known names listed", err)
	}
	for _, s := range Catalogue() {
		if err := s.validate(); err != nil {
			t.Errorf("built-in catalogue: %v", err)
		}
	}
}
